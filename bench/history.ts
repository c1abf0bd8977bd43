/**
 * Sensor history in the station database: how fast samples go in, how fast a chart comes out, and
 * what a day of history costs in memory and on disk.
 *
 *   readings → SensorHistory.record (one per channel per second, buffered)
 *            → batched transactions into raw samples and their minute rows
 *   chart    → SensorHistory.query (24 h of one channel, 1,000 points)
 *
 * The query is also timed the ways it was not built, against the same file, to show the choice:
 * bucket averages from raw samples in one GROUP BY, one indexed query per bucket, and every raw
 * sample pulled into JavaScript and averaged there.
 *
 * Run: npm run bench:history [-- --days N --channels N --runs N --batch ROWS]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'libsql';
import { openStationDatabase } from '../src/main/db';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '1' },
    channels: { type: 'string', default: '8' },
    runs: { type: 'string', default: '20' },
    batch: { type: 'string', default: '1000' },
  },
});
const DAYS = Number(values.days);
const CHANNELS = Number(values.channels);
const RUNS = Number(values.runs);
const BATCH = Number(values.batch);

const DAY_MS = 86_400_000;
/** Midnight UTC, so minutes and buckets line up the way they would on a real station's clock. */
const T0 = Date.UTC(2026, 4, 1);
const END = T0 + DAYS * DAY_MS;
const CHART_POINTS = 1000;

const channelNames = Array.from({ length: CHANNELS }, (_, i) => ['ec', 'ph', 'temp', 'level'][i % 4]! + String(1 + Math.floor(i / 4)));

/** A slow daily swing with a little noise, roughly what a tank's probes report. */
function reading(channel: number, second: number): number {
  return 5 + channel + Math.sin((second / 86_400) * 2 * Math.PI) + ((second * 7919 + channel * 104_729) % 1000) / 10_000;
}

function timedMs(run: () => unknown): number {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function fileBytes(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      bytes += statSync(file + suffix).size;
    } catch {
      // No WAL yet, or already checkpointed away.
    }
  }
  return bytes;
}

const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-bench-history-'));
  const file = join(dir, 'station.db');
  try {
    const rssBefore = process.memoryUsage().rss;
    const station = openStationDatabase(file, { now: () => END, sensorHistory: { batchRows: BATCH, flushIntervalMs: 0 } });
    const history = station.sensorHistory;

    const samples = DAYS * 86_400 * CHANNELS;
    const rssByDay: number[] = [];
    let insertMs = 0;
    for (let day = 0; day < DAYS; day++) {
      insertMs += timedMs(() => {
        for (let second = day * 86_400; second < (day + 1) * 86_400; second++) {
          const at = T0 + second * 1000;
          for (let c = 0; c < CHANNELS; c++) history.record(channelNames[c]!, at, reading(c, second));
        }
        history.flush();
      });
      rssByDay.push(process.memoryUsage().rss);
    }
    const rate = samples / (insertMs / 1000);

    const from = END - DAY_MS;
    const to = END - 1000;
    const channel = channelNames[0]!;
    const check = history.query(channel, from, to, CHART_POINTS);
    if (!check || check.points.length > CHART_POINTS || check.points.length < CHART_POINTS * 0.9) {
      throw new Error(`the 24 h query returned ${check?.points.length ?? 'nothing'} points`);
    }
    const chart = Array.from({ length: RUNS }, () => timedMs(() => history.query(channel, from, to, CHART_POINTS)));
    const hour = Array.from({ length: RUNS }, () => timedMs(() => history.query(channel, END - 3_600_000, to, CHART_POINTS)));
    const week = DAYS >= 7 ? Array.from({ length: RUNS }, () => timedMs(() => history.query(channel, END - 7 * DAY_MS, to, CHART_POINTS))) : null;

    // The roads not taken, on a second connection to the same file.
    const reader = new Database(file);
    const id = (reader.prepare('SELECT id FROM sensor_channels WHERE name = ?').get(channel) as { id: number }).id;
    const width = (to - from) / CHART_POINTS;
    const grouped = reader
      .prepare(
        `SELECT avg(at), avg(value) FROM sensor_samples WHERE channel = ? AND at >= ? AND at <= ?
         GROUP BY min(? - 1, CAST((at - ?) / ? AS INTEGER)) ORDER BY 1`,
      )
      .raw();
    const oneBucket = reader.prepare('SELECT avg(at), avg(value) FROM sensor_samples WHERE channel = ? AND at >= ? AND at < ?').raw();
    const everySample = reader.prepare('SELECT at, value FROM sensor_samples WHERE channel = ? AND at >= ? AND at <= ?').raw();
    const alternatives = {
      'raw samples, GROUP BY bucket in SQL': () => grouped.all(id, from, to, CHART_POINTS, from, width),
      'raw samples, one query per bucket': () => {
        for (let i = 0; i < CHART_POINTS; i++) oneBucket.get(id, from + i * width, i === CHART_POINTS - 1 ? to + 1 : from + (i + 1) * width);
      },
      'raw samples averaged in JavaScript': () => {
        const sums = new Float64Array(CHART_POINTS * 3);
        for (const [at, value] of everySample.all(id, from, to) as Array<[number, number]>) {
          const b = Math.min(CHART_POINTS - 1, Math.floor((at - from) / width)) * 3;
          sums[b]! += at;
          sums[b + 1]! += value;
          sums[b + 2]! += 1;
        }
      },
    };
    const alternativeTimes = Object.entries(alternatives).map(([name, run]) => [name, Array.from({ length: Math.min(RUNS, 10) }, () => timedMs(run))] as const);
    reader.close();

    station.close();
    const tidy = new Database(file);
    tidy.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    tidy.close();
    const bytes = fileBytes(file);

    const chartMedian = percentile(chart, 0.5);
    const chartP95 = percentile(chart, 0.95);
    const line = (label: string, figures: string) => console.log(`  ${label.padEnd(44)} ${figures}`);
    const timing = (times: number[]) => `median ${ms(percentile(times, 0.5))}, p95 ${ms(percentile(times, 0.95))}`;
    console.log(`history: ${CHANNELS} channels × ${DAYS} day(s) at 1 s = ${samples.toLocaleString('en')} samples, ${BATCH} per transaction, ${RUNS} runs per query`);
    line('insert (record → batched transactions):', `${Math.round(rate).toLocaleString('en')} rows/s   target ≥ 50,000: ${mark(rate >= 50_000)}`);
    line(`query 24 h → ${CHART_POINTS} points (minute rows):`, `${timing(chart)}   target ≤ 50 ms: ${mark(chartP95 <= 50 && chartMedian <= 50)}`);
    line(`query 1 h → ${CHART_POINTS} points (raw samples):`, timing(hour));
    if (week) line(`query 7 d → ${CHART_POINTS} points (minute rows):`, timing(week));
    console.log('  the same 24 h chart, built the ways it was not:');
    for (const [name, times] of alternativeTimes) line(`  ${name}:`, `median ${ms(percentile(times, 0.5))}`);
    line('database file:', `${mib(bytes)}, ${mib(bytes / DAYS)} per simulated day`);
    line('rss after each simulated day:', `${rssByDay.map(mib).join(', ')} (${mib(rssBefore)} before opening)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
