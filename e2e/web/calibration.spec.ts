/**
 * Calibrating in Settings, as a grower does it with a measuring cylinder: one wizard for every
 * kind of instrument, each with its own words. Real Chromium, headless Tendril, the simulator on
 * a real pty (its pumps really deliver 1.2 mL/s).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

async function openSettings(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
}

test.describe('calibration', () => {
  test('an operator runs a pump into a cylinder, types what it pumped, and the figure is saved and shown', async ({ page, ownStation }) => {
    await openSettings(page, ownStation.operatorUrl);
    const pump = page.getByRole('region', { name: 'Calibrate a dosing pump' });
    await pump.getByLabel('Pump to calibrate').selectOption('nut_a');
    await expect(pump.getByText('Now 1.25 mL/s, built-in default: not calibrated yet.')).toBeVisible();
    await pump.getByLabel('Run for (s)').fill('6');
    await pump.getByRole('button', { name: 'Run Nutrient A for 6 s' }).click();

    await expect(pump.getByText(/^The pump ran for \d+\.\d s\. How much did it pump\?$/)).toBeVisible({ timeout: 30_000 });
    await pump.getByLabel('Measured volume (mL)').fill('7.2');
    await expect(pump.getByText(/^= 1\.\d+ mL\/s, [−+]\d+% from now$|^= 1\.\d+ mL\/s, the same as now$/)).toBeVisible();
    await pump.getByRole('button', { name: 'Save pump calibration' }).click();
    await expect(pump.getByRole('status')).toHaveText(/^Saved: Nutrient A now doses 1\.\d+ mL\/s\.$/);
    await expect(pump.getByText(/^Now 1\.\d+ mL\/s, measured on /)).toBeVisible();

    // Reset to the default, after a confirmation naming the pump.
    await pump.getByRole('button', { name: 'Reset to default…' }).click();
    const confirm = pump.getByRole('group', { name: 'Confirm the reset' });
    await expect(confirm).toContainText('Forget the measured figure of Nutrient A?');
    await confirm.getByRole('button', { name: 'Yes, reset the calibration' }).click();
    await expect(pump.getByText('Now 1.25 mL/s, built-in default: not calibrated yet.')).toBeVisible();
  });

  test('the flow meter wizard offers a fill through the tank’s meter, in the grower’s tank unit', async ({ page, station }) => {
    await openSettings(page, station.operatorUrl);
    const flow = page.getByRole('region', { name: 'Calibrate a flow meter' });
    await expect(flow.getByLabel('Tank to fill')).toBeVisible();
    await expect(flow.getByText(/: now \d+ pulses\/L, /)).toBeVisible();
    // In the grower's tank unit, which follows the browser's locale until they choose one.
    await expect(flow.getByLabel(/^Fill about \((L|gal)\)$/)).toHaveValue('10');
    await expect(flow.getByRole('button', { name: /^Fill .+ with about 10 (L|gal)$/ })).toBeEnabled();
  });
});
