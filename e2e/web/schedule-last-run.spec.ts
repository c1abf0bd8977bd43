/**
 * A schedule's last run on the Schedules screen: none while it has never run, and a run the
 * station refused is marked skipped with why. Real Chromium, headless Tendril, the simulator on a
 * real pty. Schedules fire on the minute, so this test waits for the next one.
 */
import { expect, test, type HeadlessStation } from './station-fixture';

async function command(station: HeadlessStation, body: object): Promise<void> {
  const answer = await fetch(`${station.url}/api/command`, {
    method: 'POST',
    headers: { authorization: `Bearer ${station.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const ack = (await answer.json()) as { ok: boolean };
  expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
}

test('a schedule that never ran shows no last run, and a run refused under the emergency stop is marked skipped', async ({ page, ownStation: station }) => {
  // Up to a minute until the schedule comes round, on top of starting a station of its own.
  test.setTimeout(150_000);
  await page.goto(station.operatorUrl);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Schedules' }).click();
  // Latched first, so whenever the minute comes round the run is refused; created off, so it
  // cannot have run before the screen is read.
  await command(station, { id: 'stop-1', type: 'estop' });
  await command(station, {
    id: 'stir-1',
    type: 'schedule.create',
    schedule: { id: 'stir', name: 'Stir', enabled: false, timezone: 'UTC', trigger: { kind: 'cron', expression: '* * * * *', action: { kind: 'mix', relayId: 'mixer', seconds: 5 } } },
  });

  const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Stir', exact: true }) });
  await expect(row.getByRole('term')).toHaveText(['Next']);
  await row.getByRole('switch', { name: 'Stir enabled' }).click();
  await expect(row.getByRole('term')).toHaveText(['Next', 'Last'], { timeout: 75_000 });
  await expect(row.locator('.skipped-run')).toHaveText(', skipped: the emergency stop is latched; reset it before starting jobs');
  await expect.poll(async () => (await station.sim.snapshot()).relays['mixer'], { message: 'the skipped run did not stir' }).toBe(false);
});
