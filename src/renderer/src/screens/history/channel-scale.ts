/**
 * What a channel's history is measured in, converted to the grower's units: the station keeps
 * °C and litres, a grower who thinks in °F and gallons reads the chart in those.
 */
import type { Channel } from '../../../../shared/station';
import { formatReading, isSensor, sensorUnit } from '../../format';
import { LITERS_PER_GALLON, type UnitSystem } from '../../units';

export interface ChannelScale {
  unit: string;
  format: (value: number) => string;
  convert: (value: number) => number;
}

const same = (value: number) => value;

export function channelScale(channel: Channel, system: UnitSystem): ChannelScale {
  if (!isSensor(channel)) return { unit: 'pulses/s', format: (value) => value.toFixed(1), convert: same };
  const unit = sensorUnit(channel);
  const format = (value: number) => formatReading(channel.kind, value);
  if (system === 'us' && unit === '°C') return { unit: '°F', format, convert: (celsius) => (celsius * 9) / 5 + 32 };
  if (system === 'us' && unit === 'L') return { unit: 'gal', format, convert: (liters) => liters / LITERS_PER_GALLON };
  return { unit, format, convert: same };
}

/** The points in the grower's units; the same array when nothing changes. */
export function convertPoints(points: Array<[number, number]>, convert: (value: number) => number): Array<[number, number]> {
  return convert === same ? points : points.map(([at, value]) => [at, convert(value)]);
}
