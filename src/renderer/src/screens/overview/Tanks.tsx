import { useMemo } from 'react';
import { SensorReading } from '../../components/SensorReading';
import { useStationStore } from '../../store';
import { sensorsWithoutTank } from './tank-sensors';
import { TankCard } from './TankCard';

export function Tanks() {
  const tanks = useStationStore((s) => s.station?.tanks);
  const channels = useStationStore((s) => s.station?.channels);
  const loose = useMemo(() => sensorsWithoutTank(tanks ?? [], channels ?? []), [tanks, channels]);
  return (
    <section className="panel tanks" aria-labelledby="tanks-heading">
      <h2 id="tanks-heading">Tanks and sensors</h2>
      {(tanks ?? []).length === 0 && loose.length === 0 && <p className="empty">No tanks or sensors reported yet.</p>}
      <div className="tank-list">
        {(tanks ?? []).map((tank) => (
          <TankCard key={tank.id} tank={tank} />
        ))}
        {loose.length > 0 && (
          <section className="tank" aria-labelledby="loose-sensors-heading">
            <h3 id="loose-sensors-heading">Not in a tank</h3>
            <div className="readings">
              {loose.map((channel) => (
                <SensorReading key={channel.id} channel={channel} />
              ))}
            </div>
          </section>
        )}
      </div>
    </section>
  );
}
