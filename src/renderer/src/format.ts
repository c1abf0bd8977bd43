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

/** "45 s", "12 min", "1 h 20 min": how long something takes, to the precision a grower plans by. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  // Round minutes up: "1 min" left when 61 s remain would promise too much.
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** How long a job has left; a closed loop cannot tell, and says so rather than guessing. */
export function formatEta(etaMs: number | null): string {
  if (etaMs === null) return 'time left unknown';
  if (etaMs < 1000) return 'almost done';
  return `about ${formatDuration(etaMs)} left`;
}

/** A moment as a clock time, with the date when it was not today. */
export function formatMoment(at: number, now: number = Date.now()): string {
  const when = new Date(at);
  const time = when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (when.toDateString() === new Date(now).toDateString()) return time;
  return `${when.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

/** A number as the grower types it, comma or point; empty text is no number yet. */
export function numberFromText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : Number.NaN;
}
