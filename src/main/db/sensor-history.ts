/**
 * Sensor and flow readings on disk: raw samples (one per channel per second) for a week, then
 * one row per channel per minute (min, average, max, count) for a year. A calibrated probe's
 * sample also keeps the controller's own value (`raw`), and its minute the average of those.
 *
 * Minute rows are written as the samples arrive, not only when the raw samples expire, because a
 * chart of a day or a week wants minutes anyway: reading 1,440 rows beats averaging 86,400. The
 * raw samples of a minute are deleted only once the whole minute is past the raw retention, so a
 * minute row can always be recomputed from raw samples while any of them remain.
 *
 * Answers history queries in the same shape as the in-memory ReadingHistory, so `/api/history`
 * can read from either.
 */
import type Database from 'libsql';
import type { StationChange } from '../../shared/events';
import { DEFAULT_MAX_POINTS, historySampleOf, type ChannelHistory } from '../../shared/history';

export const MINUTE_MS = 60_000;
const HALF_MINUTE_MS = MINUTE_MS / 2;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Bound parameters for "no limit": SQLite compares them as numbers like any other. */
const FAR = Number.MAX_SAFE_INTEGER;

export interface SensorHistoryOptions {
  /** How long raw samples are kept; after that only their minute rows remain. Default 7 days. */
  rawRetentionMs?: number;
  /** How long minute rows are kept. Default 365 days. */
  rollupRetentionMs?: number;
  /** One sample is kept per channel per slot of this length; a later reading in the slot replaces it. */
  resolutionMs?: number;
  /** Buffered samples are written once this many wait. */
  batchRows?: number;
  /** ...and at least this often; 0 leaves writing to flush() and batchRows. */
  flushIntervalMs?: number;
  /** Flow updates carry no time of their own, so they are stamped with this clock. */
  now?: () => number;
  /** Where trouble writing is reported; the station keeps running without its history. */
  log?: (line: string) => void;
}

export interface RetentionReport {
  /** Minute rows (re)computed from raw samples about to be deleted. */
  rolledUpMinutes: number;
  deletedSamples: number;
  deletedMinutes: number;
}

interface PendingSample {
  channel: string;
  at: number;
  value: number;
  /** The controller's own value, when a probe calibration changed `value`. */
  raw: number | null;
  /** The time of an already written sample in the same slot, which this one replaces. */
  replaces: number | null;
}

/** The newest sample kept for a channel, so the next reading knows whether it shares its slot. */
interface ChannelTail {
  slot: number;
  at: number;
  /** Its index in the pending buffer, or -1 once written. */
  pending: number;
}

/** Samples per multi-row INSERT: one native call per 64 rows rather than per row, 3× the rate. */
const ROWS_PER_INSERT = 64;
/** If the disk refuses writes this long, the oldest buffered samples go rather than all memory. */
const MAX_BATCHES_HELD = 100;
/**
 * One indexed range query per bucket costs about as much as grouping 16 rows in a sort (measured
 * on the raw samples of a day, 4 to 48 rows per bucket). Past that, a query per bucket is faster:
 * a day of raw samples into 1,000 points takes 18 ms that way and 60 ms as one GROUP BY.
 */
const ROWS_PER_BUCKET_TO_QUERY_EACH = 16;

/** A minute row stands for its samples at mid-minute, clamped into the window asked for. */
const MINUTE_TIME = 'max(:from, min(:to, minute + 30000))';
// One lower and one upper bound per table: given several, SQLite would pick one for the index
// range and test the rest row by row, reading a whole day to find nothing.
const MINUTES_IN_RANGE = 'channel = :channel AND minute >= :minuteLo AND minute < :minuteHi';
const SAMPLES_IN_RANGE = 'channel = :channel AND at >= :rawLo AND at < :rawHi';
/**
 * Both tiers as (t, v, weight, raw, raw weight): a minute row weighs as many samples as it
 * summarises, and its raw average as many as had a raw value, so a bucket in which calibration
 * began averages the raw values it has rather than diluting them with the uncalibrated samples.
 */
const POINTS = `
  SELECT ${MINUTE_TIME} AS t, avg AS v, count AS w, raw_avg AS r, raw_count AS rw FROM sensor_minutes WHERE ${MINUTES_IN_RANGE}
  UNION ALL
  SELECT at, value, 1, raw, raw IS NOT NULL FROM sensor_samples WHERE ${SAMPLES_IN_RANGE}`;
