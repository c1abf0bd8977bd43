import { useId, useState } from 'react';
import type { Channel, SensorKind } from '../../../shared/station';
import { useNow } from '../clock';
import { formatAge, STALE_AFTER_MS } from '../format';
import { useStationStore } from '../store';
import { useUnits, type UnitSystem } from '../units';
import { bandNote } from './reading-band';
import { readingInUnits } from './reading-units';
import { Sparkline } from './Sparkline';
import { SensorHealthNote } from './SensorHealthNote';
import { addToTrend, EMPTY_TREND } from './trend';

type SensorChannel = Channel & { kind: SensorKind };

/**
 * The least change a sparkline stands for, per kind: probe noise stays a flat line, and a
 * real drift (0.1 pH, a litre drawn) still shows as one.
 */
const TREND_SPAN: Record<SensorKind, number> = { ec: 0.2, ph: 0.2, temp: 1, level: 2 };

export function SensorReading({ channel }: { channel: SensorChannel }) {
  const reading = useStationStore((s) => s.station?.readings[channel.id] ?? null);
  const clockOffsetMs = useStationStore((s) => s.clockOffsetMs);
  const now = useNow();
  const nameId = useId();
  const trend = useTrend(reading);
  // Ages are judged on the station's clock: a phone's own clock may be minutes off.
  const age = reading ? now + clockOffsetMs - reading.at : null;
  const stale = age !== null && age > STALE_AFTER_MS;
  const system = useUnits((units) => units.system);
  const shown = reading ? readingInUnits(channel, reading.value, system) : null;
  const band = bandNote(channel, useStationStore((s) => s.station?.readingBands?.[channel.id]), system);

  return (
    <div className="reading" role="group" aria-labelledby={nameId} data-kind={channel.kind} data-stale={stale || undefined} data-band={band?.severity}>
      <span className="reading-name" id={nameId}>
        {channel.name}
      </span>
      {reading && shown ? (
        <span className="reading-value">
          <data value={reading.value}>{shown.text}</data>
          <span className="unit"> {shown.unit}</span>
        </span>
      ) : (
        <span className="reading-value reading-missing">no reading yet</span>
      )}
      <Sparkline values={trend} minSpan={TREND_SPAN[channel.kind]} label={trendLabel(channel, trend, system)} />
      {stale && <span className="stale-tag">stale, {formatAge(age)} old</span>}
      {band && <span className="band-tag">{band.text}</span>}
      {shown?.belowEmpty && <span className="stale-tag">reads below empty: check the sensor</span>}
      <SensorHealthNote channel={channel} />
    </div>
  );
}

/**
 * The readings seen while this screen is open. A new reading is taken into the trend during
 * render (React's pattern for state that follows a prop); the trend ignores one it already has.
 */
function useTrend(reading: { value: number; at: number } | null): readonly number[] {
  const [trend, setTrend] = useState(EMPTY_TREND);
  if (reading && reading.at > trend.lastAt) setTrend(addToTrend(trend, reading));
  return trend.values;
}

function trendLabel(channel: SensorChannel, values: readonly number[], system: UnitSystem): string {
  if (values.length < 2) return `${channel.name} trend`;
  const low = readingInUnits(channel, Math.min(...values), system);
  const high = readingInUnits(channel, Math.max(...values), system);
  return `${channel.name} over the last ${values.length} readings: between ${low.text} and ${high.text} ${high.unit}`;
}
