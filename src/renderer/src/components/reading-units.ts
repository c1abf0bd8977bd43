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
}

export function readingInUnits(channel: Channel & { kind: SensorKind }, value: number, system: UnitSystem): ShownReading {
  const unit = sensorUnit(channel);
  if (system === 'us' && unit === '°C') return { text: formatReading(channel.kind, (value * 9) / 5 + 32), unit: '°F' };
  if (system === 'us' && unit === 'L') return { text: formatReading(channel.kind, value / LITERS_PER_GALLON), unit: 'gal' };
  return { text: formatReading(channel.kind, value), unit };
}