/** A bucket's time, value and raw value: weighted means, the raw one null when the bucket has none. */
const BUCKET = 'total((t - :start) * w) / total(w) + :start, total(v * w) / total(w), total(r * rw) / nullif(total(rw), 0)';
const SAMPLE_COLUMNS = 4;

interface Ranges {
  channel: number;
  from: number;
  to: number;
  minuteLo: number;
  minuteHi: number;
  rawLo: number;
  rawHi: number;
}

/**
 * The rows a window reads: minute rows that overlap [from, to] and lie before `split`, raw samples
 * in [from, to] from `split` on, and of those only the ones whose point time is in [lo, hi).
 */
function ranges(channel: number, from: number, to: number, split: number, lo = -FAR, hi = FAR): Ranges {
  return {
    channel,
    from,
    to,
    minuteLo: Math.max(Math.floor(from) - MINUTE_MS + 1, lo - HALF_MINUTE_MS),
    minuteHi: Math.min(Math.floor(to) + 1, split, hi - HALF_MINUTE_MS),
    rawLo: Math.max(from, split, lo),
    rawHi: Math.min(Math.floor(to) + 1, hi),
  };
}

export class SensorHistory {
  private readonly rawRetentionMs: number;
  private readonly rollupRetentionMs: number;
  private readonly resolutionMs: number;
  private readonly batchRows: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly timer: ReturnType<typeof setInterval> | null;
  private pending: PendingSample[] = [];
  private readonly tails = new Map<string, ChannelTail>();
  private readonly ids = new Map<string, number>();
  /** The buffer length that triggers the next write; pushed back after a failed one. */
  private flushAt: number;
  private failing = false;
  private readonly sql;
  private readonly writeBatch: (batch: PendingSample[]) => void;
  private readonly expireChunk: (channel: number, from: number, to: number) => { rolledUp: number; deleted: number };

