import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { FirmwareTwinSnapshot } from '../../src/main/firmware-twin';
import { START_TIMEOUT_MS, STOP_TIMEOUT_MS, startHeadless, stopHeadless } from '../../src/test-support/main/headless-process';
import { firmwareTwinAvailable, startSimProcess, type PeerSnapshot, type SimProcess, type SimSnapshot } from '../../src/test-support/main/sim-process';

export interface HeadlessStation<S extends PeerSnapshot = SimSnapshot> {
  url: string;
  /** The pairing links a grower would open; the tokens are fixed, so they survive a restart. */
  viewerUrl: string;
  operatorUrl: string;
  viewerToken: string;
  operatorToken: string;
  /** The simulated controller (or the firmware twin), on a real pty pair, for ground truth and faults. */
  sim: SimProcess<S>;
  /** Stops the server (outputs off, as a grower's Ctrl-C would) and starts it again on the same port. */
  restart(): Promise<void>;
}

/**
 * Headless Tendril on the simulated controller over a real serial pty (socat), with a throwaway
 * data folder and a port the OS picks. One per worker for ordinary tests; tests that restart or
 * block things take their own (`ownStation`).
 */
export const test = base.extend<{ ownStation: HeadlessStation; ownSettings: object | undefined }, { station: HeadlessStation; firmwareStation: HeadlessStation<FirmwareTwinSnapshot> }>({
  /** The settings.json an own station starts with (`test.use({ ownSettings })`); none by default. */
  ownSettings: [undefined, { option: true }],
  station: [
    // Playwright reads the fixture's dependencies from this pattern, so it must be a pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      await withStation(`w${workerInfo.workerIndex}`, () => startSimProcess(), use);
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS * 2 + STOP_TIMEOUT_MS + 5_000 },
  ],
  /**
   * The same, on the firmware twin: the reference firmware on an emulated ATmega2560, in real
   * time, the host calibrated to its pumps. Started only by the tests that ask for it; those skip
   * when the twin is not built (`firmwareTwinSkip`).
   */
  firmwareStation: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      await withStation(`fw${workerInfo.workerIndex}`, () => startSimProcess([], { peer: 'firmware' }), use, TWIN_CALIBRATION);
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS * 2 + STOP_TIMEOUT_MS + 5_000 },
  ],
  ownStation: [
    async ({ ownSettings }, use, testInfo) => {
      await withStation(`t${testInfo.workerIndex}-${testInfo.retry}`, () => startSimProcess(), use, ownSettings);
    },
    { timeout: START_TIMEOUT_MS * 2 + STOP_TIMEOUT_MS + 5_000 },
  ],
});

export { expect } from '@playwright/test';

/** The twin's pumps really deliver 1.2 mL/s; the host is calibrated to that, as a grower would be. */
const TWIN_CALIBRATION = { pumps: { nut_a: { mlPerSecond: 1.2 }, nut_b: { mlPerSecond: 1.2 } } };

const twin = firmwareTwinAvailable();
/** Why tests on the firmware twin are skipped, or null when they run. */
export const firmwareTwinSkip: string | null = twin.ok ? null : `skipped: the web tests on the firmware twin (${twin.why})`;
if (firmwareTwinSkip) console.log(firmwareTwinSkip);

async function withStation<S extends PeerSnapshot>(
  label: string,
  startPeer: () => Promise<SimProcess<S>>,
  use: (station: HeadlessStation<S>) => Promise<void>,
  settings?: object,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `tendril-e2e-${label}-`));
  if (settings) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const viewerToken = `e2e-viewer-${label}-0123456789abcdef`;
  const operatorToken = `e2e-operator-${label}-0123456789abcdef`;
  const sim = await startPeer();
  let server: ChildProcess | null = null;
  try {
    let started = await startHeadless({ dataDir, serialPath: sim.serialPath, port: '0', viewerToken, operatorToken });
    server = started.process;
    const url = started.url;
    await linkReady(url, viewerToken);
    const port = new URL(url).port;
    await use({
      url,
      viewerUrl: `${url}/?token=${viewerToken}`,
      operatorUrl: `${url}/?token=${operatorToken}`,
      viewerToken,
      operatorToken,
      sim,
      async restart() {
        if (server) await stopHeadless(server);
        started = await startHeadless({ dataDir, serialPath: sim.serialPath, port, viewerToken, operatorToken });
        server = started.process;
        await linkReady(url, viewerToken);
      },
    });
  } finally {
    if (server) await stopHeadless(server);
    await sim.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Until the station has handshaken with its controller: listening comes first, and a test that
 * commands a channel before the controller's table is read is refused ("there is no relay …").
 */
async function linkReady(url: string, token: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const answer = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    const body = answer?.ok ? ((await answer.json()) as { state: { link: { status: string }; channels: unknown[] } }) : null;
    if (body?.state.link.status === 'ready' && body.state.channels.length > 0) return;
    if (Date.now() > deadline) throw new Error(`the station at ${url} did not reach its controller within ${START_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
