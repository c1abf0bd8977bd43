/**
 * Reading alarms as a grower meets them: an operator shortens pH's hold in Settings, the
 * simulated probe reads 7.90, and the Overview tile says so in words and colour, by day and by
 * night. Real Chromium, headless Tendril, the simulator on a real pty.
 */
import { expect, test } from './station-fixture';

test.describe('reading alarms', () => {
  test('an out-of-band pH tile says it is high, past which limit, and stays legible at night', async ({ page, ownStation: station }) => {
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();

    const alarms = page.getByRole('region', { name: 'Reading alarms' });
    await alarms.getByRole('button', { name: 'Change the alarm limits of pH' }).click();
    // A wrong limit is refused before sending, and what was typed stays.
    await alarms.getByLabel('Warning below', { exact: true }).fill('6.6');
    await expect(alarms.getByRole('alert')).toHaveText('Warning below (6.6) must be lower than warning above (6.5).');
    await expect(alarms.getByRole('button', { name: 'Save the limits' })).toBeDisabled();
    await alarms.getByLabel('Warning below', { exact: true }).fill('5.5');
    await alarms.getByLabel('Hold (seconds)').fill('0');
    await alarms.getByRole('button', { name: 'Save the limits' }).click();
    await expect(alarms.getByText('clears 0.05 inside, after 0 s (its own limits)')).toBeVisible();

    await station.sim.control('stuck ph1 7.9');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Overview' }).click();
    const tile = page.getByRole('group', { name: 'pH', exact: true });
    await expect(tile).toContainText('7.90');
    await expect(tile).toContainText('high (critical above 7.0)');
    await expect(tile).toHaveAttribute('data-band', 'critical');

    // The palette's red (styles.css, --danger): the day's, then the night's, on its dark tint.
    const tag = tile.locator('.band-tag');
    await expect(tag).toHaveCSS('color', 'rgb(163, 38, 27)');
    await page.getByRole('button', { name: 'Night mode' }).click();
    await expect(tag).toHaveCSS('color', 'rgb(240, 56, 31)');
    await expect(tile).toHaveCSS('background-color', 'rgb(46, 4, 0)');

    await station.sim.control('stuck ph1 6.0');
    await expect(tile).not.toHaveAttribute('data-band', /.+/);
    await expect(tile).not.toContainText('critical');
  });
});