  constructor(
    db: Database.Database,
    options: SensorHistoryOptions = {},
  ) {
    const {
      rawRetentionMs = 7 * DAY_MS,
      rollupRetentionMs = 365 * DAY_MS,
      resolutionMs = 1000,
      batchRows = 1000,
      flushIntervalMs = 1000,
      now = Date.now,
      log = (line) => console.error(line),
    } = options;
    const check = (name: string, value: number, min: number) => {
      if (!(Number.isFinite(value) && value >= min)) throw new RangeError(`${name} must be a number of at least ${min}, not ${value}`);
    };
    check('rawRetentionMs', rawRetentionMs, MINUTE_MS);
    check('rollupRetentionMs', rollupRetentionMs, MINUTE_MS);
    // A slot longer than a minute would let a replaced sample move to another minute row.
    if (!(resolutionMs > 0 && resolutionMs <= MINUTE_MS)) throw new RangeError(`resolutionMs must be more than 0 and at most ${MINUTE_MS}, not ${resolutionMs}`);
    check('batchRows', batchRows, 1);
    check('flushIntervalMs', flushIntervalMs, 0);
    this.rawRetentionMs = rawRetentionMs;
    this.rollupRetentionMs = rollupRetentionMs;
    this.resolutionMs = resolutionMs;
    this.batchRows = Math.floor(batchRows);
    this.flushAt = this.batchRows;
    this.now = now;
    this.log = log;

    const insertRows = (rows: number) =>
      db.prepare(`INSERT OR REPLACE INTO sensor_samples (channel, at, value, raw) VALUES ${Array(rows).fill('(?, ?, ?, ?)').join(', ')}`);
    this.sql = {
      findChannel: db.prepare('SELECT id FROM sensor_channels WHERE name = ?'),
      addChannel: db.prepare('INSERT INTO sensor_channels (name) VALUES (?)'),
      channelNames: db.prepare('SELECT name FROM sensor_channels ORDER BY name'),
      channelIds: db.prepare('SELECT id FROM sensor_channels ORDER BY id'),
      insertOne: insertRows(1),
      insertMany: insertRows(ROWS_PER_INSERT),
      eraseSample: db.prepare('DELETE FROM sensor_samples WHERE channel = ? AND at = ?'),
      rollUp: db.prepare(`
        INSERT OR REPLACE INTO sensor_minutes (channel, minute, min, avg, max, count, raw_avg, raw_count)
        SELECT channel, at - at % ${MINUTE_MS} AS minute, min(value), avg(value), max(value), count(*), avg(raw), count(raw)
        FROM sensor_samples WHERE channel = ? AND at >= ? AND at < ? GROUP BY minute`),
      firstSample: db.prepare('SELECT at FROM sensor_samples WHERE channel = ? ORDER BY at LIMIT 1'),
      eraseSamplesBefore: db.prepare('DELETE FROM sensor_samples WHERE channel = ? AND at < ?'),
      eraseMinutesEndedBy: db.prepare(`DELETE FROM sensor_minutes WHERE channel = ? AND minute <= ? - ${MINUTE_MS}`),
      count: db.prepare(`SELECT
        (SELECT count(*) FROM (SELECT 1 FROM sensor_minutes WHERE ${MINUTES_IN_RANGE} LIMIT :cap)) AS minutes,
        (SELECT count(*) FROM (SELECT 1 FROM sensor_samples WHERE ${SAMPLES_IN_RANGE} LIMIT :cap)) AS samples`),
      extent: db.prepare(`SELECT
        (SELECT ${MINUTE_TIME} FROM sensor_minutes WHERE ${MINUTES_IN_RANGE} ORDER BY minute LIMIT 1) AS firstMinute,
        (SELECT ${MINUTE_TIME} FROM sensor_minutes WHERE ${MINUTES_IN_RANGE} ORDER BY minute DESC LIMIT 1) AS lastMinute,
        (SELECT at FROM sensor_samples WHERE ${SAMPLES_IN_RANGE} ORDER BY at LIMIT 1) AS firstSample,
        (SELECT at FROM sensor_samples WHERE ${SAMPLES_IN_RANGE} ORDER BY at DESC LIMIT 1) AS lastSample`),
      points: db.prepare(`SELECT t, v, r FROM (${POINTS}) ORDER BY t`).raw(),
      // Bucket times are kept relative to the start so that sums of epoch milliseconds cannot
      // lose precision however many rows a bucket holds.
      groupedBuckets: db
        .prepare(`SELECT ${BUCKET} FROM (${POINTS}) GROUP BY max(0, min(:buckets - 1, CAST((t - :start) * :buckets / :span AS INTEGER))) ORDER BY 1`)
        .raw(),
      oneBucket: db.prepare(`SELECT ${BUCKET} FROM (${POINTS})`).raw(),
    };

    this.writeBatch = db
      .transaction((batch: PendingSample[]) => {
        const rows: Array<number | null> = [];
        const touched = new Map<number, { from: number; to: number }>();
        for (const sample of batch) {
          const channel = this.channelId(sample.channel, true)!;
          if (sample.replaces !== null) this.sql.eraseSample.run(channel, sample.replaces);
          rows.push(channel, sample.at, sample.value, sample.raw);
          const span = touched.get(channel);
          const earliest = Math.min(sample.at, sample.replaces ?? sample.at);
          if (!span) touched.set(channel, { from: earliest, to: sample.at });
          else {
            span.from = Math.min(span.from, earliest);
            span.to = Math.max(span.to, sample.at);
          }
        }
        const perInsert = SAMPLE_COLUMNS * ROWS_PER_INSERT;
        const whole = rows.length - (rows.length % perInsert);
        for (let i = 0; i < whole; i += perInsert) this.sql.insertMany.run(rows.slice(i, i + perInsert));
        for (let i = whole; i < rows.length; i += SAMPLE_COLUMNS) this.sql.insertOne.run(rows.slice(i, i + SAMPLE_COLUMNS));
        for (const [channel, span] of touched) this.sql.rollUp.run(channel, floorMinute(span.from), floorMinute(span.to) + MINUTE_MS);
      })
      .immediate;

    this.expireChunk = db
      .transaction((channel: number, from: number, to: number) => {
        const rolledUp = this.sql.rollUp.run(channel, from, to).changes;
        const deleted = this.sql.eraseSamplesBefore.run(channel, to).changes;
        return { rolledUp, deleted };
      })
      .immediate;

    this.timer = flushIntervalMs > 0 ? setInterval(() => this.flushQuietly(), flushIntervalMs) : null;
    // The interval only saves samples; it must not keep a finished process alive.
    this.timer?.unref();
  }

