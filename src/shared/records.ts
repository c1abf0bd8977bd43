/**
 * The station's records on the wire (docs/lan-api.md, section 12): sensor history, recent jobs
 * and the CSV exports, at the same paths whether a LAN browser asks over HTTP or the desktop
 * window asks over the bridge. Screens build requests with these, and the station reads them
 * with the same rules.
 */
import { DEFAULT_WINDOW_MS, parseTime, type HistoryRequest } from './history';
import { HISTORY_UNITS, type HistoryUnits } from './history-units';
import type { JobKind } from './jobs';
import type { Job } from './station';

export const RECORD_PATHS: ReadonlySet<string> = new Set([
  '/api/history',
  '/api/jobs',
  '/api/marks',
  '/api/export/doses.csv',
  '/api/export/jobs.csv',
  '/api/export/history.csv',
]);

export const DEFAULT_JOBS = 100;
export const MAX_JOBS = 1000;

/** How many recent jobs `/api/jobs?limit=` asks for, or why the limit is refused. */
export function parseJobsLimit(params: URLSearchParams): number | string {
  const raw = params.get('limit')?.trim() ?? '';
  const limit = raw === '' ? DEFAULT_JOBS : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_JOBS)) return `limit must be a whole number from 1 to ${MAX_JOBS}, not "${raw}"; leave it out for ${DEFAULT_JOBS}`;
  return limit;
}

/** The optional `from` and `to` of the dose export, or why one is refused. */
export function parseTimeRange(params: URLSearchParams): { from?: number; to?: number } | string {
  const range: { from?: number; to?: number } = {};
  for (const name of ['from', 'to'] as const) {
    const text = params.get(name)?.trim() ?? '';
    if (text === '') continue;
    const parsed = parseTime(text);
    if (typeof parsed === 'string') return `${name} ${parsed}`;
    range[name] = parsed;
  }
  return range;
}

function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.set(name, String(value));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

export function historyPath(query: HistoryRequest): string {
  return withQuery('/api/history', { channel: query.channel, from: query.from, to: query.to, maxPoints: query.maxPoints });
}

export function jobsPath(limit?: number): string {
  return withQuery('/api/jobs', { limit });
}

/**
 * The jobs a chart marks when they start: those that put something into a tank. A recipe's steps
 * may dose and fill; a screen reads them to tell which.
 */
export const MARKED_JOB_KINDS: readonly JobKind[] = ['dose', 'adjust-ph', 'adjust-ec', 'fill', 'fill-to', 'calibrate-flow', 'recipe'];

/** The alert raised when the emergency stop latches. */
export const ESTOP_ALERT = 'ESTOP_LATCHED';

/**
 * A window's marks can be a season's doses; more than this on one chart is a solid block, so the
 * answer keeps the newest of each.
 */
export const MAX_MARKS = 5000;

/** The answer to `/api/marks`: what the station did within a window, oldest first. */
export interface StationMarks {
  ok: true;
  from: number;
  to: number;
  /** Doses, adjustments and fills that started in the window, as `/api/jobs` gives them. */
  jobs: Array<Omit<Job, 'etaMs'>>;
  /** Each time the emergency stop latched, with the alert's words (who pressed it). */
  stops: Array<{ at: number; message: string }>;
  /**
   * Each dose a recipe of `jobs` made in the window, when it started: a recipe doses nutrient A,
   * mixes, then doses B, and a chart marks each of them rather than only the recipe's start.
   */
  doses: RecipeDose[];
  /**
   * Each fill a recipe of `jobs` made in the window, when its water started: a water change
   * drains first and fills minutes after the recipe started. `filledL` is null until it ends.
   */
  fills: RecipeFill[];
}

/** One dose a recipe made, from the dose audit. */
export interface RecipeDose {
  at: number;
  jobId: number;
  pumpId: string;
  deliveredMl: number;
}

/** One fill a recipe made, from the fill log. */
export interface RecipeFill {
  at: number;
  jobId: number;
  tankId: string;
  filledL: number | null;
}

export function marksPath(range: { from?: number; to?: number }): string {
  return withQuery('/api/marks', { from: range.from, to: range.to });
}

/** The window `/api/marks` answers, as `/api/history` reads it: `to` now and `from` an hour before unless asked. */
export function parseMarksWindow(params: URLSearchParams, now: number): { from: number; to: number } | string {
  const range = parseTimeRange(params);
  if (typeof range === 'string') return range;
  const to = range.to ?? now;
  const from = range.from ?? to - DEFAULT_WINDOW_MS;
  if (from > to) return `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()}): send a from at or before to, or leave from out for the hour before to`;
  return { from, to };
}

export type ExportKind = 'doses' | 'jobs' | 'history';

/** What an export may ask besides its window: the sensor history's values in the grower's units. */
export interface ExportRequest extends Partial<HistoryRequest> {
  units?: HistoryUnits;
}

/** The CSV exports; only the sensor history needs a channel, and only it and the doses take a window. */
export function exportPath(kind: ExportKind, query: ExportRequest = {}): string {
  const path = `/api/export/${kind}.csv`;
  if (kind === 'jobs') return path;
  if (kind === 'doses') return withQuery(path, { from: query.from, to: query.to });
  return withQuery(path, { channel: query.channel, from: query.from, to: query.to, maxPoints: query.maxPoints, units: query.units });
}

/** The units a sensor history export's values are in, or why the choice is refused. */
export function parseExportUnits(params: URLSearchParams): { ok: true; units: HistoryUnits } | { ok: false; message: string } {
  const raw = params.get('units')?.trim() ?? '';
  if (raw === '') return { ok: true, units: 'station' };
  if ((HISTORY_UNITS as readonly string[]).includes(raw)) return { ok: true, units: raw as HistoryUnits };
  return { ok: false, message: `units must be one of ${HISTORY_UNITS.join(', ')}, not ${JSON.stringify(raw.slice(0, 40))}; leave it out for the units the station records in` };
}

/** A moment as a file name can hold it on every system: UTC to the minute, no colons. */
function fileTime(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace(':', '') + 'Z';
}

/**
 * The file name an export is sent under. A window asked for goes into the name, so a folder of
 * exports says which span each one covers: tendril-ph1-2026-05-01T1200Z-2026-05-02T1200Z.csv.
 */
export function exportFileName(kind: ExportKind, channel?: string, range: { from?: number; to?: number } = {}): string {
  const name = kind === 'history' ? (channel ?? 'history').replace(/[^A-Za-z0-9_-]/g, '_') : kind;
  const span = [range.from, range.to].filter((at): at is number => at !== undefined && Number.isFinite(at) && Math.abs(at) <= 8.64e15).map(fileTime);
  return `tendril-${[name, ...span].join('-')}.csv`;
}
