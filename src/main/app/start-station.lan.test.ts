/**
 * The lan section of settings.json reaches the LAN server as the shells start it: the names it
 * answers to and its caps on live connections. A real data folder, the simulated station, real
 * HTTP and a real Socket.IO client on loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectError, OPERATOR_TOKEN, TestScreen } from '../../test-support/main/lan-station';
import { loadSettings } from '../settings';
import { startStation } from './start-station';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function status(url: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/health', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the lan section of settings.json', () => {
  it('gives the LAN server the names it answers to and its caps on connections', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tendril-start-lan-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { hostNames: ['grow.example.com'], maxScreensPerToken: 1 } }));
    const settings = loadSettings(dataDir);
    const station = await startStation({
      dataDir,
      source: { kind: 'simulated', timeScale: 1 },
      settings,
      policy: { tokens: 'stop', link: 'stop', lan: 'stop' },
      lan: { choice: { enabled: true, host: '127.0.0.1', port: 0 }, configurable: false, webRoot: null },
      log: () => {},
      env: { TENDRIL_OPERATOR_TOKEN: OPERATOR_TOKEN },
    });
    cleanups.push(() => station.close());
    const url = station.lan.listeningUrl()!;

    expect(await status(url, 'grow.example.com')).toBe(200);
    expect(await status(url, 'evil.example')).toBe(421);

    const first = new TestScreen(url, OPERATOR_TOKEN, 'first tab');
    cleanups.push(() => first.close());
    await first.ready();
    const second = new TestScreen(url, OPERATOR_TOKEN, 'second tab');
    cleanups.push(() => second.close());
    expect((await connectError(second)).data).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: 1 });
  });
});
