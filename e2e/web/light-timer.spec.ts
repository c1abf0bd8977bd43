/**
 * A light timer switched off in its window switches its light off, and the Schedules screen says
 * so. Real Chromium, headless Tendril, the simulator on a real pty.
 */
import { expect, test } from './station-fixture';

const minuteOf = (at: number): string => new Date(at).toISOString().slice(11, 16);

test.describe('light timers', () => {
  test('switching a timer off in its on-window switches its light off and says so', async ({ page, ownStation: station }) => {
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    // An integrator's client sets the timer up: on since a minute ago, for an hour.
    const created = await fetch(`${station.url}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${station.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'lights-1',
        type: 'schedule.create',
        schedule: { id: 'lights', name: 'Veg lights', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on: minuteOf(Date.now() - 60_000), off: minuteOf(Date.now() + 3_600_000) } },
      }),
    });
    expect(created.ok).toBe(true);
    await expect.poll(async () => (await station.sim.snapshot()).relays['lights'], { message: 'the timer switches the lights on' }).toBe(true);

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('switch', { name: 'Veg lights enabled' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'switched off: light timer "Veg lights" no longer drives it' })).toBeVisible();
    await expect.poll(async () => (await station.sim.snapshot()).relays['lights'], { message: 'the lights go off with the timer' }).toBe(false);
  });
});
