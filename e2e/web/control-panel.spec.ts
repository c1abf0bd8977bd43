/**
 * The control panel as growers use it, in real Chromium against headless Tendril and the
 * simulated controller on a real serial pty: operating, watching, stopping, and riding out a
 * server restart or a network that blocks websockets.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { io } from 'socket.io-client';
import type { StationState } from '../../src/shared/station';
import type { PeerSnapshot } from '../../src/test-support/main/sim-process';
import { expect, firmwareTwinSkip, test, type HeadlessStation } from './station-fixture';

/** Screenshots for people to look at; kept out of git. */
const ARTIFACTS = join(__dirname, '..', 'artifacts');

async function open(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('connected');
}

async function serverState(station: HeadlessStation, page: Page): Promise<StationState> {
  const response = await page.request.get(new URL('api/state', station.url).href, { headers: { authorization: `Bearer ${station.operatorToken}` } });
  return ((await response.json()) as { state: StationState }).state;
}

/** Doses Nutrient B from the panel, follows its progress to 100%, and finds it in the dose audit. */
async function doseWithProgress(page: Page, station: HeadlessStation<PeerSnapshot>, ml: number): Promise<void> {
  await open(page, station.operatorUrl);
  await page.getByLabel('Nutrient B dose in mL').fill(String(ml));
  await page.getByRole('button', { name: 'Dose Nutrient B' }).click();
  await page.getByRole('dialog', { name: `Dose ${ml} mL with Nutrient B?` }).getByRole('button', { name: 'Confirm dose' }).click();

  const progress = page.getByRole('progressbar', { name: new RegExp(`Dose ${ml} mL with Nutrient B`) });
  await expect(progress).toBeVisible();
  await page.getByRole('link', { name: 'Jobs' }).click();
  const finished = page.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem').filter({ hasText: 'Nutrient B' }).first();
  await expect(finished.getByRole('progressbar')).toHaveAttribute('aria-valuetext', '100%', { timeout: 20_000 });

  const audit = await page.request.get(new URL('api/export/doses.csv', station.url).href, { headers: { authorization: `Bearer ${station.operatorToken}` } });
  const rows = (await audit.text()).trim().split('\r\n').slice(1);
  // Delivered within 2% of what was asked (the simulator's pumps drift a little from their calibration).
  const delivered = rows.map((row) => row.split(',')).filter((cells) => cells[2] === 'nut_b' && Number(cells[3]) === ml).map((cells) => Number(cells[4]));
  expect(delivered.some((got) => Math.abs(got - ml) / ml <= 0.02), rows.join('\n')).toBe(true);
}

const relaySwitch = (page: Page, name: string) => page.getByRole('region', { name: 'Relays' }).getByRole('switch', { name, exact: true });

test.describe('operating the station', () => {
  test('an operator switches a relay; the simulator and a second screen follow', async ({ page, browser, station }) => {
    await open(page, station.operatorUrl);
    const watcher = await browser.newContext();
    const other = await watcher.newPage();
    await open(other, station.viewerUrl);

    const mine = relaySwitch(page, 'Air pump');
    const theirs = relaySwitch(other, 'Air pump');
    await expect(mine).toHaveAttribute('aria-checked', 'false');
    await mine.click();
    await expect(mine).toHaveAttribute('aria-checked', 'true');
    await expect(theirs).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await station.sim.snapshot()).relays['air'], { message: 'the simulator switches the air pump on' }).toBe(true);

    await mine.click();
    await expect(theirs).toHaveAttribute('aria-checked', 'false');
    await expect.poll(async () => (await station.sim.snapshot()).relays['air']).toBe(false);
    await watcher.close();
  });

  test('a viewer sees "View only", cannot switch, and is told how to get control', async ({ page, station }) => {
    await open(page, station.viewerUrl);
    await expect(page.getByText('View only', { exact: true })).toBeVisible();
    await expect(relaySwitch(page, 'Air pump')).toBeDisabled();
    await expect(page.getByLabel('Nutrient A dose in mL')).toBeDisabled();
    await page.getByText('This screen watches the station and cannot control it', { exact: false }).click();
    await expect(page.getByText(/pair again with an operator link/)).toBeVisible();
    // Stopping is always allowed.
    await expect(page.getByRole('button', { name: 'Emergency stop' })).toBeEnabled();
  });

  test('a dose shows its progress to 100% and its entry appears in the dose audit', async ({ page, station }) => {
    await doseWithProgress(page, station, 6);
  });

  test.describe('on the reference firmware', () => {
    // Decided before the twin's station is started, which it could not be.
    test.skip(firmwareTwinSkip !== null, firmwareTwinSkip ?? '');

    test('the same dose lands as the pump really delivered it', async ({ page, firmwareStation }) => {
      // The twin runs in real time: a small dose.
      const ml = 2;
      const before = (await firmwareStation.sim.snapshot()).dosedMl['nut_b'] ?? 0;
      await doseWithProgress(page, firmwareStation, ml);
      const truth = ((await firmwareStation.sim.snapshot()).dosedMl['nut_b'] ?? 0) - before;
      expect(Math.abs(truth - ml) / ml).toBeLessThan(0.01);
    });
  });

  test('the emergency stop from the UI latches, then a deliberate reset clears it', async ({ page, station }) => {
    await open(page, station.operatorUrl);
    await relaySwitch(page, 'Mixer').click();
    await expect.poll(async () => (await station.sim.snapshot()).relays['mixer']).toBe(true);

    await page.getByRole('button', { name: 'Emergency stop' }).click();
    const latched = page.getByRole('region', { name: 'Emergency stop latched' });
    await expect(latched).toBeVisible();
    await expect.poll(async () => (await station.sim.snapshot()).estopLatched).toBe(true);
    expect((await station.sim.snapshot()).relays['mixer']).toBe(false);

    await latched.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('dialog', { name: 'Reset the emergency stop?' }).getByRole('button', { name: 'Confirm reset' }).click();
    await expect(latched).toBeHidden();
    await expect.poll(async () => (await station.sim.snapshot()).estopLatched).toBe(false);
    // Outputs stay off after a reset; nothing resumes by itself.
    await expect(relaySwitch(page, 'Mixer')).toHaveAttribute('aria-checked', 'false');
  });
});

