/**
 * An EC probe calibrated from one solution, as a grower does it: the simulated cell reads 0.3 ×
 * the truth, far from any healthy cell. A second point in nearly the same solution is refused
 * outright; after starting over, the one-point line is refused until the grower ticks that the
 * solutions and the probe were checked, and then corrects the readings. The refusals speak of the
 * probe by name and of the box to tick, never of the command's fields. Real Chromium, headless
 * Tendril, the simulator on a real pty, in real time.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './station-fixture';

const screen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name }).click();

test.describe('EC probe calibration', () => {
  test('a one-point EC calibration refuses nearly the same solution twice and a far-off slope until confirmed, then corrects the probe', async ({ page, ownStation: station }) => {
    // One point of 30 settled seconds, in real time.
    test.setTimeout(150_000);
    await station.sim.control('probe-error ec1 0 0.3');
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await screen(page, 'Settings');
    const wizard = page.getByRole('region', { name: 'pH and EC probe calibration' });
    await wizard.getByLabel('Probe').selectOption('ec1');
    await expect(wizard.getByLabel('Probe').locator('option:checked')).toHaveText('EC');
    await expect(wizard.getByText('Not calibrated')).toBeVisible();

    // The 12.88 mS/cm solution: the cell's noise is small beside what it reads in it.
    await station.sim.control('dip ec1 12.88');
    const solution = wizard.getByLabel('Solution (mS/cm on the bottle)');
    await expect(solution).toHaveValue('1.413');
    await solution.fill('12.88');
    await expect(wizard.getByTestId('probe-stability')).toContainText('Stable', { timeout: 60_000 });
    const capture = wizard.getByRole('button', { name: 'Capture point' });
    const points = wizard.getByRole('list', { name: 'Captured points' });
    await capture.click();
    await expect(points).toContainText('12.88 mS/cm');

    // Still in the 12.88 solution, called 13: two points of nearly the same value, refused even if confirmed.
    await solution.fill('13');
    await capture.click();
    await expect(points.getByRole('listitem')).toHaveCount(2);
    const save = wizard.getByRole('button', { name: 'Save probe calibration' });
    await save.click();
    const refusal = wizard.getByRole('alert');
    await expect(refusal).toContainText('EC: two points are in solutions of nearly the same value (12.88 and 13 mS/cm); capture the second point in a different solution');
    await expect(wizard.getByLabel(/save it anyway/)).toHaveCount(0);

    // Started over: the station drops the unsaved points with the wizard's.
    await wizard.getByRole('button', { name: 'Start over' }).click();
    await expect(points).toHaveCount(0);
    await solution.fill('12.88');
    await capture.click();
    await expect(points.getByRole('listitem')).toHaveCount(1);

    // A cell reading 0.3 × the truth: far outside what a working cell reads, so it waits for a tick.
    await save.click();
    await expect(refusal).toContainText(/EC: the probe's slope would be \d+(\.\d)?% of ideal, far outside 50–200%; check the solutions and the probe, then tick “save it anyway” below and save again if it is right/);
    for (const internal of ['confirm', 'ec1', 'sensorId']) await expect(refusal).not.toContainText(internal);
    await expect(wizard.getByText('Not calibrated')).toBeVisible();
    await wizard.getByLabel(/save it anyway/).check();
    await save.click();
    await expect(wizard.getByText(/Saved: slope [\d.]+, offset 0\. The EC probe's slope is \d+(\.\d)?% of ideal, outside 80–120%: it may need cleaning or replacing/)).toBeVisible();
    await expect(wizard.getByText(/Calibrated .* from 1 point: slope/)).toBeVisible();

    // Back in the tank: the calibrated reading is the truth, the raw one the drifted cell's.
    await station.sim.control('dip ec1 off');
    await expect
      .poll(
        async () => {
          const truth = ((await station.sim.snapshot())['tank'] as { ec: number }).ec;
          const text = (await wizard.getByText(/Raw reading:/).textContent()) ?? '';
          const match = /Raw reading: ([\d.]+) mS\/cm \(calibrated ([\d.]+) mS\/cm\)/.exec(text);
          return match ? Math.abs(Number(match[2]) - truth) < 0.05 * truth + 0.02 && Math.abs(Number(match[1]) - 0.3 * truth) < 0.03 : false;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
  });
});
