import { useStationStore } from '../store';
import { CriticalAlerts } from './CriticalAlerts';
import { EmergencyStopReset } from './EmergencyStopReset';

export function SafetyBanners() {
  const estop = useStationStore((s) => s.station?.estop ?? null);
  const alarm = useStationStore((s) => s.station?.alarm ?? null);
  return (
    <>
      {estop?.latched && (
        <section className="banner banner-estop" aria-labelledby="estop-latched">
          <p role="alert">
            <strong id="estop-latched">Emergency stop latched</strong>
            {estop.source && <span> by {estop.source}</span>}. Every output is off, and the controller refuses to switch anything on
            until the stop is reset.
          </p>
          <EmergencyStopReset />
        </section>
      )}
      <CriticalAlerts />
      {alarm && (
        <div className="banner banner-alarm" role="alert">
          <strong>Alarm {alarm.code}</strong>: {alarm.message}
        </div>
      )}
    </>
  );
}