  /** Samples waiting in memory to be written. */
  get buffered(): number {
    return this.pending.length;
  }

  /** `raw` is the controller's own value, for a reading a probe calibration changed. */
  record(channel: string, at: number, value: number, raw: number | null = null): void {
    if (!Number.isFinite(value) || !Number.isFinite(at)) return;
    const rawValue = raw !== null && Number.isFinite(raw) ? raw : null;
    const time = Math.round(at);
    // Its minute may already be summarised and its raw samples gone; writing it would replace
    // that minute's row with a summary of this one sample.
    if (time < this.now() - this.rawRetentionMs) return;
    const slot = Math.floor(time / this.resolutionMs);
    const tail = this.tails.get(channel);
    if (tail) {
      // A late reading would land behind one that already describes the tank better.
      if (time < tail.at) return;
      if (slot === tail.slot) {
        const waiting = this.pending[tail.pending];
        if (waiting) {
          waiting.at = time;
          waiting.value = value;
          waiting.raw = rawValue;
        } else {
          tail.pending = this.pending.push({ channel, at: time, value, raw: rawValue, replaces: tail.at }) - 1;
        }
        tail.at = time;
        return;
      }
    }
    this.tails.set(channel, { slot, at: time, pending: this.pending.push({ channel, at: time, value, raw: rawValue, replaces: null }) - 1 });
    if (this.pending.length >= this.flushAt) this.flushQuietly();
  }

  recordChange(change: StationChange): void {
    const sample = historySampleOf(change, this.now);
    if (sample) this.record(sample.channel, sample.at, sample.value, sample.raw ?? null);
  }

  /** Writes the buffered samples in one transaction; returns how many. Throws if it cannot. */
  flush(): number {
    const batch = this.pending;
    if (batch.length === 0) return 0;
    try {
      this.writeBatch(batch);
    } catch (err) {
      // A channel added inside the rolled-back transaction does not exist after all.
      this.ids.clear();
      throw err;
    }
    this.pending = [];
    for (const tail of this.tails.values()) tail.pending = -1;
    return batch.length;
  }

  /** Every channel with history, sorted, so a 404 can list what exists. */
  channels(): string[] {
    this.flushQuietly();
    return (this.sql.channelNames.all() as Array<{ name: string }>).map((row) => row.name);
  }

  /**
   * Readings with `from <= t <= to`, at most `maxPoints` of them; null when the channel has never
   * been recorded. Where raw samples are gone, their minute rows stand in for them. Downsampling
   * averages equal spans of time between the first and last reading found, as ReadingHistory
   * does, and an empty span gives no point, so a gap stays visible. Where a probe calibration
   * changed readings in the window, `raw` holds the controller's values beside the points.
   */
  query(channel: string, from: number, to: number, maxPoints = DEFAULT_MAX_POINTS): ChannelHistory | null {
    this.flushQuietly();
    const id = this.channelId(channel, false);
    if (id === undefined) return null;
    const buckets = Math.max(1, Math.floor(maxPoints));
    const first = this.sql.firstSample.get(id) as { at: number } | undefined;
    // Before the first raw sample's minute only minute rows exist; from it on, raw samples do.
    let split = first ? floorMinute(first.at) : FAR;
    const window = ranges(id, from, to, split);
    const found = this.sql.count.get({ ...window, cap: buckets + 1 }) as { minutes: number; samples: number };
    if (found.minutes + found.samples <= buckets) {
      return withRaw({ channel, from, to, downsampled: found.minutes > 0 }, this.sql.points.all(window) as RowPoint[]);
    }
    const ends = this.sql.extent.get(window) as Record<'firstMinute' | 'lastMinute' | 'firstSample' | 'lastSample', number | null>;
    const start = Math.min(ends.firstMinute ?? FAR, ends.firstSample ?? FAR);
    const end = Math.max(ends.lastMinute ?? -FAR, ends.lastSample ?? -FAR);
    // More readings than buckets, each at its own time, so the span is never zero; the floor
    // only guards the division.
    const span = Math.max(1, end - start);
    // When each bucket spans a minute or more, the minute rows already hold everything it needs.
    if (span / buckets >= MINUTE_MS) split = FAR;
    const rows = Math.max(0, Math.min(end, split) - start) / MINUTE_MS + Math.max(0, end - Math.max(start, split)) / this.resolutionMs;
    const bucketing = { start, span, buckets };
    let points: RowPoint[];
    if (rows / buckets > ROWS_PER_BUCKET_TO_QUERY_EACH) {
      points = [];
      for (let i = 0; i < buckets; i++) {
        const lo = i === 0 ? -FAR : start + (span * i) / buckets;
        const hi = i === buckets - 1 ? FAR : start + (span * (i + 1)) / buckets;
        const point = this.sql.oneBucket.get({ ...ranges(id, from, to, split, lo, hi), ...bucketing }) as [number | null, number | null, number | null];
        if (point[0] !== null && point[1] !== null) points.push(point as RowPoint);
      }
    } else {
      points = this.sql.groupedBuckets.all({ ...ranges(id, from, to, split), ...bucketing }) as RowPoint[];
    }
    return withRaw({ channel, from, to, downsampled: true }, points);
  }

