/**
 * The renderer under a long history: History on its 7 d window, eight charted series each with
 * 86,400 samples in the station's database (one every 7 s for a week), while the controller
 * reports every sensor ten times a second. Chromium's long tasks (main-thread work over 50 ms)
 * are recorded in the page with a PerformanceObserver; the bench prints the worst one after the
 * charts' first render, and those during it for reference.
 *
 *   controller process (simulator on a socat pty, seven probes and the fill line's meter,
 *   every sensor read at 10 Hz) → headless Tendril (its database seeded beforehand) → the web UI
 *   in headless Chromium, History, last 7 d
 *
 * Run: npm run bench:renderer [-- --seconds 30 --hz 10 --profile FILE.cpuprofile]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { DATABASE_FILE, openStationDatabase } from '../src/main/db';
import { startHeadless, stopHeadless } from '../src/test-support/main/headless-process';
import type { FromController, ToController } from './latency-shared';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    hz: { type: 'string', default: '10' },
    // Writes the page's CPU profile of the watched span to this file, to find what a long task was.
    profile: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const HZ = Number(values.hz);

const VIEWER = 'bench-renderer-viewer-0123456789abcdef';
const OPERATOR = 'bench-renderer-operator-0123456789abcdef';
const DAY_MS = 86_400_000;
const POINTS = 86_400;
/** The charted channels of the bench's station: its seven probes and the fill line's meter. */
const SERIES: Array<{ id: string; base: number; swing: number }> = [
  { id: 'ec1', base: 1.4, swing: 0.2 },
  { id: 'ph1', base: 6.0, swing: 0.3 },
  { id: 'temp1', base: 20, swing: 2 },
  { id: 'level1', base: 60, swing: 10 },
  { id: 'ec2', base: 1.4, swing: 0.2 },
  { id: 'ph2', base: 6.0, swing: 0.3 },
  { id: 'temp2', base: 20, swing: 2 },
  { id: 'flow1', base: 0, swing: 4 },
];
const LONG_TASK_MS = 50;

/** A week of samples per series, ending now, with a daily swing and a little noise. */
function seed(dataDir: string, now: number): void {
  const database = openStationDatabase(join(dataDir, DATABASE_FILE), { now: () => now, sensorHistory: { flushIntervalMs: 0, batchRows: 5000 } });
  try {
    const step = (7 * DAY_MS) / POINTS;
    const from = now - 7 * DAY_MS + step;
    for (let i = 0; i < POINTS; i++) {
      const at = Math.round(from + i * step);
      const day = ((at % DAY_MS) / DAY_MS) * 2 * Math.PI;
      SERIES.forEach((series, s) => {
        const value = series.base + series.swing * Math.sin(day) + series.swing * 0.05 * Math.sin(i * 12.9898 + s * 78.233);
        database.sensorHistory.record(series.id, at, Math.max(0, value));
      });
    }
    database.sensorHistory.flush();
  } finally {
    database.close();
  }
}

/** Recorded from the page's start, so nothing is lost before the bench looks. */
const OBSERVE_LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
})()`;

interface LongTask {
  start: number;
  duration: number;
}

function describe(tasks: readonly LongTask[]): string {
  if (tasks.length === 0) return `none over ${LONG_TASK_MS} ms`;
  const worst = Math.max(...tasks.map((task) => task.duration));
  return `worst ${worst.toFixed(0)} ms, ${tasks.length} over ${LONG_TASK_MS} ms (${tasks.map((task) => task.duration.toFixed(0)).join(', ')} ms)`;
}

/**
 * How much of the span the page worked, and the longest the sampler (every 1 ms on the page's
 * main thread) went without a sample: a gap far over 1 ms is the thread waiting for a core,
 * which shows up as a long task without being work of the page's own.
 */
function profileSummary(profile: { nodes: Array<{ id: number; callFrame: { functionName: string } }>; samples?: number[]; timeDeltas?: number[] }): string {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  let busy = 0;
  let gap = 0;
  samples.forEach((sample, i) => {
    const delta = deltas[i] ?? 0;
    total += delta;
    if (!idle.has(sample)) busy += delta;
    gap = Math.max(gap, delta);
  });
  return `the page's main thread was busy ${((busy / Math.max(1, total)) * 100).toFixed(0)}% of the span; the longest gap between profiler samples was ${(gap / 1000).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  console.log(`renderer: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}; ${SERIES.length} series × ${POINTS} samples over 7 d, every sensor read at ${HZ} Hz, ${SECONDS} s watched`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-renderer-'));
  const seededAt = Date.now();
  seed(dataDir, seededAt);
  console.log(`  seeded the database in ${((Date.now() - seededAt) / 1000).toFixed(1)} s`);
  writeFileSync(join(dataDir, 'settings.json'), '{}');

  const controller = fork(join(__dirname, 'latency-controller.ts'), ['--more-sensors', '--read-hz', String(HZ)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
  let headless: Awaited<ReturnType<typeof startHeadless>> | null = null;
  try {
    const serialPath = await new Promise<string>((resolve) =>
      controller.on('message', (message: FromController) => {
        if (message.kind === 'ready') resolve(message.serialPath);
      }),
    );
    headless = await startHeadless({ dataDir, serialPath, port: '0', viewerToken: VIEWER, operatorToken: OPERATOR });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript({ content: OBSERVE_LONG_TASKS });
    await page.goto(`${headless.url}/?token=${VIEWER}#/history`);
    await page.getByRole('status', { name: 'Controller link' }).filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
    await page.getByRole('radio', { name: '7 d' }).check();
    const asked = await page.evaluate('performance.now()');
    // The first render: every chart says how many readings it shows over the last 7 d.
    const charts = page.getByRole('img', { name: /, last 7 d: \d+ readings from / });
    const deadline = Date.now() + 120_000;
    while ((await charts.count()) < SERIES.length) {
      if (Date.now() > deadline) throw new Error(`only ${await charts.count()} of ${SERIES.length} charts drew their week`);
      await page.waitForTimeout(100);
    }
    const rendered = (await page.evaluate('performance.now()')) as number;
    console.log(`  first render of ${SERIES.length} charts: ${(rendered - (asked as number)).toFixed(0)} ms after 7 d was picked`);
    const cdp = values.profile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.waitForTimeout(SECONDS * 1000);
    if (cdp && values.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(values.profile, JSON.stringify(profile));
      console.log(`  ${profileSummary(profile)}`);
    }
    const tasks = (await page.evaluate('window.__longTasks')) as LongTask[];
    console.log(`  long tasks up to the first render: ${describe(tasks.filter((task) => task.start < rendered))}`);
    console.log(`  long tasks after the first render, live telemetry at ${HZ} Hz: ${describe(tasks.filter((task) => task.start >= rendered))}`);
  } finally {
    await browser.close();
    if (headless) await stopHeadless(headless.process);
    controller.send({ kind: 'stop' } satisfies ToController);
    await new Promise((resolve) => controller.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:renderer: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
