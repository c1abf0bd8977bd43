import type { Channel, SensorKind } from '../../shared/station';

export const SENSOR_KINDS: readonly SensorKind[] = ['ec', 'ph', 'temp', 'level'];

/** A reading older than this no longer describes the tank; closed loops ignore it too. */
export const STALE_AFTER_MS = 5_000;

const DECIMALS: Record<SensorKind, number> = { ec: 2, ph: 2, temp: 1, level: 1 };
const DEFAULT_UNITS: Record<SensorKind, string> = { ec: 'mS/cm', ph: 'pH', temp: '°C', level: 'L' };
/** The protocol writes units in ASCII; show them the way a grower writes them. */
const DISPLAY_UNITS: Record<string, string> = { C: '°C', F: '°F' };

export function isSensor(channel: Channel): channel is Channel & { kind: SensorKind } {
  return (SENSOR_KINDS as readonly string[]).includes(channel.kind);
}

export function formatReading(kind: SensorKind, value: number): string {
  return value.toFixed(DECIMALS[kind]);
}

export function sensorUnit(channel: Channel & { kind: SensorKind }): string {
  const unit = channel.unit ?? DEFAULT_UNITS[channel.kind];
  return DISPLAY_UNITS[unit] ?? unit;
}

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

export function formatMl(ml: number): string {
  return ml.toFixed(ml < 10 ? 1 : 0);
}
