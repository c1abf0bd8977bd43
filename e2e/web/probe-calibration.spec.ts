/**
 * A pH probe calibrated as a grower does it: the simulated probe reads 0.92 × the truth + 0.3;
 * it is dipped in the 4.00 buffer, then the 7.00, each captured once the wizard says it is
 * stable, and after saving the readings are the truth again with the raw value still shown.
 * Real Chromium, headless Tendril, the simulator on a real pty, in real time.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

const screen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name }).click();

test.describe('probe calibration', () => {
  test('a two-point pH calibration in the Settings wizard corrects a drifted probe, and resets after a confirmation', async ({ page, ownStation: station }) => {
    // Two points of 30 settled seconds each, in real time.
    test.setTimeout(180_000);
    await station.sim.control('probe-error ph1 0.3 0.92');
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await screen(page, 'Settings');
    const wizard = page.getByRole('region', { name: 'pH and EC probe calibration' });
    await wizard.getByLabel('Probe').selectOption('ph1');
    await expect(wizard.getByText('Not calibrated')).toBeVisible();

    for (const buffer of ['4.00', '7.00']) {
      await station.sim.control(`dip ph1 ${buffer}`);
      // The wizard's default for the next point is the next buffer; a fresh dip takes 30 s to settle.
      await expect(wizard.getByLabel('Solution (pH on the bottle)')).toHaveValue(buffer);
      await expect(wizard.getByTestId('probe-stability')).toContainText('Settling');
      await expect(wizard.getByTestId('probe-stability')).toContainText('Stable', { timeout: 60_000 });
      await wizard.getByRole('button', { name: 'Capture point' }).click();
      await expect(wizard.getByRole('list', { name: 'Captured points' })).toContainText(`${Number(buffer)} pH`);
    }

    await wizard.getByRole('button', { name: 'Save probe calibration' }).click();
    await expect(wizard.getByText(/Saved: slope 1\.0\d+.*healthy: its slope is 9\d(\.\d)?% of ideal/)).toBeVisible();
    await expect(wizard.getByText(/Calibrated .* from 2 points/)).toBeVisible();

    // Back in the tank: the calibrated reading is the truth, the raw one is the drifted probe's.
    await station.sim.control('dip ph1 off');
    await expect
      .poll(async () => {
        const truth = ((await station.sim.snapshot())['tank'] as { ph: number }).ph;
        const text = (await wizard.getByText(/Raw reading:/).textContent()) ?? '';
        const match = /Raw reading: ([\d.]+) pH \(calibrated ([\d.]+) pH\)/.exec(text);
        return match ? Math.abs(Number(match[2]) - truth) < 0.05 && Math.abs(Number(match[1]) - (0.92 * truth + 0.3)) < 0.05 : false;
      }, { timeout: 20_000 })
      .toBe(true);

    await wizard.getByRole('button', { name: 'Reset to uncalibrated…' }).click();
    await wizard.getByRole('button', { name: 'Yes, reset to uncalibrated' }).click();
    await expect(wizard.getByText('Not calibrated')).toBeVisible();
  });
});
