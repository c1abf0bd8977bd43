/**
 * The History screen as a grower meets it: charts drawn from the station database's samples, and
 * a sensor's history saved as CSV under the file name the station gives it. Real Chromium,
 * headless Tendril with its database, the simulator on a real pty.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './station-fixture';

test.describe('history', () => {
  test('charts the pH probe and exports its readings as CSV', async ({ page, station }) => {
    await page.goto(station.viewerUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'History' }).click();

    const ph = page.getByRole('region', { name: 'pH', exact: true });
    // Samples reach the database once a second; the chart asks again on Refresh.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh charts' }).click();
      await expect(ph.getByRole('img')).toHaveAttribute('aria-label', /^pH, last 24 h: \d+ readings from /, { timeout: 1000 });
    }).toPass();

    await page.getByLabel('Sensor to export').selectOption({ label: 'pH' });
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'pH, last 24 h (CSV)' }).click();
    const download = await saving;
    expect(download.suggestedFilename()).toMatch(/^tendril-ph\w*\.csv$/);
    const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('time,time_ms,channel,value,averaged');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d+,ph\w*,[\d.]+,false$/);
  });
});
