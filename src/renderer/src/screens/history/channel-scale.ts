/**
 * What a channel's history is measured in, converted to the grower's units: the station keeps
 * °C, litres and a flow meter's pulses a second; a grower who thinks in °F and gallons reads the
 * chart in those, and a flow meter as litres or gallons a minute (shared/history-units.ts, the
 * same rules the CSV export follows).
 */
import type { Channel } from '../../../../shared/station';
import { asRecorded, historyScale } from '../../../../shared/history-units';
import { formatReading, isSensor } from '../../format';
import type { UnitSystem } from '../../units';

export interface ChannelScale {
  unit: string;
  format: (value: number) => string;
  convert: (value: number) => number;
}

/** A flow meter's rate with its calibration, or without one; `pulsesPerLiter` is ignored for sensors. */
export function channelScale(channel: Channel, system: UnitSystem, pulsesPerLiter: number | null = null): ChannelScale {
  const { unit, convert } = historyScale(channel, system, pulsesPerLiter);
  if (!isSensor(channel)) return { unit, format: (value) => value.toFixed(unit === 'gal/min' ? 2 : 1), convert };
  return { unit, format: (value) => formatReading(channel.kind, value), convert };
}

/** The points in the grower's units; the same array when nothing changes. */
export function convertPoints(points: ReadonlyArray<[number, number]>, convert: (value: number) => number): ReadonlyArray<[number, number]> {
  return convert === asRecorded ? points : points.map(([at, value]) => [at, convert(value)]);
}