  /**
   * Summarises and deletes raw samples whose minute is wholly older than the raw retention, an
   * hour of one channel per transaction so the write lock is never held for long, then deletes
   * minute rows wholly older than the rollup retention. Safe to run at any time and as often as
   * wanted: a minute is recomputed from its raw samples before they go, never merged twice.
   */
  runRetention(now: number = this.now()): RetentionReport {
    this.flushQuietly();
    const report: RetentionReport = { rolledUpMinutes: 0, deletedSamples: 0, deletedMinutes: 0 };
    const rawCutoff = floorMinute(now - this.rawRetentionMs);
    const rollupCutoff = now - this.rollupRetentionMs;
    for (const { id } of this.sql.channelIds.all() as Array<{ id: number }>) {
      for (;;) {
        const first = this.sql.firstSample.get(id) as { at: number } | undefined;
        if (!first || first.at >= rawCutoff) break;
        const from = floorMinute(first.at);
        const { rolledUp, deleted } = this.expireChunk(id, from, Math.min(rawCutoff, from + HOUR_MS));
        report.rolledUpMinutes += rolledUp;
        report.deletedSamples += deleted;
      }
      report.deletedMinutes += this.sql.eraseMinutesEndedBy.run(id, rollupCutoff).changes;
    }
    return report;
  }

  /** Stops the flush timer and writes what is buffered. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  private channelId(name: string, create: boolean): number | undefined {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    let row = this.sql.findChannel.get(name) as { id: number } | undefined;
    if (!row && create) row = { id: Number(this.sql.addChannel.run(name).lastInsertRowid) };
    if (row) this.ids.set(name, row.id);
    return row?.id;
  }

  /** For the timer and the batch trigger: trouble is logged, and the samples wait for the next try. */
  private flushQuietly(): void {
    const waiting = this.pending.length;
    try {
      this.flush();
      if (this.failing) this.log(`sensor history: writing again`);
      this.failing = false;
      this.flushAt = this.batchRows;
    } catch (err) {
      if (!this.failing) {
        this.log(`sensor history: could not write ${waiting} samples (${err instanceof Error ? err.message : String(err)}); keeping them to try again`);
      }
      this.failing = true;
      this.flushAt = this.pending.length + this.batchRows;
      const excess = this.pending.length - this.batchRows * MAX_BATCHES_HELD;
      if (excess > 0) {
        this.pending.splice(0, excess);
        for (const tail of this.tails.values()) tail.pending = tail.pending >= excess ? tail.pending - excess : -1;
        this.flushAt = this.pending.length + this.batchRows;
        this.log(`sensor history: dropped the oldest ${excess} samples while the database refuses writes`);
      }
    }
  }
}

/** A point as the queries read it: time, value, and the raw value or null. */
type RowPoint = [number, number, number | null];

/** The answer, with `raw` beside the points only when some point has one. */
function withRaw({ channel, from, to, downsampled }: Omit<ChannelHistory, 'points' | 'raw'>, rows: RowPoint[]): ChannelHistory {
  const points = rows.map(([t, v]): [number, number] => [t, v]);
  if (!rows.some((row) => row[2] !== null)) return { channel, from, to, points, downsampled };
  return { channel, from, to, points, downsampled, raw: rows.map((row) => row[2]) };
}

function floorMinute(time: number): number {
  return Math.floor(time / MINUTE_MS) * MINUTE_MS;
}
