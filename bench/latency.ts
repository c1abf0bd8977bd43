/**
 * End-to-end latency: a change made on the controller until a person can see it, in the DOM of
 * a real Chromium page.
 *
 *   LAN:  controller process (simulator on a socat pty) → headless Tendril process → Socket.IO
 *         → the web UI in headless Chromium, with 1, 10 and 100 other screens connected from a
 *         process of their own;
 *   IPC:  the same controller → the station core in this process → the desktop's station
 *         bridge (the code behind Electron's ipcMain and webContents.send) → the same renderer
 *         bundle in Chromium, with `window.tendril` shaped as the preload script shapes it and
 *         fed through Playwright (exposeBinding for invokes, evaluate for webContents.send).
 *
 * Two kinds of change: discrete (a relay switched by its button on the controller, `EVT relay
 * ... why=button`) and telemetry (each sensor read the controller sends, once a second for each
 * of its four sensors). Each is timed from the moment the controller process hands the line to
 * the pty to the moment a MutationObserver in the page sees the switch's aria-checked, or the
 * reading's <data value>, change.
 *
 * The clock: both ends read the machine's wall clock, in the same units. The controller stamps
 * with Date.now(); the page stamps with performance.timeOrigin + performance.now(), which is the
 * wall-clock time of the page's start plus a monotonic count since, at microsecond resolution.
 * On one machine these agree to well under a millisecond over a run of minutes (they could part
 * only if the wall clock were stepped mid-run), so their difference is the latency. Date.now()
 * has 1 ms steps, so a figure carries up to 1 ms of rounding.
 *
 * Run: npm run bench:latency [-- --screens 1,10,100 --seconds 20 --no-ipc]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startStation } from '../src/main/app';
import { bridgeStation, type InvokeEvent } from '../src/main/desktop/station-bridge';
import { findWebRoot } from '../src/main/lan';
import { loadSettings } from '../src/main/settings';
import { IPC } from '../src/shared/bridge';
import { startHeadless, stopHeadless } from '../src/test-support/main/headless-process';
import { Child, linkReady } from './bench-child';
import { spread, spreadText, type FromController, type FromScreens, type ToController, type ToScreens } from './latency-shared';

const { values } = parseArgs({
  options: {
    screens: { type: 'string', default: '1,10,100' },
    seconds: { type: 'string', default: '20' },
    'no-ipc': { type: 'boolean', default: false },
  },
});
const SCREEN_COUNTS = values.screens.split(',').map(Number);
const SECONDS = Number(values.seconds);

const VIEWER = 'bench-latency-viewer-0123456789abcdef';
const OPERATOR = 'bench-latency-operator-0123456789abcdef';
/** The relay the controller's button switches, and the name the page shows for it. */
const RELAY = { ch: 'lights', name: 'Lights' };
/** Switches come this far apart, give or take half: never in step with frames or reads. */
const SWITCH_EVERY_MS = 300;
/** A change not on screen by then counts as missed. */
const MISSED_AFTER_MS = 2_000;
/** Time for the screens' joining to settle (the viewer list is sent to everyone) before measuring. */
const SETTLE_MS = 2_000;
const SENSOR_KIND: Record<string, string> = { ec1: 'ec', ph1: 'ph', temp1: 'temp', level1: 'level' };

type Wrote = Extract<FromController, { kind: 'wrote' }>;
/** A mutation the page saw: a switch's name and aria-checked, or a reading's kind and value. */
interface Seen {
  what: 'relay' | 'read';
  key: string;
  value: string;
  t: number;
}

/**
 * Watches the page's switches and readings; every mutation is stamped in the page as it is seen.
 * Page code is a string: it runs in Chromium, not under this file's Node types.
 */
const OBSERVE = `(() => {
  const seen = [];
  window.__seen = seen;
  new MutationObserver((records) => {
    const t = performance.timeOrigin + performance.now();
    for (const record of records) {
      const el = record.target;
      if (record.attributeName === 'aria-checked' && el.getAttribute('role') === 'switch') {
        seen.push({ what: 'relay', key: el.getAttribute('aria-label') || '', value: el.getAttribute('aria-checked') || '', t });
      } else if (record.attributeName === 'value' && el.tagName === 'DATA') {
        const group = el.closest('.reading');
        if (group) seen.push({ what: 'read', key: group.dataset.kind || '', value: el.getAttribute('value') || '', t });
      }
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-checked', 'value'] });
})()`;

async function observe(page: Page): Promise<void> {
  await page.evaluate(OBSERVE);
}

