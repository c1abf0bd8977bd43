/**
 * Settings → Tanks on a screen set to US units: the tank's capacity, headroom and floor are shown
 * and typed in gallons, a wrong value is refused in gallons, the confirmation reads old and new in
 * gallons, and the floor typed in gallons is what the station keeps across a restart. Real
 * Chromium, headless Tendril, the simulator on a real pty.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test, type HeadlessStation } from './station-fixture';

async function tanksOnAUsScreen(browser: Browser, station: HeadlessStation): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(station.operatorUrl);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('region', { name: 'Tanks and channels' }).getByRole('button', { name: 'Change Main tank' }).click();
  return page;
}

test.describe('tanks in the grower’s units', () => {
  test('a US screen shows and takes the tank in gallons, and reads the change back in gallons', async ({ browser, ownStation: station }) => {
    const page = await tanksOnAUsScreen(browser, station);
    const tanks = page.getByRole('region', { name: 'Tanks and channels' });
    // The simulated 100 L tank, to two places; headroom left at Tendril's default.
    await expect(tanks.getByLabel('Capacity (gal)')).toHaveValue('26.42');
    await expect(tanks.getByLabel('Headroom (gal)')).toHaveValue('');
    await expect(tanks.getByLabel('Capacity (L)')).toHaveCount(0);

    await tanks.getByLabel('Capacity (gal)').fill('');
    await expect(tanks.getByText('Enter how many gallons the tank holds.')).toBeVisible();
    await expect(tanks.getByRole('button', { name: 'Review the changes…' })).toBeDisabled();
    await tanks.getByLabel('Capacity (gal)').fill('26.42');

    await tanks.getByLabel('Floor (gal)').fill('5');
    await tanks.getByRole('button', { name: 'Review the changes…' }).click();
    const change = tanks.getByRole('dialog', { name: 'Change Main tank?' });
    // Only the floor: the capacity typed back as shown is not a change.
    await expect(change.getByRole('list', { name: 'Changes' })).toHaveText('Floorthe default → 5.0 gal');
    await change.getByRole('button', { name: 'Change the tank' }).click();
    await expect(tanks.getByRole('button', { name: 'Change Main tank' })).toBeVisible();
    await page.context().close();

    // Kept in litres and read back as the same 5 gallons after a restart.
    await station.restart();
    const again = await tanksOnAUsScreen(browser, station);
    await expect(again.getByRole('region', { name: 'Tanks and channels' }).getByLabel('Floor (gal)')).toHaveValue('5');
    await again.context().close();
  });

  test('a fill the tank has no room for is refused in gallons, and a water temperature alarm is set in °F', async ({ browser, ownStation: station }) => {
    const page = await tanksOnAUsScreen(browser, station);
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Jobs' }).click();
    const form = page.getByRole('region', { name: 'Start a job' });
    await form.getByRole('radio', { name: 'Fill', exact: true }).check();
    await form.getByLabel('Water to add (gal)').fill('15');
    await form.getByRole('button', { name: 'Start job' }).click();
    // The station refuses in litres; the screen reads the same figures in gallons.
    const refusal = form.getByRole('alert');
    await expect(refusal).toContainText(/^15\.0 gal would take tank Main tank past 25\.1 gal \(capacity 26\.4 gal less headroom\)/);
    await expect(refusal).not.toHaveText(/\d\s*(L|litres?)\b/);

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
    const alarms = page.getByRole('region', { name: 'Reading alarms' });
    await alarms.getByRole('button', { name: 'Change the alarm limits of Water temperature' }).click();
    await expect(alarms.getByLabel('Warning above (°F)')).toHaveValue('78.8');
    await alarms.getByLabel('Warning above (°F)').fill('50');
    await expect(alarms.getByRole('alert')).toHaveText('Warning below (60.8 °F) must be lower than warning above (50 °F).');
    await alarms.getByLabel('Warning above (°F)').fill('80');
    await alarms.getByRole('button', { name: 'Save the limits' }).click();
    await expect(alarms.getByText(/above 80 °F; critical below 53\.6 °F or above 86 °F; clears 0\.9 °F inside, after 60 s \(its own limits\)/)).toBeVisible();
    await page.context().close();
  });
});
