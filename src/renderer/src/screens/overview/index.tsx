import { FlowMeters } from '../../components/FlowMeters';
import { LinkStatistics } from '../../components/LinkStatistics';
import { Pumps } from '../../components/Pumps';
import { Relays } from '../../components/Relays';
import { SimulatedNotice } from '../../components/SimulatedNotice';
import { useStationStore } from '../../store';
import { CurrentJobs } from './CurrentJobs';
import { Tanks } from './Tanks';

/** The station at a glance: the tanks, what is running, and every output within reach. */
export function OverviewScreen() {
  const hasStation = useStationStore((s) => s.station !== null);
  if (!hasStation) return <p className="empty waiting">Waiting for the station…</p>;
  return (
    <div className="overview">
      <SimulatedNotice />
      <Tanks />
      <CurrentJobs />
      <div className="outputs">
        <Relays />
        <Pumps />
        <FlowMeters />
      </div>
      <LinkStatistics />
    </div>
  );
}
