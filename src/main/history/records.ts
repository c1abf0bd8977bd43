/**
 * What the station did, as records: sensor history, recent jobs and a chart's marks as JSON, and the dose audit,
 * the job history and the sensor history as CSV for a spreadsheet or a compliance record. The
 * LAN's HTTP routes and the desktop window's bridge both answer with `answerRecord`, so a screen
 * gets the same answer, refusals included, whichever way it asks.
 */
import {
  ESTOP_ALERT,
  exportFileName,
  MARKED_JOB_KINDS,
  MAX_JOBS,
  MAX_MARKS,
  parseExportUnits,
  parseJobsLimit,
  parseMarksWindow,
  parseTimeRange,
  RECORD_PATHS,
  type StationMarks,
} from '../../shared/records';
import { parseHistoryQuery, type ChannelHistory } from '../../shared/history';
import type { RecordResponse } from '../../shared/bridge';
import type { JobKind } from '../../shared/jobs';
import type { Alert, StationState } from '../../shared/station';
import type { DoseAuditEntry, FillLogEntry, JobRecord, StationDatabase } from '../db';
import { doseAuditCsv, jobHistoryCsv } from '../db';
import { channelColumn, channelHistoryCsv } from './history-csv';

/** Where the records come from: the station database when there is one. */
export interface StationRecords {
  recentJobs(limit: number): JobRecord[];
  doses(range: { from?: number; to?: number }): DoseAuditEntry[];
  /** Fills whose water started within the range, oldest first. */
  fills(range: { from: number; to: number }): FillLogEntry[];
  /** Jobs of these kinds started within the range, oldest first (the newest `limit`). */
  jobsStarted(kinds: readonly JobKind[], range: { from: number; to: number }, limit: number): JobRecord[];
  /** Alerts with this code raised or folded into within the range, oldest first (the newest `limit`). */
  alertsRaised(code: string, range: { from: number; to: number }, limit: number): Alert[];
}

/** The records of a station database. */
export function databaseRecords(database: Pick<StationDatabase, 'jobs' | 'alerts' | 'doseAudit' | 'fills'>): StationRecords {
  return {
    recentJobs: (limit) => database.jobs.recent(limit),
    doses: (range) => database.doseAudit.list(range),
    fills: (range) => database.fills.list(range),
    jobsStarted: (kinds, range, limit) => database.jobs.startedBetween(kinds, range, limit),
    alertsRaised: (code, range, limit) => database.alerts.raisedBetween(code, range, limit),
  };
}

export interface HistorySource {
  query(channel: string, from: number, to: number, maxPoints?: number): ChannelHistory | null;
  channels(): string[];
}

export interface RecordSources {
  /** The live state: the jobs it still holds stand in for a database that is not there. */
  station: { state(): StationState };
  records: StationRecords | null;
  history: HistorySource;
}

