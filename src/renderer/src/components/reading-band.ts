/**
 * A reading against its alarm band, in words for its tile: "high (critical above 7.0)". The
 * band itself comes from main (main/alarms), after its hold time, so every screen says the same.
 */
import { bandWords, type ReadingBand } from '../../../shared/reading-alarms';
import type { Channel, SensorKind } from '../../../shared/station';
import type { UnitSystem } from '../units';
import { readingInUnits } from './reading-units';

export interface BandNote {
  severity: 'warning' | 'critical';
  text: string;
}

/** A limit in the grower's units, as it was set: 7.0 rather than 7.00, 30 °C, 25.0 L. */
export function limitInUnits(channel: Channel & { kind: SensorKind }, limit: number, system: UnitSystem): string {
  const shown = readingInUnits(channel, limit, system);
  const value = Number(shown.text);
  const short = value.toFixed(1);
  const text = Number(short) === value ? short : shown.text;
  return shown.unit === 'pH' ? text : `${text} ${shown.unit}`;
}

/** Null while the reading is in band, or before main has placed it. */
export function bandNote(channel: Channel & { kind: SensorKind }, band: ReadingBand | null | undefined, system: UnitSystem): BandNote | null {
  if (!band || band.zone === 'in_band') return null;
  const severity = band.zone.startsWith('critical') ? 'critical' : 'warning';
  const limit = band.limit === null ? 'its limit' : limitInUnits(channel, band.limit, system);
  return { severity, text: bandWords(band.zone, limit) };
}
