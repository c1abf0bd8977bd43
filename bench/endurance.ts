/**
 * Memory and disk over simulated days: the simulator as its own process on a real pty, headless
 * Tendril as another with a data folder of its own, and screens watching on the LAN API. Every
 * simulated day it prints Tendril's resident memory (from /proc), its V8 heap (written out by
 * bench/heap-reporter.mjs, loaded into it with NODE_OPTIONS, so Tendril needs no flag and the
 * LAN API stays as it is), the station database's size (file and WAL) and the load average; at
 * the end the slope of each over days 2..N by least squares.
 *
 *   npm run bench:endurance -- [--days 30] [--time-scale 1000] [--screens 20] [--read-every 1000|simulated]
 *
 * The station stamps readings and cuts its history by the host's clock. So that the run keeps
 * what a real station keeps per simulated day, its settings.json divides the history's retention
 * (history.rawDays, history.minuteDays) by the time scale: a week of raw readings is ten real
 * minutes at 1000×.
 *
 * Memory follows what arrives each real second, so by default the simulator reads its sensors
 * once a real second, as a real station does (`--read-every 1000`), whatever the time scale: a
 * simulated day then holds fewer samples than a real one, and the database's figures show that
 * it stays bounded, not how big a real station's grows (`npm run bench:history` measures a real
 * day's). `--read-every simulated` reads once a simulated second instead, at most every 50 ms of
 * real time: at 1000× twenty times a real station's traffic, a load test rather than a month.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SoakStation } from '../soak/station';
import { Screen } from '../soak/screens';

const DAY_MS = 86_400_000;
const PUMP_ML_PER_S = 1.5;
const PUMPS = ['nut_a', 'nut_b', 'ph_up', 'ph_down'];

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '30' },
    'time-scale': { type: 'string', default: '1000' },
    screens: { type: 'string', default: '20' },
    'read-every': { type: 'string', default: '1000' },
  },
});
const days = Number(values.days);
const timeScale = Number(values['time-scale']);
const screenCount = Number(values.screens);
if (!(Number.isInteger(days) && days >= 1)) throw new Error(`--days must be a whole number of at least 1, not "${values.days}"`);
if (!(timeScale >= 1 && timeScale <= 1000)) throw new Error(`--time-scale must be a number from 1 to 1000, not "${values['time-scale']}"`);
if (!(Number.isInteger(screenCount) && screenCount >= 0)) throw new Error(`--screens must be a whole number, not "${values.screens}"`);
const readEvery = values['read-every'];
const readEveryMs = readEvery === 'simulated' ? undefined : Number(readEvery);
if (readEveryMs !== undefined && !(Number.isInteger(readEveryMs) && readEveryMs >= 1)) throw new Error(`--read-every must be whole milliseconds or "simulated", not "${readEvery}"`);

interface Day {
  day: number;
  rssMb: number;
  heapMb: number;
  /** What V8 holds for its heap, used or not: most of the resident set above the code. */
  heapTotalMb: number;
  dbMb: number;
}

/** A raw week and a minute year, as a real station keeps them, in the run's real time. */
const RAW_DAYS = 7;
const MINUTE_DAYS = 365;

/** The heap Tendril last reported (bench/heap-reporter.mjs), used and held. */
function heapMb(file: string): { used: number; total: number } {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; heapTotal: number };
    return { used: report.heapUsed / 1048576, total: report.heapTotal / 1048576 };
  } catch {
    return { used: NaN, total: NaN };
  }
}

/** The process's resident set, from the kernel's own count. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

function sizeMb(path: string): number {
  try {
    return statSync(path).size / 1048576;
  } catch {
    return 0;
  }
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

async function main(): Promise<void> {
  const heapFile = join(mkdtempSync(join(tmpdir(), 'tendril-heap-')), 'heap.json');
  process.env.TENDRIL_HEAP_REPORT = heapFile;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${resolve(import.meta.dirname, 'heap-reporter.mjs')}`.trim();
  const station = await SoakStation.start({
    seed: 1,
    timeScale,
    watchdogMs: 2_000,
    readEveryMs,
    settings: {
      pumps: Object.fromEntries(PUMPS.map((pump) => [pump, { mlPerSecond: PUMP_ML_PER_S }])),
      history: { rawDays: RAW_DAYS / timeScale, minuteDays: MINUTE_DAYS / timeScale },
    },
  });
  const screens = Array.from({ length: screenCount }, (_, i) => new Screen(station.url, station.viewerToken, `endurance screen ${i + 1}`));
  const pid = station.pid;
  const db = join(station.dataDir, 'tendril.db');
  const dayRealMs = DAY_MS / timeScale;
  const reads = readEveryMs === undefined ? 'sensors read once a simulated second, at most every 50 ms' : `sensors read every ${readEveryMs} ms`;
  console.log(`endurance: ${days} simulated days at ${timeScale}× (a day every ${(dayRealMs / 1000).toFixed(1)} s), ${reads}, ${screenCount} screens, Tendril pid ${pid}`);
  const rows: Day[] = [];
  try {
    for (let day = 1; day <= days; day++) {
      await new Promise((resolve) => setTimeout(resolve, dayRealMs));
      const heap = heapMb(heapFile);
      const row = { day, rssMb: rssMb(pid), heapMb: heap.used, heapTotalMb: heap.total, dbMb: sizeMb(db) + sizeMb(`${db}-wal`) };
      rows.push(row);
      const load = loadavg().map((l) => l.toFixed(2)).join(' ');
      console.log(`endurance: day ${day} rss=${row.rssMb.toFixed(1)}MB heap=${row.heapMb.toFixed(1)}MB heap_total=${row.heapTotalMb.toFixed(1)}MB db=${row.dbMb.toFixed(2)}MB load=${load}`);
    }
  } finally {
    for (const screen of screens) screen.close();
    await station.dispose();
  }
  const after = rows.filter((r) => r.day >= 2);
  const rssSlope = slope(after.map((r) => [r.day, r.rssMb]));
  const heapSlope = slope(after.map((r) => [r.day, r.heapMb]));
  const dbSlope = slope(after.map((r) => [r.day, r.dbMb]));
  // Past the raw week the database should hold steady: what arrives each day, a day's samples go.
  const settled = slope(rows.filter((r) => r.day > RAW_DAYS + 1).map((r) => [r.day, r.dbMb]));
  const last = rows[rows.length - 1]!;
  console.log(
    `endurance: days=${days} scale=${timeScale} screens=${screenCount} rss_end=${last.rssMb.toFixed(1)}MB rss_slope=${rssSlope.toFixed(2)}MB/day ` +
      `heap_end=${last.heapMb.toFixed(1)}MB heap_slope=${heapSlope.toFixed(2)}MB/day db_end=${last.dbMb.toFixed(2)}MB db_slope=${dbSlope.toFixed(3)}MB/day` +
      (days > RAW_DAYS + 2 ? ` db_slope_after_raw_week=${settled.toFixed(3)}MB/day` : ''),
  );
}

main().catch((err: unknown) => {
  console.error(`endurance: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
