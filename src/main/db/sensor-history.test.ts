import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it, vi } from 'vitest';
import { openStationDatabase, SensorHistory, type StationDatabase } from './index';
import { MINUTE_MS } from './sensor-history';
import { useScratchFolders } from '../../test-support/main/scratch-folder';

const scratch = useScratchFolders();

/** Midnight UTC, so minutes line up with the samples' seconds. */
const T0 = Date.UTC(2026, 4, 1);

interface Harness {
  station: StationDatabase;
  file: string;
  clock: { now: number };
  /** Counts rows through a second connection: what is on disk, not what is buffered. */
  rows(table: 'sensor_samples' | 'sensor_minutes'): number;
}

function open(history: { batchRows?: number; rawRetentionMs?: number; rollupRetentionMs?: number } = {}, now = T0 + 86_400_000): Harness {
  const file = join(scratch(), 'station.db');
  const clock = { now };
  const station = openStationDatabase(file, { now: () => clock.now, sensorHistory: { flushIntervalMs: 0, ...history } });
  return {
    station,
    file,
    clock,
    rows(table) {
      const db = new Database(file);
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
  };
}

/** A reading that rises one unit per second, so any average of readings tells its own time. */
const ramp = (at: number) => (at - T0) / 1000;

/** With a clock, time passes as the readings arrive, as it does on a station. */
function recordRamp(history: SensorHistory, channel: string, fromSecond: number, seconds: number, clock?: { now: number }): void {
  for (let s = fromSecond; s < fromSecond + seconds; s++) {
    const at = T0 + s * 1000;
    if (clock) clock.now = Math.max(clock.now, at);
    history.record(channel, at, ramp(at));
  }
}

describe('sensor history: recording', () => {
  it('buffers samples and writes them a batch at a time', () => {
    const { station, rows } = open({ batchRows: 5 });
    const history = station.sensorHistory;
    recordRamp(history, 'ec1', 0, 4);
    expect(history.buffered).toBe(4);
    expect(rows('sensor_samples')).toBe(0);
    recordRamp(history, 'ec1', 4, 1);
    expect(history.buffered).toBe(0);
    expect(rows('sensor_samples')).toBe(5);
    recordRamp(history, 'ph1', 0, 3);
    expect(history.flush()).toBe(3);
    expect(rows('sensor_samples')).toBe(8);
    expect(history.flush()).toBe(0);
    station.close();
  });

  it('writes what is buffered on its interval, and on close', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const file = join(scratch(), 'station.db');
      const station = openStationDatabase(file, { now: () => T0 + 60_000, sensorHistory: { flushIntervalMs: 1000 } });
      recordRamp(station.sensorHistory, 'ec1', 0, 3);
      vi.advanceTimersByTime(999);
      expect(station.sensorHistory.buffered).toBe(3);
      vi.advanceTimersByTime(1);
      expect(station.sensorHistory.buffered).toBe(0);
      recordRamp(station.sensorHistory, 'ec1', 3, 2);
      station.close();
      const db = new Database(file);
      expect(db.prepare('SELECT count(*) AS n FROM sensor_samples').get()).toMatchObject({ n: 5 });
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps one sample per channel per second, the later one, even across a flush', () => {
    const { station } = open();
    const history = station.sensorHistory;
    history.record('ec1', T0, 1.0);
    history.record('ec1', T0 + 400, 1.1);
    history.record('ec1', T0 + 1000, 1.2);
    history.flush();
    history.record('ec1', T0 + 1700, 1.3);
    // Late: a newer reading already describes the tank better.
    history.record('ec1', T0 + 1500, 9.9);
    history.record('ec1', T0 + 2000, Number.NaN);
    expect(history.query('ec1', T0, T0 + 3000)?.points).toEqual([
      [T0 + 400, 1.1],
      [T0 + 1700, 1.3],
    ]);
    station.close();
  });

  it('records sensor readings and flow rates from station changes', () => {
    const { station, clock } = open();
    const history = station.sensorHistory;
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 5.9, at: T0 });
    clock.now = T0 + 5000;
    history.recordChange({ type: 'flow_update', meterId: 'flow1', pulses: 100, rate: 2.5 });
    history.recordChange({ type: 'relay_update', relayId: 'mixer', on: true, why: 'cmd' });
    expect(history.channels()).toEqual(['flow1', 'ph1']);
    expect(history.query('flow1', T0, T0 + 10_000)?.points).toEqual([[T0 + 5000, 2.5]]);
    station.close();
  });

  it('keeps the minute rows current as samples arrive', () => {
    const { station } = open();
    const db = new Database(station.file);
    const minute = () => db.prepare('SELECT minute, min, avg, max, count FROM sensor_minutes').all() as Array<Record<string, number>>;
    recordRamp(station.sensorHistory, 'ec1', 0, 10);
    station.sensorHistory.flush();
    expect(minute()).toEqual([{ minute: T0, min: 0, avg: 4.5, max: 9, count: 10 }]);
    recordRamp(station.sensorHistory, 'ec1', 10, 60);
    station.sensorHistory.flush();
    expect(minute()).toEqual([
      { minute: T0, min: 0, avg: 29.5, max: 59, count: 60 },
      { minute: T0 + MINUTE_MS, min: 60, avg: 64.5, max: 69, count: 10 },
    ]);
    db.close();
    station.close();
  });

  it('keeps the samples when the disk refuses a write, and writes them once it can', () => {
    const file = join(scratch(), 'station.db');
    openStationDatabase(file).close();
    const db = new Database(file);
    db.exec('PRAGMA busy_timeout = 0');
    const lines: string[] = [];
    const history = new SensorHistory(db, { batchRows: 3, flushIntervalMs: 0, now: () => T0 + 60_000, log: (line) => lines.push(line) });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    recordRamp(history, 'ec1', 0, 7);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/could not write 3 samples/);
    expect(history.buffered).toBe(7);
    other.exec('ROLLBACK');
    other.close();
    recordRamp(history, 'ec1', 7, 1);
    expect(history.buffered).toBe(8);
    expect(history.flush()).toBe(8);
    expect(history.query('ec1', T0, T0 + 60_000)?.points).toHaveLength(8);
    history.close();
    db.close();
  });
});