/** A record's answer as HTTP sends it; `filename` names a CSV export's download. */
export interface RecordAnswer extends RecordResponse {
  filename?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8';

const json = (status: number, body: unknown): RecordAnswer => ({ status, contentType: JSON_TYPE, body: JSON.stringify(body) });
const csv = (text: string, filename: string): RecordAnswer => ({ status: 200, contentType: CSV_TYPE, body: text, filename });
const refused = (status: number, code: string, message: string): RecordAnswer => json(status, { ok: false, error: { code, message } });
const invalid = (message: string): RecordAnswer => refused(400, 'INVALID', message);

/**
 * The answer to one record request, `pathAndQuery` as a screen sends it, such as
 * "/api/history?channel=ph&from=1700000000000".
 */
export function answerRecord(pathAndQuery: unknown, sources: RecordSources, now: number): RecordAnswer {
  const url = typeof pathAndQuery === 'string' && pathAndQuery.startsWith('/') ? new URL(pathAndQuery, 'http://station') : null;
  const { records, history } = sources;
  const params = url?.searchParams ?? new URLSearchParams();
  switch (url?.pathname) {
    case '/api/history': {
      const query = parseHistoryQuery(params, now);
      if (!query.ok) return invalid(query.message);
      const found = history.query(query.channel, query.from, query.to, query.maxPoints);
      if (!found) return noHistory(query.channel, history);
      return json(200, found);
    }
    case '/api/jobs': {
      const limit = parseJobsLimit(params);
      if (typeof limit === 'string') return invalid(limit);
      return json(200, { ok: true, jobs: recentJobs(sources, limit) });
    }
    case '/api/marks': {
      const range = parseMarksWindow(params, now);
      if (typeof range === 'string') return invalid(range);
      return json(200, stationMarks(sources, range));
    }
    case '/api/export/doses.csv': {
      const range = parseTimeRange(params);
      if (typeof range === 'string') return invalid(range);
      if (!records) return refused(503, 'NOT_READY', 'this station keeps no database, so there is no dose audit to export');
      return csv(doseAuditCsv(records.doses(range)), exportFileName('doses', undefined, range));
    }
    case '/api/export/jobs.csv':
      return csv(jobHistoryCsv(recentJobs(sources, MAX_JOBS * 100)), exportFileName('jobs'));
    case '/api/export/history.csv': {
      const query = parseHistoryQuery(params, now);
      if (!query.ok) return invalid(query.message);
      const units = parseExportUnits(params);
      if (!units.ok) return invalid(units.message);
      const found = history.query(query.channel, query.from, query.to, query.maxPoints);
      if (!found) return noHistory(query.channel, history);
      const column = channelColumn(sources.station.state(), query.channel, units.units);
      if (!column) {
        return refused(503, 'NOT_READY', `the station does not know channel "${query.channel}" until the controller reports it, so it cannot convert its values: try again once it is connected, or ask for units=station`);
      }
      // A window the request names goes into the file name; the default hour stays unnamed.
      const named = asked(params, 'from') || asked(params, 'to');
      return csv(channelHistoryCsv(found, column), exportFileName('history', query.channel, named ? { from: query.from, to: query.to } : {}));
    }
    default:
      return refused(404, 'NOT_FOUND', `no record at ${String(pathAndQuery)}; ask for one of ${[...RECORD_PATHS].join(', ')}`);
  }
}

const asked = (params: URLSearchParams, name: string): boolean => (params.get(name)?.trim() ?? '') !== '';

function noHistory(channel: string, history: HistorySource): RecordAnswer {
  const known = history.channels().join(', ') || 'none yet';
  return refused(404, 'NOT_FOUND', `no history for channel "${channel}"; channels with history: ${known}`);
}

/**
 * What a chart of this window marks, from the database: the live state holds the last 100 alerts
 * and 50 finished jobs, far fewer than a week of a busy station. Without a database, what the
 * live state still holds.
 */
function stationMarks({ station, records }: RecordSources, range: { from: number; to: number }): StationMarks {
  const inRange = (at: number | null | undefined): at is number => typeof at === 'number' && at >= range.from && at <= range.to;
  const state = records ? null : station.state();
  const jobs = records
    ? records.jobsStarted(MARKED_JOB_KINDS, range, MAX_MARKS)
    : state!.jobs
        .filter((job) => MARKED_JOB_KINDS.includes(job.spec.kind) && inRange(job.startedAt))
        .map(({ etaMs: _eta, ...record }) => record)
        .sort((a, b) => a.startedAt! - b.startedAt! || a.id - b.id)
        .slice(-MAX_MARKS);
  const alerts = records ? records.alertsRaised(ESTOP_ALERT, range, MAX_MARKS) : state!.alerts.filter((alert) => alert.code === ESTOP_ALERT);
  // A folded alert keeps its first and its latest latch; the ones between are only counted.
  const stops = alerts
    .flatMap((alert) => [...new Set([alert.at, alert.lastAt])].filter(inRange).map((at) => ({ at, message: alert.message })))
    .sort((a, b) => a.at - b.at)
    .slice(-MAX_MARKS);
  // A recipe's doses are in the dose audit and its fills in the fill log, under its job; a plain
  // job is marked once, at its start.
  const recipeJobs = new Set(jobs.filter((job) => job.spec.kind === 'recipe').map((job) => job.id));
  const ofRecipe = <T extends { jobId: number | null }>(entry: T): entry is T & { jobId: number } => entry.jobId !== null && recipeJobs.has(entry.jobId);
  const doses = records && recipeJobs.size > 0
    ? records
        .doses(range)
        .filter(ofRecipe)
        .slice(-MAX_MARKS)
        .map(({ at, jobId, pumpId, deliveredMl }) => ({ at, jobId, pumpId, deliveredMl }))
    : [];
  const fills = records && recipeJobs.size > 0 ? records.fills(range).filter(ofRecipe).slice(-MAX_MARKS) : [];
  return { ok: true, from: range.from, to: range.to, jobs, stops, doses, fills };
}

/** Newest first; from the live state when there is no database (then only what it still holds). */
function recentJobs({ station, records }: RecordSources, limit: number): JobRecord[] {
  if (records) return records.recentJobs(limit);
  return station
    .state()
    .jobs.map(({ etaMs: _eta, ...record }) => record)
    .sort((a, b) => b.id - a.id)
    .slice(0, limit);
}