test.describe('staying connected', () => {
  test('after a server restart the screen reconnects and holds the server\'s state', async ({ page, ownStation }) => {
    await open(page, ownStation.operatorUrl);
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toContainText('live');

    const restarting = ownStation.restart();
    await expect(connection).toContainText(/reconnecting|connecting|disconnected|polling/);
    await restarting;
    await expect(connection).toContainText('connected', { timeout: 45_000 });
    await expect(connection).toContainText('live', { timeout: 45_000 });
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');

    // The screen's copy equals the server's: compare what does not tick every second.
    await relaySwitch(page, 'Lights').click();
    await expect(relaySwitch(page, 'Lights')).toHaveAttribute('aria-checked', 'true');
    const state = await serverState(ownStation, page);
    const relays = state.channels.filter((c) => c.kind === 'relay');
    await expect(page.getByRole('region', { name: 'Relays' }).getByRole('switch')).toHaveCount(relays.length);
    for (const channel of relays) {
      await expect(relaySwitch(page, channel.name)).toHaveAttribute('aria-checked', String(state.relays[channel.id]?.on ?? false));
    }
  });

  test('with websockets blocked, the screen says "polling" and still updates', async ({ page, station }) => {
    await page.route(/\/socket\.io\//, (route) => route.abort());
    await page.goto(station.viewerUrl);
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toContainText('polling', { timeout: 30_000 });
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');

    // Another screen switches the air pump; this one only polls. The pump goes back as it was
    // afterwards: the station is shared with the other tests in this worker.
    const before = (await station.sim.snapshot()).relays['air'] ?? false;
    const operator = io(station.url, { auth: { token: station.operatorToken, name: 'e2e operator' }, transports: ['websocket'] });
    try {
      const ack = await operator.timeout(10_000).emitWithAck('command', { id: `poll-${Date.now()}`, type: 'relay.set', relayId: 'air', on: !before });
      expect(ack).toMatchObject({ ok: true });
      await expect(relaySwitch(page, 'Air pump')).toHaveAttribute('aria-checked', String(!before), { timeout: 15_000 });
      const back = await operator.timeout(10_000).emitWithAck('command', { id: `poll-back-${Date.now()}`, type: 'relay.set', relayId: 'air', on: before });
      expect(back).toMatchObject({ ok: true });
    } finally {
      operator.disconnect();
    }
  });
});

test.describe('screenshots', () => {
  test('overview on a phone, by day and by night', async ({ page, station }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await open(page, station.operatorUrl);
    const overflow = await page.evaluate(() => {
      const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return w.document.documentElement.scrollWidth - w.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-phone.png'), fullPage: true });

    const night = page.getByRole('button', { name: 'Night mode' });
    await night.click();
    await expect(night).toHaveAttribute('aria-pressed', 'true');
    await page.reload();
    await expect(page.getByRole('button', { name: 'Night mode' })).toHaveAttribute('aria-pressed', 'true');
    await page.screenshot({ path: join(ARTIFACTS, 'overview-phone-night.png'), fullPage: true });
  });

  test('overview on the desktop, in metric units', async ({ browser, station }) => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    await open(page, station.operatorUrl);
    await expect(page.getByRole('meter', { name: 'Main tank level' })).toBeVisible();
    await expect(page.getByText('Tank level').first()).toBeVisible();
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
    await context.close();
  });
});