describe('sensor history: queries', () => {
  it('returns the samples themselves, oldest first, when they fit', () => {
    const { station } = open();
    recordRamp(station.sensorHistory, 'ec1', 0, 100);
    const found = station.sensorHistory.query('ec1', T0 + 10_000, T0 + 20_000, 11);
    expect(found).toEqual({
      channel: 'ec1',
      from: T0 + 10_000,
      to: T0 + 20_000,
      points: Array.from({ length: 11 }, (_, i) => [T0 + (10 + i) * 1000, 10 + i]),
      downsampled: false,
    });
    expect(station.sensorHistory.query('ec2', T0, T0 + 100_000)).toBeNull();
    expect(station.sensorHistory.query('ec1', T0 + 500_000, T0 + 600_000)?.points).toEqual([]);
    station.close();
  });

  // 2 h of samples at 1 s: 100 points is 72 samples a bucket (a query per bucket), 1,000 points
  // is 7.2 (one GROUP BY); 6 h into 100 points is 216 s a bucket, read from the minute rows.
  it.each([
    { hours: 2, maxPoints: 100 },
    { hours: 2, maxPoints: 1000 },
    { hours: 6, maxPoints: 100 },
  ])('downsamples $hours h to at most $maxPoints points covering the whole range', ({ hours, maxPoints }) => {
    const { station } = open();
    const seconds = hours * 3600;
    recordRamp(station.sensorHistory, 'ec1', 0, seconds);
    const to = T0 + (seconds - 1) * 1000;
    const found = station.sensorHistory.query('ec1', T0, to, maxPoints)!;
    expect(found.downsampled).toBe(true);
    expect(found.points.length).toBeLessThanOrEqual(maxPoints);
    expect(found.points.length).toBeGreaterThan(maxPoints * 0.95);
    const times = found.points.map(([at]) => at);
    expect(times.every((at, i) => i === 0 || at > times[i - 1]!)).toBe(true);
    const bucket = (to - T0) / maxPoints;
    expect(times[0]! - T0).toBeLessThan(bucket);
    expect(to - times.at(-1)!).toBeLessThan(bucket);
    // Bucket averages of a ramp sit on the ramp; minute rows stand at mid-minute, half a second
    // after their samples' mean time.
    for (const [at, value] of found.points) expect(Math.abs(value - ramp(at))).toBeLessThanOrEqual(0.5 + 1e-6);
    station.close();
  });

  it('leaves a gap in the readings as a gap', () => {
    const { station } = open();
    recordRamp(station.sensorHistory, 'ec1', 0, 600);
    recordRamp(station.sensorHistory, 'ec1', 3000, 600);
    const found = station.sensorHistory.query('ec1', T0, T0 + 3600 * 1000, 100)!;
    expect(found.points.length).toBeLessThanOrEqual(100);
    expect(found.points.filter(([at]) => at > T0 + 601_000 && at < T0 + 2_999_000)).toEqual([]);
    station.close();
  });
});

