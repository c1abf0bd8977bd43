/**
 * The Stations screen over a real broker: three headless stations on one Mosquitto, each
 * publishing under its own id, appear on one station's screen; one killed outright (SIGKILL, no
 * goodbye) shows offline when the broker sends its Last Will. A short keepalive makes that a
 * few seconds rather than 45.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBroker, MOSQUITTO, type Broker } from '../../src/main/mqtt/test-support/mosquitto';
import { crashHeadless, START_TIMEOUT_MS, startHeadless, stopHeadless, STOP_TIMEOUT_MS } from '../../src/test-support/main/headless-process';
import { socatAvailable, startSimProcess, type SimProcess } from '../../src/test-support/main/sim-process';

const STATION = { name: 'tendril', password: 'grow-secret' };
const IDS = ['bloom-room', 'greenhouse-1', 'veg-room'] as const;
const KEEPALIVE_S = 2;

const missing = !existsSync(MOSQUITTO) ? `${MOSQUITTO} is not installed (apt-get install mosquitto)` : !socatAvailable() ? 'socat is not installed' : null;
if (missing) console.log(`skipped: the Stations screen over a real broker (${missing})`);

interface Running {
  id: string;
  url: string;
  viewerToken: string;
  process: ChildProcess;
}

test.describe('the Stations screen', () => {
  test.skip(missing !== null, missing ?? '');
  test.setTimeout(START_TIMEOUT_MS * 3 + STOP_TIMEOUT_MS * 3 + 30_000);

  let broker: Broker;
  const sims: SimProcess[] = [];
  const dirs: string[] = [];
  const stations: Running[] = [];

  test.beforeAll(async () => {
    test.setTimeout(START_TIMEOUT_MS * 3 + 30_000);
    broker = await startBroker([{ ...STATION, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] }]);
    for (const id of IDS) {
      const sim = await startSimProcess();
      sims.push(sim);
      const dataDir = mkdtempSync(join(tmpdir(), `tendril-e2e-fleet-${id}-`));
      dirs.push(dataDir);
      writeFileSync(
        join(dataDir, 'settings.json'),
        JSON.stringify({ mqtt: { url: broker.url, username: STATION.name, password: STATION.password, stationId: id, discovery: false, keepaliveSeconds: KEEPALIVE_S } }),
      );
      const viewerToken = `e2e-fleet-viewer-${id}-0123456789abcdef`;
      const started = await startHeadless({ dataDir, serialPath: sim.serialPath, port: '0', viewerToken, operatorToken: `e2e-fleet-operator-${id}-0123456789abcdef` });
      stations.push({ id, url: started.url, viewerToken, process: started.process });
    }
  });

  test.afterAll(async () => {
    for (const station of stations) await stopHeadless(station.process);
    for (const sim of sims) await sim.kill();
    await broker?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('shows every station on the broker, and one killed as offline by its Last Will', async ({ page }) => {
    const [first, , killed] = stations as [Running, Running, Running];
    await page.goto(`${first.url}/?token=${first.viewerToken}#/stations`);
    // The nav offers it only while MQTT is on, which it is here.
    await expect(page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Stations' })).toBeVisible();
    // The broker link shows beside the controller link.
    await expect(page.getByRole('status', { name: 'Broker link' })).toContainText('connected');

    const cards = page.locator('.fleet-card');
    for (const station of stations) {
      const card = page.locator(`.fleet-card[data-station="${station.id}"]`);
      await expect(card).toHaveAttribute('data-presence', 'online');
      await expect(card).toContainText('controller connected');
      await expect(card).toContainText('mS/cm');
      // Each opens that station's own screens, in a new tab.
      const open = card.getByRole('link', { name: `Open ${station.id}` });
      await expect(open).toHaveAttribute('href', new RegExp(`^${new URL(station.url).origin}/?$`));
      await expect(open).toHaveAttribute('target', '_blank');
    }
    await expect(cards).toHaveCount(IDS.length);

    await crashHeadless(killed.process);
    const gone = page.locator(`.fleet-card[data-station="${killed.id}"]`);
    await expect(gone).toHaveAttribute('data-presence', 'offline', { timeout: KEEPALIVE_S * 1500 + 10_000 });
    await expect(gone).toContainText('offline (showing what it last said)');
    // The others stay online.
    for (const station of stations.filter((s) => s !== killed)) await expect(page.locator(`.fleet-card[data-station="${station.id}"]`)).toHaveAttribute('data-presence', 'online');

    // On a phone, the link to a station is a target a thumb can hit.
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await page.locator(`.fleet-card[data-station="${first.id}"]`).getByRole('link', { name: `Open ${first.id}` }).boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  });
});
