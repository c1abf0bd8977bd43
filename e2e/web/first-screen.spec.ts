import { io } from 'socket.io-client';
import type { Channel, StationState } from '../../src/shared/station';
import { expect, test } from './station-fixture';

const SENSOR_KINDS = ['ec', 'ph', 'temp', 'level'] as const;
const NUMBER = /^-?\d+\.\d{1,2}$/;

test.describe('first screen', () => {
  test('shows the simulated station with live readings', async ({ page, station, request }, testInfo) => {
    await page.goto(station.viewerUrl);
    await expect(page).toHaveTitle('Tendril');
    // The token is kept by the page, not left in the address bar.
    expect(page.url()).toBe(new URL('/', station.url).href);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    // The simulated controller on a pty, as a real one on USB would be.
    await expect(page.getByLabel('Controller', { exact: true })).toContainText('SIM-0001');

    // Ask the station which sensors it has, so the test follows the simulator's channel table.
    const response = await request.get(new URL('api/state', station.url).href, { headers: { authorization: `Bearer ${station.viewerToken}` } });
    expect(response.ok()).toBe(true);
    const { state } = (await response.json()) as { state: StationState };
    const sensors = state.channels.filter((channel: Channel) => (SENSOR_KINDS as readonly string[]).includes(channel.kind));
    expect(sensors.map((channel) => channel.kind).sort()).toEqual(expect.arrayContaining([...SENSOR_KINDS].sort()));

    const values = sensors.map((channel) => page.getByRole('group', { name: channel.name, exact: true }).locator('data'));
    for (const value of values) await expect(value).toHaveText(NUMBER);

    const readAll = async (): Promise<string> => (await Promise.all(values.map((value) => value.textContent()))).join(' | ');
    const first = await readAll();
    await expect.poll(readAll, { message: 'a sensor reading should change', timeout: 20_000 }).not.toBe(first);

    await page.screenshot({ path: testInfo.outputPath('first-screen.png'), fullPage: true });
  });

  test('a paired screen stays paired after a reload; an unpaired one is told how to pair', async ({ page, browser, station }) => {
    await page.goto(station.viewerUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await page.reload();
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');

    const stranger = await browser.newPage();
    await stranger.goto(station.url);
    await expect(stranger.getByText(/not paired with the station/)).toBeVisible();
    await stranger.close();
  });

  test('watches live: a switch made from another screen shows up at once', async ({ page, station, request }) => {
    await page.goto(station.viewerUrl);
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toContainText('connected');
    await expect(connection).toContainText('live');
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');

    const response = await request.get(new URL('api/state', station.url).href, { headers: { authorization: `Bearer ${station.viewerToken}` } });
    const { state } = (await response.json()) as { state: StationState };
    const air = state.channels.find((channel) => channel.id === 'air')!;
    // The station is shared with other tests in this worker, so the air pump may be either way.
    const before = state.relays['air']?.on ?? false;
    const word = (on: boolean): string => (on ? 'On' : 'Off');
    const row = page.getByRole('region', { name: 'Relays' }).getByRole('listitem').filter({ hasText: air.name });
    await expect(row).toContainText(word(before));

    const operator = io(station.url, { auth: { token: new URL(station.operatorUrl).searchParams.get('token'), name: 'e2e operator' }, transports: ['websocket'] });
    try {
      const ack = await operator.timeout(10_000).emitWithAck('command', { id: 'e2e-air-flip', type: 'relay.set', relayId: 'air', on: !before });
      expect(ack).toMatchObject({ ok: true });
      await expect(row).toContainText(word(!before));
      await operator.timeout(10_000).emitWithAck('command', { id: 'e2e-air-back', type: 'relay.set', relayId: 'air', on: before });
      await expect(row).toContainText(word(before));
    } finally {
      operator.disconnect();
    }
  });

  test.describe('on a phone', () => {
    test.use({ viewport: { width: 360, height: 740 } });

    test('fits 360 px without sideways scrolling', async ({ page, station }, testInfo) => {
      await page.goto(station.viewerUrl);
      await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
      await expect(page.getByRole('heading', { name: 'Sensors' })).toBeVisible();
      // Runs in the page; typed loosely because the e2e code compiles without the DOM library.
      const overflow = await page.evaluate(() => {
        const page = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        return page.document.documentElement.scrollWidth - page.innerWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: testInfo.outputPath('first-screen-phone.png'), fullPage: true });
    });
  });
});
