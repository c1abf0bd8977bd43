import { useStationStore } from '../store';

export function SafetyBanners() {
  const estop = useStationStore((s) => s.station?.estop ?? null);
  const alarm = useStationStore((s) => s.station?.alarm ?? null);
  return (
    <>
      {estop?.latched && (
        <div className="banner banner-estop" role="alert">
          <strong>Emergency stop latched</strong>
          {estop.source && <span> by {estop.source}</span>}. Every output is off, and the controller
          refuses to switch anything on until the stop is reset.
        </div>
      )}
      {alarm && (
        <div className="banner banner-alarm" role="alert">
          <strong>Alarm {alarm.code}</strong>: {alarm.message}
        </div>
      )}
    </>
  );
}