describe('sensor history: retention', () => {
  const tenMinutes = 10 * MINUTE_MS;
  const hour = 60 * MINUTE_MS;

  it('rolls raw samples past their retention up into minutes, deletes them, and is safe to repeat', () => {
    // 30 minutes of samples; half a minute past them, so minute 20 is only partly past retention.
    const now = T0 + 30 * MINUTE_MS + 30_000;
    const { station, rows, file, clock } = open({ rawRetentionMs: tenMinutes, rollupRetentionMs: hour }, T0);
    for (let s = 0; s < 30 * 60; s++) {
      recordRamp(station.sensorHistory, 'ec1', s, 1, clock);
      recordRamp(station.sensorHistory, 'ph1', s, 1, clock);
    }
    station.sensorHistory.flush();
    const db = new Database(file);
    const minutesBefore = db.prepare('SELECT * FROM sensor_minutes ORDER BY channel, minute').raw().all();

    expect(station.sensorHistory.runRetention(now)).toEqual({ rolledUpMinutes: 40, deletedSamples: 2 * 20 * 60, deletedMinutes: 0 });
    expect(rows('sensor_samples')).toBe(2 * 10 * 60);
    expect(db.prepare('SELECT min(at) AS at FROM sensor_samples').get()).toMatchObject({ at: T0 + 20 * MINUTE_MS });
    expect(db.prepare('SELECT * FROM sensor_minutes ORDER BY channel, minute').raw().all()).toEqual(minutesBefore);
    expect(db.prepare('SELECT min, avg, max, count FROM sensor_minutes WHERE minute = ? LIMIT 1').get(T0 + 5 * MINUTE_MS)).toMatchObject({
      min: 300,
      avg: 329.5,
      max: 359,
      count: 60,
    });

    expect(station.sensorHistory.runRetention(now)).toEqual({ rolledUpMinutes: 0, deletedSamples: 0, deletedMinutes: 0 });
    expect(db.prepare('SELECT * FROM sensor_minutes ORDER BY channel, minute').raw().all()).toEqual(minutesBefore);
    db.close();
    station.close();
  });

  it('answers a query across rolled-up minutes and raw samples', () => {
    const now = T0 + 30 * MINUTE_MS;
    const { station, clock } = open({ rawRetentionMs: tenMinutes, rollupRetentionMs: hour }, T0);
    recordRamp(station.sensorHistory, 'ec1', 0, 30 * 60, clock);
    station.sensorHistory.runRetention(now);
    const found = station.sensorHistory.query('ec1', T0, now, 10_000)!;
    expect(found.downsampled).toBe(true);
    const minutes = found.points.slice(0, 20);
    expect(minutes).toEqual(Array.from({ length: 20 }, (_, m) => [T0 + m * MINUTE_MS + 30_000, m * 60 + 29.5]));
    expect(found.points.slice(20)).toEqual(Array.from({ length: 600 }, (_, s) => [T0 + (1200 + s) * 1000, 1200 + s]));

    const coarse = station.sensorHistory.query('ec1', T0, now, 30)!;
    expect(coarse.points.length).toBeLessThanOrEqual(30);
    expect(coarse.points[0]![0]).toBeLessThan(T0 + MINUTE_MS);
    expect(coarse.points.at(-1)![0]).toBeGreaterThan(now - 2 * MINUTE_MS);
    station.close();
  });

  // 3 h at 1 s with 2 h of raw retention: the first hour is minute rows only. 250 points is 43 s
  // a bucket, ~29 rows (a query per bucket); 1,000 points is ~7 rows (one GROUP BY); 100 points
  // is 108 s a bucket (minute rows only).
  it.each([250, 1000, 100])('downsamples across rolled-up minutes and raw samples to at most %i points', (maxPoints) => {
    const { station, clock } = open({ rawRetentionMs: 2 * hour, rollupRetentionMs: 10 * hour }, T0);
    recordRamp(station.sensorHistory, 'ec1', 0, 3 * 3600, clock);
    const end = T0 + 3 * hour;
    expect(station.sensorHistory.runRetention(end).deletedSamples).toBe(3600);
    const found = station.sensorHistory.query('ec1', T0, end, maxPoints)!;
    expect(found.points.length).toBeLessThanOrEqual(maxPoints);
    // Buckets narrower than a minute cannot all be filled where only minute rows remain.
    const rolledUp = found.points.filter(([at]) => at < T0 + hour).length;
    expect(rolledUp).toBeGreaterThanOrEqual(Math.min(60, maxPoints / 3) * 0.95);
    expect(found.points.length - rolledUp).toBeGreaterThan(((2 * maxPoints) / 3) * 0.95);
    const times = found.points.map(([at]) => at);
    expect(times.every((at, i) => i === 0 || at > times[i - 1]!)).toBe(true);
    // A minute row stands at mid-minute, so the first point may be half a minute in.
    expect(times[0]! - T0).toBeLessThanOrEqual(Math.max((3 * hour) / maxPoints, 30_000));
    expect(end - times.at(-1)!).toBeLessThan((3 * hour) / maxPoints);
    for (const [at, value] of found.points) expect(Math.abs(value - ramp(at))).toBeLessThanOrEqual(0.5 + 1e-6);
    station.close();
  });

  it('deletes minute rows once their whole minute is past the rollup retention', () => {
    const { station, rows, clock } = open({ rawRetentionMs: tenMinutes, rollupRetentionMs: hour }, T0);
    // Three hours at 1 s: the raw samples expire an hour of one channel per transaction.
    recordRamp(station.sensorHistory, 'ec1', 0, 3 * 3600, clock);
    const report = station.sensorHistory.runRetention(T0 + 3 * hour);
    // The cutoff is 2 h: minutes 0 to 119 end by then; minute 120 starts on it and stays.
    expect(report).toEqual({ rolledUpMinutes: 170, deletedSamples: 170 * 60, deletedMinutes: 120 });
    expect(rows('sensor_minutes')).toBe(60);
    // A minute that overlaps the end of the window stands at that end.
    expect(station.sensorHistory.query('ec1', T0, T0 + 2 * hour, 10_000)!.points).toEqual([[T0 + 2 * hour, 120 * 60 + 29.5]]);

    expect(station.sensorHistory.runRetention(T0 + 10 * hour)).toEqual({ rolledUpMinutes: 10, deletedSamples: 600, deletedMinutes: 60 });
    expect(station.sensorHistory.query('ec1', T0, T0 + 10 * hour)).toMatchObject({ points: [] });
    expect(station.sensorHistory.channels()).toEqual(['ec1']);
    station.close();
  });

  it('drops a reading older than the raw retention rather than overwrite its minute', () => {
    const now = T0 + hour;
    const { station } = open({ rawRetentionMs: tenMinutes }, now);
    station.sensorHistory.record('ec1', now - tenMinutes - 1, 1);
    station.sensorHistory.record('ec1', now - tenMinutes + 1000, 2);
    expect(station.sensorHistory.query('ec1', T0, now)?.points).toEqual([[now - tenMinutes + 1000, 2]]);
    station.close();
  });
});

