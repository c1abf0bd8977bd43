/**
 * Reading alarms in a grower's words: which tank, which reading, its value and the limit.
 */
import { isSensorKind } from '../../shared/reading-alarms';
import type { Channel, SensorKind, Tank } from '../../shared/station';
import { isEasing, severityOf, type ZoneTransition } from './reading-alarms';

const DECIMALS: Record<SensorKind, number> = { ph: 2, ec: 2, temp: 1, level: 1 };
const UNITS: Record<string, string> = { C: '°C', pH: '' };

/** A value with the decimals its kind is read to, and its unit ("7.90", "14.2 °C", "1.40 mS/cm"). */
export function withUnit(channel: Channel, value: number): string {
  const decimals = isSensorKind(channel.kind) ? DECIMALS[channel.kind] : 2;
  const unit = channel.unit === undefined ? '' : (UNITS[channel.unit] ?? channel.unit);
  return `${value.toFixed(decimals)}${unit ? ` ${unit}` : ''}`;
}

/** A limit as a grower set it: 7.0 stays "7.0", 5.55 stays "5.55", never a row of zeros. */
export function limitWithUnit(channel: Channel, limit: number): string {
  const short = limit.toFixed(1);
  const text = Number(short) === limit ? short : String(Number(limit.toFixed(3)));
  const unit = channel.unit === undefined ? '' : (UNITS[channel.unit] ?? channel.unit);
  return `${text}${unit ? ` ${unit}` : ''}`;
}

export function describeTransition(channel: Channel, tank: Tank | undefined, transition: ZoneTransition): string {
  const where = `${tank ? `${tank.name}: ` : ''}${channel.name || channel.id}`;
  const value = withUnit(channel, transition.value);
  const limit = transition.limit === null ? 'its limit' : limitWithUnit(channel, transition.limit);
  const severity = severityOf(transition.to);
  if (severity === null) {
    const side = transition.from.endsWith('_low') ? 'below' : 'above';
    return `${where} is back in band at ${value}; it had been ${side} the ${severityOf(transition.from)} limit of ${limit}`;
  }
  const low = transition.to.endsWith('_low');
  const side = low ? 'below' : 'above';
  const how = low ? 'low' : 'high';
  if (isEasing(transition)) return `${where} is still ${how} at ${value}, ${side} the warning limit of ${limit} (no longer past the critical one)`;
  return `${where} is ${how} at ${value}, ${side} the ${severity} limit of ${limit}`;
}
