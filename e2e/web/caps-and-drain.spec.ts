/**
 * Settings → Safety as an operator uses it: a cap is changed with its old and new value read
 * back first, a wrong value is refused in the field with what to enter, and the Overview's dose
 * field then says and holds the new cap. A tank's floor and drain valve are set the same way in
 * Settings → Tanks, and a drain from Jobs stops at that floor after it is read back. Real
 * Chromium, headless Tendril, the simulator on a real pty.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

async function open(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
}

const screen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name }).click();

test.describe('caps from Settings', () => {
  test('an operator lowers the per-dose cap after reading old and new, and the dose field keeps to it', async ({ page, ownStation: station }) => {
    await open(page, station.operatorUrl);
    // Before: the dose field names the cap that applies, Tendril's 50 mL, not the pump's 250.
    await expect(page.getByText("at most 50 mL a dose (Tendril's cap)").first()).toBeVisible();

    await screen(page, 'Settings');
    const safety = page.getByRole('region', { name: 'Caps and safety limits' });
    await safety.getByRole('button', { name: 'Change the caps' }).click();
    const perDose = safety.getByLabel('Each pump, per dose (mL)');
    await expect(perDose).toHaveValue('50');

    // Above what the pumps dose at once: refused in the field, and what was typed stays.
    await perDose.fill('300');
    await safety.getByLabel('Each pump, per 24 hours (mL)').fill('1000');
    await expect(safety.getByText('Each pump, per dose (300 mL) is more than any pump on this controller doses at once (at most 250 mL); set 250 mL or less.')).toBeVisible();
    await expect(safety.getByRole('button', { name: 'Review the changes…' })).toBeDisabled();
    await expect(perDose).toHaveValue('300');
    await safety.getByLabel('Fill stops after no flow for (seconds)').fill('0.2');
    await expect(safety.getByText('Enter 0.5 s to 600 s (the least the controller accepts is 0.5 s).')).toBeVisible();
    await safety.getByLabel('Fill stops after no flow for (seconds)').fill('15');

    await perDose.fill('20');
    await safety.getByLabel('Each pump, per 24 hours (mL)').fill('500');
    await safety.getByRole('button', { name: 'Review the changes…' }).click();
    const question = safety.getByRole('dialog', { name: 'Change this cap?' });
    await expect(question.getByRole('list', { name: 'Changes' })).toHaveText('Each pump, per dose50 mL → 20 mL');
    await question.getByRole('button', { name: 'Change the caps' }).click();
    await expect(safety.getByRole('definition').first()).toHaveText('at most 20 mL');

    await screen(page, 'Overview');
    await expect(page.getByText("at most 20 mL a dose (Tendril's cap)").first()).toBeVisible();
    await page.getByLabel('Nutrient A dose in mL').fill('30');
    await expect(page.getByText("Tendril's cap for Nutrient A is 20 mL a dose, not 30 mL; dose less, or raise the cap in Settings → Safety")).toBeVisible();
    await expect(page.getByRole('button', { name: 'Dose Nutrient A' })).toBeDisabled();

    // A restart reads the cap back from settings.json.
    await station.restart();
    await open(page, station.operatorUrl);
    await expect(page.getByText("at most 20 mL a dose (Tendril's cap)").first()).toBeVisible();
  });

  test('an operator gives one pump a cap of its own, and that pump’s dose field keeps to it while the others keep the general cap', async ({ page, ownStation: station }) => {
    await open(page, station.operatorUrl);
    await screen(page, 'Settings');
    const safety = page.getByRole('region', { name: 'Caps and safety limits' });
    await safety.getByRole('button', { name: 'Change the caps' }).click();
    const ownCap = safety.getByLabel('pH down, per dose (mL)');
    await expect(ownCap).toHaveValue('');
    await ownCap.fill('5');
    await safety.getByRole('button', { name: 'Review the changes…' }).click();
    const question = safety.getByRole('dialog', { name: 'Change this cap?' });
    await expect(question.getByRole('list', { name: 'Changes' })).toContainText('pH down, per dose');
    await expect(question.getByRole('list', { name: 'Changes' })).toContainText('5 mL');
    await question.getByRole('button', { name: 'Change the caps' }).click();
    await expect(safety.getByRole('button', { name: 'Change the caps' })).toBeVisible();

    await screen(page, 'Overview');
    await page.getByLabel('pH down dose in mL').fill('8');
    await expect(page.getByText("Tendril's cap for pH down is 5 mL a dose, not 8 mL; dose less, or raise the cap in Settings → Safety")).toBeVisible();
    await expect(page.getByRole('button', { name: 'Dose pH down' })).toBeDisabled();
    // Another pump keeps the cap for every pump.
    await page.getByLabel('Nutrient A dose in mL').fill('8');
    await expect(page.getByRole('button', { name: 'Dose Nutrient A' })).toBeEnabled();
  });

  test('a viewer sees the caps but cannot change them', async ({ page, station }) => {
    await open(page, station.viewerUrl);
    await screen(page, 'Settings');
    const safety = page.getByRole('region', { name: 'Caps and safety limits' });
    await expect(safety.getByRole('button', { name: 'Change the caps' })).toBeDisabled();
    await expect(safety.getByText('Operators change the caps here.', { exact: false })).toBeVisible();
  });
});

test.describe('the Drain form', () => {
  // Litres, whatever the browser's locale: tanks-in-gallons.spec.ts reads the same form in gallons.
  test.use({ locale: 'en-GB' });

  test('drains down to the floor set in Settings → Tanks, read back before it runs', async ({ page, ownStation: station }) => {
    await open(page, station.operatorUrl);
    await screen(page, 'Settings');
    const tanks = page.getByRole('region', { name: 'Tanks and channels' });
    await tanks.getByRole('button', { name: 'Change Main tank' }).click();
    // A floor that leaves nothing to drain is refused in the field, and stays as typed.
    await tanks.getByLabel('Floor (L)').fill('99');
    await expect(tanks.getByText(/^A floor of 99 L and 5 L of headroom leave no water to fill or drain in a 100 L tank/)).toBeVisible();
    await expect(tanks.getByRole('button', { name: 'Review the changes…' })).toBeDisabled();
    await tanks.getByLabel('Floor (L)').fill('30');
    await tanks.getByLabel('Drain valve').selectOption({ label: 'Drain valve' });
    await tanks.getByRole('button', { name: 'Review the changes…' }).click();
    const change = tanks.getByRole('dialog', { name: 'Change Main tank?' });
    await expect(change.getByRole('list', { name: 'Changes' })).toHaveText('Floorthe default → 30 LDrain valveworked out from the names → Drain valve');
    await change.getByRole('button', { name: 'Change the tank' }).click();
    await expect(tanks.getByRole('button', { name: 'Change Main tank' })).toBeVisible();

    await screen(page, 'Jobs');
    const form = page.getByRole('region', { name: 'Start a job' });
    await form.getByRole('radio', { name: 'Drain', exact: true }).check();
    const liters = form.getByLabel(/^Water to let out \((L|gal)\)$/);
    await expect(form.getByText(/Stops at Main tank's floor of (30(\.0)? L|7\.9 gal)/)).toBeVisible();
    await liters.fill('1');
    await form.getByRole('button', { name: 'Start job' }).click();
    const question = form.getByRole('dialog', { name: /^Drain .+ from .+, no lower than its floor\?$/ });
    // Backing out sends nothing and keeps what was typed.
    await question.getByRole('button', { name: "Don't drain" }).click();
    await expect(liters).toHaveValue('1');
    await form.getByRole('button', { name: 'Start job' }).click();
    await form.getByRole('dialog').getByRole('button', { name: 'Confirm drain' }).click();
    await expect(form.getByRole('status')).toContainText(/Started job \d+: Drain .+ from /);
    await expect.poll(async () => (await station.sim.snapshot()).relays['drain'], { message: 'the simulator opens the drain valve' }).toBe(true);
    const finished = page.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem').filter({ hasText: /Drain .+ from / }).first();
    await expect(finished).toContainText('Done', { timeout: 30_000 });
    expect((await station.sim.snapshot()).relays['drain']).toBe(false);
  });
});
