/**
 * What the station did: the jobs it ran, the alerts it raised, every dose it delivered and every
 * fill it let in. Rows
 * are added as things happen and kept, so a grower can look back at (and export) a whole season.
 */
import type Database from 'libsql';
import type { DoseAuditEntry, FillLogEntry, JobKind, JobSpec } from '../../shared/jobs';
import type { Alert, Job, JobState } from '../../shared/station';

export type { DoseAuditEntry, FillLogEntry };

/** A job as kept: the live one without its estimate of the time left. */
export type JobRecord = Omit<Job, 'etaMs'>;

export type JobPatch = Partial<{ state: JobState; startedAt: number; endedAt: number; progress: number; detail: string }>;

export interface Jobs {
  /** Stores a queued job and returns its number, which is never reused. */
  create(job: { spec: JobSpec; tankId: string | null; requestedBy: string; createdAt: number }): number;
  update(id: number, patch: JobPatch): void;
  get(id: number): JobRecord | null;
  /** Newest first. */
  recent(limit: number): JobRecord[];
  /** Jobs of these kinds that started within the range (both ends inclusive), oldest first; the newest `limit` of them. */
  startedBetween(kinds: readonly JobKind[], range: { from: number; to: number }, limit: number): JobRecord[];
  /**
   * For start-up: a job that was queued, running or paused when Tendril stopped did not finish,
   * and nothing will resume it. Each becomes interrupted, ended at `at`; returns them.
   */
  interruptUnfinished(at: number): JobRecord[];
}

export interface StoredAlert extends Alert {
  acknowledgedAt: number | null;
}

export interface Alerts {
  /** Stores the alert and returns its number in the database (not the live state's id). */
  add(alert: Omit<Alert, 'id'>): number;
  /** A repeat folded into a stored alert: how many times now, when last, and its latest words. */
  refold(id: number, count: number, lastAt: number, message: string): void;
  /** Newest first. */
  recent(limit: number): StoredAlert[];
  /** Alerts with this code raised, or folded into again, within the range (both ends inclusive), oldest first; the newest `limit` of them. */
  raisedBetween(code: string, range: { from: number; to: number }, limit: number): StoredAlert[];
  /** Warnings and errors nobody has acknowledged yet, oldest first. */
  unacknowledged(limit: number): StoredAlert[];
  /** Keeps the first acknowledgement; false when there is no such alert. */
  acknowledge(id: number, at: number, by?: string): boolean;
}

export interface FillLog {
  /** A fill whose water is about to start; returns its number for `close`. */
  open(entry: Omit<FillLogEntry, 'filledL'>): number;
  /** The litres it let in, as its meter counted them. */
  close(id: number, filledL: number): void;
  /** Oldest first; both ends inclusive. */
  list(range: { from: number; to: number }): FillLogEntry[];
}

export interface DoseAudit {
  add(entry: DoseAuditEntry): void;
  /**
   * A dose about to start, counted as its full amount until it ends: if Tendril stops before it
   * can write the end, the daily cap still counts the most the pump may have delivered.
   * Returns the entry's number for `close`.
   */
  open(entry: Omit<DoseAuditEntry, 'deliveredMl' | 'outcome'>): number;
  close(id: number, deliveredMl: number, outcome: string): void;
  /**
   * At start: the doses the last run opened and never closed. Whatever the pump delivered before
   * the controller's own bound or watchdog stopped it is unknown, so they keep their full amount.
   * Returns how many there were.
   */
  settleOpen(): number;
  /** Oldest first; both ends inclusive. */
  list(range?: { from?: number; to?: number }): DoseAuditEntry[];
  /** Millilitres the pump delivered at or after `since`. */
  deliveredSince(pumpId: string, since: number): number;
}

const UNFINISHED = "('queued', 'running', 'paused')";

/** The outcome of a dose while it runs. */
export const DOSE_RUNNING = 'running';
/** The outcome of a dose Tendril stopped during; its delivered figure is the most it may have been. */
export const DOSE_UNKNOWN = 'unknown: Tendril stopped while the pump ran; counted as the full amount';

interface JobRow {
  id: number;
  kind: string;
  spec: string;
  tank_id: string | null;
  state: string;
  requested_by: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  progress: number;
  detail: string;
}

const JOB_COLUMNS = 'id, kind, spec, tank_id, state, requested_by, created_at, started_at, ended_at, progress, detail';

