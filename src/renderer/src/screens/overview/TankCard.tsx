import { useId, useMemo } from 'react';
import type { Tank } from '../../../../shared/station';
import { SensorReading } from '../../components/SensorReading';
import { useStationStore } from '../../store';
import { formatLiters, useUnits } from '../../units';
import { BELOW_EMPTY_NOTE } from '../../components/reading-units';
import { tankContents, tankSensors, TANK_SENSOR_ORDER } from './tank-sensors';

export function TankCard({ tank }: { tank: Tank }) {
  const channels = useStationStore((s) => s.station?.channels);
  const sensors = useMemo(() => tankSensors(tank, channels ?? []), [tank, channels]);
  const headingId = useId();
  const system = useUnits((units) => units.system);
  return (
    <section className="tank" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {tank.name} <span className="tank-capacity">{formatLiters(tank.capacityL, system)}</span>
      </h3>
      <TankLevel tank={tank} probe={sensors.level} />
      <div className="readings">
        {TANK_SENSOR_ORDER.map((kind) => {
          const channel = sensors[kind];
          return channel ? <SensorReading key={channel.id} channel={channel} /> : null;
        })}
      </div>
    </section>
  );
}

/** How full the tank is, as a bar a grower can read from across the room. */
function TankLevel({ tank, probe }: { tank: Tank; probe: Parameters<typeof tankContents>[1] }) {
  const reading = useStationStore((s) => (probe ? (s.station?.readings[probe.id] ?? null) : null));
  const system = useUnits((units) => units.system);
  const contents = tankContents(tank, probe, reading);
  if (!contents) return <p className="tank-level-unknown">{probe ? 'Level not known yet.' : 'No level sensor in this tank.'}</p>;
  const percent = Math.round(contents.fraction * 100);
  return (
    <div
      className="tank-level"
      role="meter"
      aria-label={`${tank.name} level`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}% full, ${formatLiters(contents.liters, system)} of ${formatLiters(tank.capacityL, system)}${contents.belowEmpty ? ` (${BELOW_EMPTY_NOTE})` : ''}`}
    >
      <div className="tank-level-bar" aria-hidden="true">
        <div className="tank-level-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="tank-level-text" aria-hidden="true">
        {percent}% full · {formatLiters(contents.liters, system)}
      </span>
      {contents.belowEmpty && (
        <p className="tank-level-fault" role="alert">
          {BELOW_EMPTY_NOTE}
        </p>
      )}
    </div>
  );
}