async function takeSeen(page: Page): Promise<Seen[]> {
  return (await page.evaluate('window.__seen.splice(0)')) as Seen[];
}

/** Each change the controller wrote, matched with the first mutation after it that shows it. */
function latencies(wrote: readonly Wrote[], seen: readonly Seen[]): { discrete: number[]; telemetry: number[]; missed: { discrete: number; telemetry: number } } {
  const discrete: number[] = [];
  const telemetry: number[] = [];
  const missed = { discrete: 0, telemetry: 0 };
  const lastRead = new Map<string, number>();
  const switched = wrote.filter((change) => change.what === 'relay' && change.ch === RELAY.ch);
  for (const change of wrote) {
    if (change.what === 'relay') {
      if (change.ch !== RELAY.ch) continue;
      // Shown before the switch went the same way again; a screen that drew only the later of two
      // quick switches never showed this one, which counts as missed rather than as slow.
      const again = switched.find((later) => later.at > change.at && later.what === 'relay' && later.on === change.on)?.at ?? Infinity;
      const shown = seen.find((s) => s.what === 'relay' && s.key === RELAY.name && s.value === String(change.on) && s.t >= change.at && s.t < again);
      if (shown && shown.t - change.at < MISSED_AFTER_MS) discrete.push(shown.t - change.at);
      else missed.discrete++;
    } else {
      const kind = SENSOR_KIND[change.ch];
      // A read equal to the one before changes nothing on screen: there is nothing to see. The
      // first of each sensor only says what the screen shows already.
      if (kind === undefined) continue;
      const before = lastRead.get(change.ch);
      lastRead.set(change.ch, change.value);
      if (before === undefined || before === change.value) continue;
      // Reads of one sensor come a second apart: the first change of its value after this read is this read's.
      const shown = seen.find((s) => s.what === 'read' && s.key === kind && s.t >= change.at);
      if (shown && Number(shown.value) === change.value && shown.t - change.at < MISSED_AFTER_MS) telemetry.push(shown.t - change.at);
      else missed.telemetry++;
    }
  }
  return { discrete, telemetry, missed };
}

/** Switches the relay back and forth from the controller for `seconds`; returns what it wrote meanwhile. */
async function measure(controller: Child<FromController>, page: Page, seconds: number): Promise<ReturnType<typeof latencies>> {
  const wrote: Wrote[] = [];
  // Cleared first: whatever the page saw before the first write counted here belongs to no change here.
  await takeSeen(page);
  const off = controller.on((message) => {
    if (message.kind === 'wrote') wrote.push(message);
  });
  const end = Date.now() + seconds * 1000;
  let on = true;
  while (Date.now() < end) {
    controller.send({ kind: 'relay', ch: RELAY.ch, on } satisfies ToController);
    on = !on;
    await sleep(SWITCH_EVERY_MS * (0.5 + Math.random()));
  }
  // Leave it off, and give the last changes time to arrive.
  controller.send({ kind: 'relay', ch: RELAY.ch, on: false } satisfies ToController);
  await sleep(MISSED_AFTER_MS);
  off();
  return latencies(wrote, await takeSeen(page));
}

function print(label: string, result: ReturnType<typeof latencies>): void {
  console.log(`${label}`);
  console.log(`  discrete  (relay button → switch on screen):  ${spreadText(spread(result.discrete))}${result.missed.discrete ? `, ${result.missed.discrete} missed` : ''}`);
  console.log(`  telemetry (sensor read → value on screen):    ${spreadText(spread(result.telemetry))}${result.missed.telemetry ? `, ${result.missed.telemetry} missed` : ''}`);
}

async function readyRelay(page: Page): Promise<void> {
  const relay = page.getByRole('switch', { name: RELAY.name });
  // A switch that shows Unknown has no relay state from the controller yet.
  await relay.filter({ hasText: 'Off' }).waitFor({ timeout: 60_000 });
  await page.locator('.reading[data-kind=ph] data').waitFor({ timeout: 60_000 });
}


