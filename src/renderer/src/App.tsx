import { FlowMeters, Pumps, Relays } from './components/Outputs';
import { LinkStatistics } from './components/LinkStatistics';
import { SafetyBanners } from './components/SafetyBanners';
import { SensorReadings } from './components/SensorReadings';
import { StationHeader } from './components/StationHeader';
import { useStationStore } from './store';

export function App() {
  const hasStation = useStationStore((s) => s.station !== null);
  return (
    <>
      <StationHeader />
      <main className="overview">
        <SafetyBanners />
        {hasStation ? (
          <>
            <SensorReadings />
            <div className="outputs">
              <Relays />
              <Pumps />
              <FlowMeters />
            </div>
            <LinkStatistics />
          </>
        ) : (
          <p className="empty waiting">Waiting for the station…</p>
        )}
      </main>
    </>
  );
}
