/**
 * What a channel's history is measured in. The station records readings as the controller
 * sends them (°C, litres, a flow meter's pulses per second); a grower reads °F and gallons, and
 * a flow meter as litres or gallons a minute. The History charts and the CSV export convert with
 * the same rules here, so a chart and the file saved from it agree.
 */
import type { Channel } from './station';

/** As the station records them, or converted to the grower's metric or US units. */
export type HistoryUnits = 'station' | 'metric' | 'us';

export const HISTORY_UNITS: readonly HistoryUnits[] = ['station', 'metric', 'us'];

const LITERS_PER_GALLON = 3.785411784;

/** The unit a flow meter's rate is recorded in: the controller counts pulses, not litres. */
export const FLOW_RECORDED_UNIT = 'pulses/s';

const RECORDED_UNITS: Record<string, string> = { ec: 'mS/cm', ph: 'pH', temp: '°C', level: 'L' };
/** The protocol writes units in ASCII; show them the way a grower writes them. */
const DISPLAY_UNITS: Record<string, string> = { C: '°C', F: '°F' };

export interface HistoryScale {
  unit: string;
  convert: (value: number) => number;
}

/** The conversion of a value already in the unit shown; a screen can tell it apart and skip the work. */
export const asRecorded = (value: number): number => value;
const same = asRecorded;

/** The unit a channel's samples are recorded in. */
export function recordedUnit(channel: Pick<Channel, 'kind' | 'unit'>): string {
  if (channel.kind === 'flow') return FLOW_RECORDED_UNIT;
  const unit = channel.unit ?? RECORDED_UNITS[channel.kind] ?? '';
  return DISPLAY_UNITS[unit] ?? unit;
}

/**
 * How a channel's recorded samples read in `units`. A flow meter needs its pulses per litre to
 * become a rate of water; without a calibration it stays in pulses a second rather than show a
 * guess as litres.
 */
export function historyScale(channel: Pick<Channel, 'kind' | 'unit'>, units: HistoryUnits, pulsesPerLiter: number | null = null): HistoryScale {
  const recorded = recordedUnit(channel);
  if (units === 'station') return { unit: recorded, convert: same };
  if (channel.kind === 'flow') {
    if (pulsesPerLiter === null || !(pulsesPerLiter > 0)) return { unit: recorded, convert: same };
    const perMinute = 60 / pulsesPerLiter;
    if (units === 'us') return { unit: 'gal/min', convert: (rate) => (rate * perMinute) / LITERS_PER_GALLON };
    return { unit: 'L/min', convert: (rate) => rate * perMinute };
  }
  if (units === 'us' && recorded === '°C') return { unit: '°F', convert: (celsius) => (celsius * 9) / 5 + 32 };
  if (units === 'us' && recorded === 'L') return { unit: 'gal', convert: (liters) => liters / LITERS_PER_GALLON };
  return { unit: recorded, convert: same };
}

/** "pH (pH)", "Fill line (L/min)": a column or axis heading that says what the numbers are. */
export function historyHeading(name: string, unit: string): string {
  return unit ? `${name} (${unit})` : name;
}