const jobOf = (row: JobRow): JobRecord => ({
  id: row.id,
  spec: JSON.parse(row.spec) as JobSpec,
  kind: row.kind as JobKind,
  tankId: row.tank_id,
  state: row.state as JobState,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  progress: row.progress,
  detail: row.detail,
});

const PATCH_COLUMNS: Record<keyof JobPatch, string> = {
  state: 'state',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  progress: 'progress',
  detail: 'detail',
};

export function jobsTable(db: Database.Database): Jobs {
  const insert = db.prepare(
    "INSERT INTO jobs (kind, spec, tank_id, state, requested_by, created_at, progress, detail) VALUES (?, ?, ?, 'queued', ?, ?, 0, '')",
  );
  const read = db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`);
  const readRecent = db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?`);
  const readStarted = db.prepare(
    `SELECT ${JOB_COLUMNS} FROM jobs WHERE started_at BETWEEN ? AND ? AND kind IN (SELECT value FROM json_each(?)) ORDER BY started_at DESC, id DESC LIMIT ?`,
  );
  const interrupt = db.prepare(`UPDATE jobs SET state = 'interrupted', ended_at = ? WHERE state IN ${UNFINISHED} RETURNING ${JOB_COLUMNS}`);
  // One statement per combination of fields, prepared once: a running job reports progress often.
  const updates = new Map<string, Database.Statement>();
  return {
    create(job) {
      const result = insert.run(job.spec.kind, JSON.stringify(job.spec), job.tankId, job.requestedBy, job.createdAt);
      return Number(result.lastInsertRowid);
    },
    update(id, patch) {
      const fields = (Object.keys(PATCH_COLUMNS) as Array<keyof JobPatch>).filter((field) => patch[field] !== undefined);
      if (fields.length === 0) return;
      const key = fields.join(',');
      let statement = updates.get(key);
      if (!statement) {
        statement = db.prepare(`UPDATE jobs SET ${fields.map((field) => `${PATCH_COLUMNS[field]} = ?`).join(', ')} WHERE id = ?`);
        updates.set(key, statement);
      }
      const { changes } = statement.run(...fields.map((field) => patch[field]), id);
      if (changes === 0) throw new RangeError(`there is no job ${id} to update`);
    },
    get(id) {
      const row = read.get(id) as JobRow | undefined;
      return row ? jobOf(row) : null;
    },
    recent(limit) {
      return (readRecent.all(limit) as JobRow[]).map(jobOf);
    },
    startedBetween(kinds, { from, to }, limit) {
      return (readStarted.all(from, to, JSON.stringify(kinds), limit) as JobRow[]).map(jobOf).reverse();
    },
    interruptUnfinished(at) {
      return (interrupt.all(at) as JobRow[]).map(jobOf).sort((a, b) => a.id - b.id);
    },
  };
}

