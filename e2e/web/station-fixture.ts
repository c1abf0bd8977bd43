import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

const ROOT = join(__dirname, '../..');
const LISTENING = /Tendril is listening on (http:\/\/\S+)/;
const PAIR_VIEWER = /Pair a screen to watch: +(http:\/\/\S+)/;
const PAIR_OPERATOR = /Pair a screen to control: +(http:\/\/\S+)/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface HeadlessStation {
  url: string;
  /** The pairing links headless printed, as a grower would copy them. */
  viewerUrl: string;
  operatorUrl: string;
  /** The viewer link's token, for API requests. */
  viewerToken: string;
}

/**
 * One headless Tendril per worker, on the simulated station, with a throwaway data folder and
 * a port the OS picks, so workers never share state or fight over a port.
 */
export const test = base.extend<object, { station: HeadlessStation }>({
  station: [
    // Playwright reads the fixture's dependencies from this pattern, so it must be a pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      const dataDir = mkdtempSync(join(tmpdir(), `tendril-e2e-${workerInfo.workerIndex}-`));
      const server = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/main/headless.ts', '--simulate', '--host', '127.0.0.1', '--port', '0', '--data', dataDir],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const log: string[] = [];
      server.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      try {
        const printed = await waitForUrls(server, log);
        await use({ ...printed, viewerToken: new URL(printed.viewerUrl).searchParams.get('token')! });
      } finally {
        await stop(server);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: START_TIMEOUT_MS + STOP_TIMEOUT_MS + 5_000 },
  ],
});

export { expect } from '@playwright/test';

function waitForUrls(server: ChildProcess, log: string[]): Promise<{ url: string; viewerUrl: string; operatorUrl: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no "Tendril is listening" and pairing lines within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      reject(new Error(`the headless server did not start: ${why}\nstdout:\n${stdout}\nstderr:\n${log.join('')}`));
    }
    server.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const [url, viewerUrl, operatorUrl] = [LISTENING, PAIR_VIEWER, PAIR_OPERATOR].map((pattern) => pattern.exec(stdout)?.[1]);
      if (url && viewerUrl && operatorUrl) {
        clearTimeout(timer);
        resolve({ url, viewerUrl, operatorUrl });
      }
    });
    server.once('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    server.once('error', (error) => fail(error.message));
  });
}

/** SIGTERM lets the server switch outputs off; SIGKILL only if it hangs. */
async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS)),
  ]);
  if (timedOut) {
    server.kill('SIGKILL');
    await exited;
  }
}
