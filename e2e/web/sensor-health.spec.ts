/**
 * A suspect probe as a grower meets it: the simulated pH probe reads a value no probe can, and
 * the Overview tile says so in words and in the palette's red. Real Chromium, headless Tendril,
 * the simulator on a real pty.
 */
import { expect, test } from './station-fixture';

test.describe('sensor health', () => {
  test('a pH probe reading 15 is shown as suspect on its tile, and the tile says why', async ({ page, ownStation: station }, testInfo) => {
    await page.goto(station.operatorUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    const tile = page.getByRole('group', { name: 'pH', exact: true });
    await expect(tile).toBeVisible();
    await expect(tile.locator('[data-health]')).toHaveCount(0);

    await station.sim.control('stuck ph1 15');
    const note = tile.locator('[data-health="suspect"]');
    await expect(note).toContainText('pH probe suspect: reading 15 is outside what it can read (0 to 14)');
    // The palette's red (styles.css, --danger).
    await expect(note).toHaveCSS('color', 'rgb(163, 38, 27)');
    await page.screenshot({ path: testInfo.outputPath('sensor-suspect.png') });
    // The other probes are trusted, and say nothing.
    await expect(page.getByRole('group', { name: 'EC', exact: true }).locator('[data-health]')).toHaveCount(0);
  });
});
