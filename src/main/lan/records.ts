/**
 * What the station did, over REST: recent jobs as JSON, and the dose audit, the job history and
 * the sensor history as CSV for a spreadsheet or a compliance record.
 */
import type { RecordResponse } from '../../shared/bridge';
import type { DoseAuditEntry, JobRecord } from '../db';
import { doseAuditCsv, jobHistoryCsv, sensorHistoryCsv } from '../db';
import { parseHistoryQuery, parseTime, type ChannelHistory } from '../live/history';
import type { StationCore } from '../station';

/** Where the records come from: the station database when there is one. */
export interface StationRecords {
  recentJobs(limit: number): JobRecord[];
  doses(range: { from?: number; to?: number }): DoseAuditEntry[];
}

export interface HistorySource {
  query(channel: string, from: number, to: number, maxPoints?: number): ChannelHistory | null;
  channels(): string[];
}

export type RecordsAnswer =
  | { status: number; json: unknown }
  | { status: 200; csv: string; filename: string };

const DEFAULT_JOBS = 100;
const MAX_JOBS = 1000;

const invalid = (message: string): RecordsAnswer => ({ status: 400, json: { ok: false, error: { code: 'INVALID', message } } });

export const RECORD_PATHS: ReadonlySet<string> = new Set(['/api/history', '/api/jobs', '/api/export/doses.csv', '/api/export/jobs.csv', '/api/export/history.csv']);

/** The answer for one of RECORD_PATHS. */
export function answerRecords(path: string, params: URLSearchParams, core: StationCore, records: StationRecords | null, history: HistorySource, now: number): RecordsAnswer {
  switch (path) {
    case '/api/history': {
      const query = parseHistoryQuery(params, now);
      if (!query.ok) return invalid(query.message);
      const found = history.query(query.channel, query.from, query.to, query.maxPoints);
      if (!found) return noHistory(query.channel, history);
      return { status: 200, json: found };
    }
    case '/api/jobs': {
      const raw = params.get('limit')?.trim() ?? '';
      const limit = raw === '' ? DEFAULT_JOBS : /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(limit >= 1 && limit <= MAX_JOBS)) return invalid(`limit must be a whole number from 1 to ${MAX_JOBS}, not "${raw}"; leave it out for ${DEFAULT_JOBS}`);
      return { status: 200, json: { ok: true, jobs: recentJobs(core, records, limit) } };
    }
    case '/api/export/doses.csv': {
      const range = timeRange(params);
      if (typeof range === 'string') return invalid(range);
      if (!records) return { status: 503, json: { ok: false, error: { code: 'NOT_READY', message: 'this station keeps no database, so there is no dose audit to export' } } };
      return { status: 200, csv: doseAuditCsv(records.doses(range)), filename: 'tendril-doses.csv' };
    }
    case '/api/export/jobs.csv':
      return { status: 200, csv: jobHistoryCsv(recentJobs(core, records, MAX_JOBS * 100)), filename: 'tendril-jobs.csv' };
    case '/api/export/history.csv': {
      const query = parseHistoryQuery(params, now);
      if (!query.ok) return invalid(query.message);
      const found = history.query(query.channel, query.from, query.to, query.maxPoints);
      if (!found) return noHistory(query.channel, history);
      return { status: 200, csv: sensorHistoryCsv([found]), filename: `tendril-${query.channel.replace(/[^A-Za-z0-9_-]/g, '_')}.csv` };
    }
    default:
      return { status: 404, json: { ok: false, error: { code: 'NOT_FOUND', message: `no API at ${path}` } } };
  }
}

function noHistory(channel: string, history: HistorySource): RecordsAnswer {
  const known = history.channels().join(', ') || 'none yet';
  return { status: 404, json: { ok: false, error: { code: 'NOT_FOUND', message: `no history for channel "${channel}"; channels with history: ${known}` } } };
}

/**
 * The same answers for the desktop window, which asks over IPC rather than HTTP: `pathAndQuery`
 * as a screen would request it, such as "/api/history?channel=ph&from=-24h".
 */
export function recordResponse(pathAndQuery: unknown, core: StationCore, records: StationRecords | null, history: HistorySource, now: number): RecordResponse {
  const url = typeof pathAndQuery === 'string' && pathAndQuery.startsWith('/') ? new URL(pathAndQuery, 'http://station') : null;
  const answer: RecordsAnswer =
    url && RECORD_PATHS.has(url.pathname)
      ? answerRecords(url.pathname, url.searchParams, core, records, history, now)
      : { status: 404, json: { ok: false, error: { code: 'NOT_FOUND', message: `no record at ${String(pathAndQuery)}; ask for one of ${[...RECORD_PATHS].join(', ')}` } } };
  if ('csv' in answer) return { status: 200, contentType: 'text/csv; charset=utf-8', body: answer.csv };
  return { status: answer.status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(answer.json) };
}

/** Newest first; from the live state when there is no database (then only what it still holds). */
function recentJobs(core: StationCore, records: StationRecords | null, limit: number): JobRecord[] {
  if (records) return records.recentJobs(limit);
  return core
    .state()
    .jobs.map(({ etaMs: _eta, ...record }) => record)
    .sort((a, b) => b.id - a.id)
    .slice(0, limit);
}

function timeRange(params: URLSearchParams): { from?: number; to?: number } | string {
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
