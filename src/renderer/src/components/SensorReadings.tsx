import { useId, useMemo } from 'react';
import type { Channel, SensorKind } from '../../../shared/station';
import { useNow } from '../clock';
import { formatAge, formatReading, isSensor, sensorUnit, STALE_AFTER_MS } from '../format';
import { useStationStore } from '../store';

export function SensorReadings() {
  const channels = useStationStore((s) => s.station?.channels);
  const sensors = useMemo(() => (channels ?? []).filter(isSensor), [channels]);
  return (
    <section className="panel" aria-labelledby="sensors-heading">
      <h2 id="sensors-heading">Sensors</h2>
      {sensors.length === 0 ? (
        <p className="empty">No sensors reported yet.</p>
      ) : (
        <div className="readings">
          {sensors.map((channel) => (
            <SensorReading key={channel.id} channel={channel} />
          ))}
        </div>
      )}
    </section>
  );
}

function SensorReading({ channel }: { channel: Channel & { kind: SensorKind } }) {
  const reading = useStationStore((s) => s.station?.readings[channel.id] ?? null);
  const clockOffsetMs = useStationStore((s) => s.clockOffsetMs);
  const now = useNow();
  const nameId = useId();
  const age = reading ? now + clockOffsetMs - reading.at : null;
  const stale = age !== null && age > STALE_AFTER_MS;

  return (
    <div className="reading" role="group" aria-labelledby={nameId} data-kind={channel.kind} data-stale={stale || undefined}>
      <span className="reading-name" id={nameId}>
        {channel.name}
      </span>
      {reading ? (
        <span className="reading-value">
          <data value={reading.value}>{formatReading(channel.kind, reading.value)}</data>
          <span className="unit"> {sensorUnit(channel)}</span>
        </span>
      ) : (
        <span className="reading-value reading-missing">no reading yet</span>
      )}
      {stale && <span className="stale-tag">stale, {formatAge(age)} old</span>}
    </div>
  );
}