async function lanPath(browser: Browser, controller: Child<FromController>, serialPath: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-latency-lan-'));
  // A hundred bench screens and the page share one token and one address.
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { maxScreensPerToken: 200, maxScreensPerAddress: 400 } }));
  const headless = await startHeadless({ dataDir, serialPath, port: '0', viewerToken: VIEWER, operatorToken: OPERATOR });
  try {
    await linkReady(headless.url, VIEWER);
    const page = await browser.newPage();
    await page.goto(`${headless.url}/?token=${VIEWER}`);
    await readyRelay(page);
    await observe(page);
    for (const count of SCREEN_COUNTS) {
      const screens = new Child<FromScreens>('latency-screens.ts');
      screens.send({ kind: 'connect', url: headless.url, token: VIEWER, count } satisfies ToScreens);
      const joined = await screens.next((m): m is FromScreens => m.kind === 'connected' || m.kind === 'failed');
      if (joined.kind === 'failed') throw new Error(`the other screens could not connect: ${joined.why}`);
      await sleep(SETTLE_MS);
      print(`LAN, the page and ${count} other screen${count === 1 ? '' : 's'}:`, await measure(controller, page, SECONDS));
      await screens.stop({ kind: 'stop' } satisfies ToScreens);
    }
    await page.close();
  } finally {
    await stopHeadless(headless.process);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The desktop window's path: the station in this process, as Electron's main process runs it,
 * and the station bridge delivering to a page whose `window.tendril` forwards to it.
 */
async function ipcPath(browser: Browser, controller: Child<FromController>, serialPath: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-latency-ipc-'));
  const settings = loadSettings(dataDir);
  const webRoot = findWebRoot(join(__dirname, '../out/main'));
  if (!webRoot) throw new Error('the web UI is not built; run "npm run build" first');
  // The LAN server only hands the page its files here; the page talks to the station through the bridge.
  const station = await startStation({
    dataDir,
    source: { kind: 'serial', path: serialPath, baud: 115200 },
    settings,
    policy: { tokens: 'stop', link: 'stop', lan: 'stop' },
    lan: { choice: { enabled: true, host: '127.0.0.1', port: 0 }, configurable: false, webRoot },
    log: () => {},
    mqtt: null,
    env: { TENDRIL_VIEWER_TOKEN: VIEWER, TENDRIL_OPERATOR_TOKEN: OPERATOR },
  });
  const page = await browser.newPage();
  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  const contents = {
    send(channel: string, messages: unknown) {
      // webContents.send: one structured-clone message to the renderer, not waited for.
      if (channel === IPC.events) void page.evaluate(`window.__tendrilDeliver(${JSON.stringify(messages)})`).catch(() => {});
    },
    isDestroyed: () => page.isClosed(),
    getURL: () => page.url(),
  };
  const undo = bridgeStation({
    core: station.core,
    control: station.control,
    ipc: { handle: (channel, listener) => handlers.set(channel, listener), removeHandler: (channel) => handlers.delete(channel) },
    contents,
    isAppPage: () => true,
    history: station.history,
    records: station.records,
  });
  try {
    await page.exposeBinding('__tendrilInvoke', async (_source, channel: string, arg: unknown) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`nothing handles ${channel}`);
      return handler({ sender: contents, senderFrame: { url: page.url(), parent: null } }, arg);
    });
    // What the preload script exposes as window.tendril, over the binding instead of ipcRenderer.
    await page.addInitScript({ content: PRELOAD });
    const url = station.lan.listeningUrl();
    if (!url) throw new Error('the station did not serve its pages');
    await page.goto(url);
    await readyRelay(page);
    await observe(page);
    await sleep(SETTLE_MS);
    print('IPC (the desktop window), no other screens:', await measure(controller, page, SECONDS));
  } finally {
    undo();
    await page.close();
    await station.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the preload script exposes as window.tendril, over the binding instead of ipcRenderer. */
const PRELOAD = `(() => {
  const listeners = new Set();
  window.__tendrilDeliver = (messages) => { for (const listener of listeners) listener(messages); };
  window.tendril = {
    snapshot: () => window.__tendrilInvoke('${IPC.snapshot}'),
    onEvents: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    command: (command) => window.__tendrilInvoke('${IPC.command}', command),
    record: (path) => window.__tendrilInvoke('${IPC.record}', path),
  };
})()`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<void> {
  console.log(`latency: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}; ${SECONDS} s per run, relay switched every ${SWITCH_EVERY_MS} ms ± 50%`);
  const controller = new Child<FromController>('latency-controller.ts');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
  try {
    const { serialPath } = await controller.next((m): m is Extract<FromController, { kind: 'ready' }> => m.kind === 'ready');
    await lanPath(browser, controller, serialPath);
    if (!values['no-ipc']) await ipcPath(browser, controller, serialPath);
  } finally {
    await browser.close();
    await controller.stop({ kind: 'stop' } satisfies ToController);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:latency: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
