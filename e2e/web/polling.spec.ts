/**
 * Commands from a screen that can only poll: websockets (and Socket.IO's own long-polling) are
 * blocked, so the page reads GET /api/state and sends its commands by POST /api/command. In
 * real Chromium against headless Tendril and the simulated controller on a real serial pty.
 */
import type { Page, Request } from '@playwright/test';
import { io } from 'socket.io-client';
import { expect, test, type HeadlessStation } from './station-fixture';

interface Posted {
  id: string;
  type: string;
  relayId?: string;
  on?: boolean;
}

const relaySwitch = (page: Page, name: string) => page.getByRole('region', { name: 'Relays' }).getByRole('switch', { name, exact: true });

const posted = (request: Request): Posted | null => (request.url().endsWith('/api/command') && request.method() === 'POST' ? (request.postDataJSON() as Posted) : null);

/** Another operator's screen, on a live connection the page under test does not have. */
async function switchElsewhere(station: HeadlessStation, relayId: string, on: boolean): Promise<void> {
  const operator = io(station.url, { auth: { token: station.operatorToken, name: 'e2e other screen' }, transports: ['websocket'], forceNew: true });
  try {
    const ack = await operator.timeout(10_000).emitWithAck('command', { id: `elsewhere-${Date.now()}`, type: 'relay.set', relayId, on });
    expect(ack).toMatchObject({ ok: true });
  } finally {
    operator.disconnect();
  }
  await expect.poll(async () => (await station.sim.snapshot()).relays[relayId]).toBe(on);
}

test('with websockets blocked, a relay switch arrives once and the emergency stop latches ahead of a waiting command', async ({ page, ownStation: station }) => {
  await page.route('**/socket.io/**', (route) => route.abort());

  // The first relay command reaches the station, but its answer is lost on the way back; in
  // between, another screen switches the relay off again. A second arrival would switch it on.
  // A Lights command is held in the network until the stop has latched.
  let loseNextAnswer = true;
  let releaseLights = (): void => {};
  const lightsReleased = new Promise<void>((resolve) => (releaseLights = resolve));
  await page.route('**/api/command', async (route) => {
    const command = posted(route.request());
    if (command?.type === 'relay.set' && command.relayId === 'air' && loseNextAnswer) {
      loseNextAnswer = false;
      const answer = await route.fetch();
      expect(await answer.json()).toEqual({ ok: true, result: { relayId: 'air', on: true } });
      await switchElsewhere(station, 'air', false);
      await route.abort('connectionreset');
      return;
    }
    if (command?.type === 'relay.set' && command.relayId === 'lights') await lightsReleased;
    await route.continue();
  });

  await page.goto(station.operatorUrl);
  const connection = page.getByRole('status', { name: 'Connection' });
  await expect(connection).toContainText('polling', { timeout: 30_000 });
  await expect(connection).toContainText('connected');
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  expect((await station.sim.snapshot()).relays['air']).toBe(false);

  const sent: Posted[] = [];
  page.on('request', (request) => {
    const command = posted(request);
    if (command) sent.push(command);
  });

  const retried = page.waitForResponse((response) => posted(response.request())?.relayId === 'air');
  await relaySwitch(page, 'Air pump').click();
  const retry = await retried;
  expect(await retry.json()).toEqual({ ok: true, result: { relayId: 'air', on: true } });
  const air = sent.filter((command) => command.relayId === 'air');
  expect(air).toHaveLength(2);
  expect(air[1]!.id).toBe(air[0]!.id);
  // The retry was answered from the first run: the station did not switch the relay on again.
  expect((await station.sim.snapshot()).relays['air']).toBe(false);
  await expect(relaySwitch(page, 'Air pump')).toHaveAttribute('aria-checked', 'false');

  // Lights: held in the network. The stop does not wait behind it.
  await relaySwitch(page, 'Lights').click();
  await expect.poll(() => sent.some((command) => command.relayId === 'lights')).toBe(true);
  const stopAnswered = page.waitForResponse((response) => posted(response.request())?.type === 'estop');
  await page.getByRole('button', { name: 'Emergency stop' }).click();
  const stop = await stopAnswered;
  expect(await stop.json()).toEqual({ ok: true, result: { latched: true } });
  await expect.poll(async () => (await station.sim.snapshot()).estopLatched, { timeout: 15_000 }).toBe(true);
  await expect(page.getByRole('region', { name: 'Emergency stop latched' })).toBeVisible();

  // From the request leaving the page to the station's ack that it latched, in the browser's
  // own timing; recorded, not asserted: wall time on a shared machine proves nothing.
  const timing = stop.request().timing();
  const latchMs = Math.round(timing.responseEnd);
  test.info().annotations.push({ type: 'estop over POST: request to latched ack', description: `${latchMs} ms` });
  console.log(`estop over POST /api/command: request to latched ack in ${latchMs} ms`);

  // The held command reaches the station after the stop, which refuses it.
  const lightsAnswered = page.waitForResponse((response) => posted(response.request())?.relayId === 'lights');
  releaseLights();
  const lights = await lightsAnswered;
  expect(await lights.json()).toMatchObject({ ok: false });
  expect((await station.sim.snapshot()).relays['lights']).toBe(false);
  expect(sent.filter((command) => command.type === 'estop')).toHaveLength(1);
});