interface AlertRow {
  id: number;
  level: string;
  code: string;
  message: string;
  at: number;
  source: string;
  subject: string | null;
  count: number;
  last_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

const ALERT_COLUMNS = 'id, level, code, message, at, source, subject, count, last_at, acknowledged_at, acknowledged_by';

function storedAlert(row: AlertRow): StoredAlert {
  const alert: StoredAlert = {
    id: row.id,
    level: row.level as Alert['level'],
    code: row.code,
    message: row.message,
    at: row.at,
    source: row.source as Alert['source'],
    acknowledgedAt: row.acknowledged_at,
  };
  if (row.subject !== null) alert.subject = row.subject;
  if (row.count > 1) alert.count = row.count;
  if (row.last_at !== null) alert.lastAt = row.last_at;
  if (row.acknowledged_at !== null) alert.ack = { by: row.acknowledged_by ?? 'someone', at: row.acknowledged_at };
  return alert;
}

export function alertsTable(db: Database.Database): Alerts {
  const insert = db.prepare('INSERT INTO alerts (level, code, message, at, source, subject, count, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const refold = db.prepare('UPDATE alerts SET count = ?, last_at = ?, message = ? WHERE id = ?');
  const readRecent = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts ORDER BY id DESC LIMIT ?`);
  // A folded alert spans its first and its latest time: it is in a range that holds either.
  const readRaised = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE code = ? AND at <= ? AND coalesce(last_at, at) >= ? ORDER BY at DESC, id DESC LIMIT ?`);
  // Notes never wait for anyone, so they are left out whatever their column says.
  const readWaiting = db.prepare(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE acknowledged_at IS NULL AND level != 'info' ORDER BY id DESC LIMIT ?`);
  const acknowledge = db.prepare('UPDATE alerts SET acknowledged_by = CASE WHEN acknowledged_at IS NULL THEN ? ELSE acknowledged_by END, acknowledged_at = coalesce(acknowledged_at, ?) WHERE id = ?');
  return {
    add(alert) {
      const row = [alert.level, alert.code, alert.message, alert.at, alert.source, alert.subject ?? null, alert.count ?? 1, alert.lastAt ?? null];
      return Number(insert.run(...row).lastInsertRowid);
    },
    refold(id, count, lastAt, message) {
      refold.run(count, lastAt, message, id);
    },
    recent(limit) {
      return (readRecent.all(limit) as AlertRow[]).map(storedAlert);
    },
    raisedBetween(code, { from, to }, limit) {
      return (readRaised.all(code, to, from, limit) as AlertRow[]).map(storedAlert).reverse();
    },
    unacknowledged(limit) {
      return (readWaiting.all(limit) as AlertRow[]).map(storedAlert).reverse();
    },
    acknowledge(id, at, by) {
      return acknowledge.run(by ?? null, at, id).changes > 0;
    },
  };
}

interface DoseRow {
  at: number;
  pump_id: string;
  requested_ml: number;
  delivered_ml: number;
  job_id: number | null;
  requested_by: string;
  outcome: string;
}

export function doseAuditTable(db: Database.Database): DoseAudit {
  const insert = db.prepare(
    'INSERT INTO dose_audit (at, pump_id, requested_ml, delivered_ml, job_id, requested_by, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const readRange = db.prepare(
    'SELECT at, pump_id, requested_ml, delivered_ml, job_id, requested_by, outcome FROM dose_audit WHERE at >= ? AND at <= ? ORDER BY at, id',
  );
  const delivered = db.prepare('SELECT total(delivered_ml) AS ml FROM dose_audit WHERE pump_id = ? AND at >= ?');
  const closeOne = db.prepare('UPDATE dose_audit SET delivered_ml = ?, outcome = ? WHERE id = ?');
  const settle = db.prepare('UPDATE dose_audit SET outcome = ? WHERE outcome = ?');
  return {
    add(entry) {
      insert.run(entry.at, entry.pumpId, entry.requestedMl, entry.deliveredMl, entry.jobId, entry.requestedBy, entry.outcome);
    },
    open(entry) {
      const result = insert.run(entry.at, entry.pumpId, entry.requestedMl, entry.requestedMl, entry.jobId, entry.requestedBy, DOSE_RUNNING);
      return Number(result.lastInsertRowid);
    },
    close(id, deliveredMl, outcome) {
      closeOne.run(deliveredMl, outcome, id);
    },
    settleOpen() {
      return settle.run(DOSE_UNKNOWN, DOSE_RUNNING).changes;
    },
    list(range = {}) {
      const rows = readRange.all(range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER) as DoseRow[];
      return rows.map((row) => ({
        at: row.at,
        pumpId: row.pump_id,
        requestedMl: row.requested_ml,
        deliveredMl: row.delivered_ml,
        jobId: row.job_id,
        requestedBy: row.requested_by,
        outcome: row.outcome,
      }));
    },
    deliveredSince(pumpId, since) {
      return (delivered.get(pumpId, since) as { ml: number }).ml;
    },
  };
}

interface FillRow {
  at: number;
  tank_id: string;
  job_id: number | null;
  filled_l: number | null;
}

export function fillLogTable(db: Database.Database): FillLog {
  const insert = db.prepare('INSERT INTO fill_log (at, tank_id, job_id) VALUES (?, ?, ?)');
  const closeOne = db.prepare('UPDATE fill_log SET filled_l = ? WHERE id = ?');
  const readRange = db.prepare('SELECT at, tank_id, job_id, filled_l FROM fill_log WHERE at >= ? AND at <= ? ORDER BY at, id');
  return {
    open(entry) {
      return Number(insert.run(entry.at, entry.tankId, entry.jobId).lastInsertRowid);
    },
    close(id, filledL) {
      closeOne.run(filledL, id);
    },
    list(range) {
      return (readRange.all(range.from, range.to) as FillRow[]).map((row) => ({ at: row.at, tankId: row.tank_id, jobId: row.job_id, filledL: row.filled_l }));
    },
  };
}