describe('sensor history: a calibrated probe’s raw values', () => {
  const tenMinutes = 10 * MINUTE_MS;

  /** Seconds of pH readings; from `calibratedFrom` on, each carries the controller's own value, 100 above its second. */
  function recordProbe(history: SensorHistory, fromSecond: number, seconds: number, calibratedFrom: number, clock?: { now: number }): void {
    for (let s = fromSecond; s < fromSecond + seconds; s++) {
      const at = T0 + s * 1000;
      if (clock) clock.now = Math.max(clock.now, at);
      history.record('ph1', at, s, s >= calibratedFrom ? 100 + s : null);
    }
  }

  it('keeps the raw value beside each sample and its average beside each minute, none where the reading was not calibrated', () => {
    const { station } = open();
    const history = station.sensorHistory;
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 5.9, at: T0 });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.2, at: T0 + 1000, raw: 6.0 });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.4, at: T0 + 2000, raw: 6.1 });
    history.flush();
    // The same second again, after a reset to uncalibrated: its raw value goes with it.
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: T0 + 2500 });
    history.record('ec1', T0, 1.4);
    history.flush();

    const db = new Database(station.file);
    expect(db.prepare('SELECT at, value, raw FROM sensor_samples ORDER BY channel, at').raw().all()).toEqual([
      [T0, 5.9, null],
      [T0 + 1000, 6.2, 6.0],
      [T0 + 2500, 6.1, null],
      [T0, 1.4, null],
    ]);
    expect(db.prepare('SELECT count, raw_avg, raw_count FROM sensor_minutes ORDER BY channel').raw().all()).toEqual([
      [3, 6.0, 1],
      [1, null, 0],
    ]);
    db.close();

    expect(history.query('ph1', T0, T0 + 3000)).toEqual({
      channel: 'ph1',
      from: T0,
      to: T0 + 3000,
      points: [
        [T0, 5.9],
        [T0 + 1000, 6.2],
        [T0 + 2500, 6.1],
      ],
      downsampled: false,
      raw: [null, 6.0, null],
    });
    // A channel never calibrated answers as it always did.
    expect(history.query('ec1', T0, T0 + 3000)).not.toHaveProperty('raw');
    station.close();
  });

  // Calibrated from second 25 of 40: into 4 points, 10 samples a bucket (one GROUP BY). The third
  // bucket's raw value is the mean of its 5 calibrated samples (125 to 129), not of all 10.
  it('averages a bucket’s raw values over the samples that have one, when calibration began mid-window', () => {
    const { station } = open();
    recordProbe(station.sensorHistory, 0, 40, 25);
    const found = station.sensorHistory.query('ph1', T0, T0 + 39_000, 4)!;
    expect(found.points.map(([, value]) => value)).toEqual([4.5, 14.5, 24.5, 34.5]);
    expect(found.raw).toEqual([null, null, 127, 134.5]);
    station.close();
  });

  // 200 s into 4 points is 50 samples a bucket: a query per bucket.
  it('does the same when each bucket is read on its own', () => {
    const { station } = open();
    recordProbe(station.sensorHistory, 0, 200, 120);
    const found = station.sensorHistory.query('ph1', T0, T0 + 199_000, 4)!;
    expect(found.points.map(([, value]) => value)).toEqual([24.5, 74.5, 124.5, 174.5]);
    expect(found.raw).toEqual([null, null, 234.5, 274.5]);
    station.close();
  });

  it('weighs a minute’s raw average by the samples that had one, once only minutes remain', () => {
    // Four minutes, calibrated from half way through the second.
    const { station, clock } = open({ rawRetentionMs: tenMinutes }, T0);
    recordProbe(station.sensorHistory, 0, 240, 90, clock);
    expect(station.sensorHistory.runRetention(T0 + 4 * MINUTE_MS + tenMinutes).deletedSamples).toBe(240);

    const minutes = station.sensorHistory.query('ph1', T0, T0 + 4 * MINUTE_MS)!;
    expect(minutes.points.map(([, value]) => value)).toEqual([29.5, 89.5, 149.5, 209.5]);
    expect(minutes.raw).toEqual([null, 204.5, 249.5, 309.5]);

    // Two buckets of two minutes: the first has 30 raw values among its 120 samples.
    const coarse = station.sensorHistory.query('ph1', T0, T0 + 4 * MINUTE_MS, 2)!;
    expect(coarse.points.map(([, value]) => value)).toEqual([59.5, 179.5]);
    expect(coarse.raw).toEqual([204.5, 279.5]);
    station.close();
  });
});
