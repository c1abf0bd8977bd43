/**
 * A probe's reading in the grower's units. The number and its unit stay apart, because the
 * screen shows the number large and the unit small beside it.
 */
import type { Channel, SensorKind } from '../../../shared/station';
import { formatReading, sensorUnit } from '../format';
import { LITERS_PER_GALLON, type UnitSystem } from '../units';

export interface ShownReading {
  /** The number as shown, with the decimals the kind deserves. */
  text: string;
  unit: string;
  /** A level probe read below zero: shown as empty, and said to be a sensor fault. */
  belowEmpty?: boolean;
}

/** What a level below zero means, wherever a tank's level is shown. */
export const BELOW_EMPTY_NOTE = 'The level sensor reads below empty, which no tank can be: a sensor fault. Check the sensor and its calibration.';

export function readingInUnits(channel: Channel & { kind: SensorKind }, value: number, system: UnitSystem): ShownReading {
  // A volume is never shown negative (not even "-0.0"): the tank is empty at most.
  if (channel.kind === 'level' && value < 0) return { ...readingInUnits(channel, 0, system), belowEmpty: true };
  const unit = sensorUnit(channel);
  if (system === 'us' && unit === '°C') return { text: formatReading(channel.kind, (value * 9) / 5 + 32), unit: '°F' };
  if (system === 'us' && unit === 'L') return { text: formatReading(channel.kind, value / LITERS_PER_GALLON), unit: 'gal' };
  return { text: formatReading(channel.kind, value), unit };
}
