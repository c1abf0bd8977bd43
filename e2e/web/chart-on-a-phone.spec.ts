/**
 * History on a phone, where nothing hovers: a tap on a chart reads the value where it lands, and
 * the next tap moves the reading. Real Chromium with touch, headless Tendril with its database,
 * the simulator on a real pty.
 */
import { expect, test } from './station-fixture';

const PHONE = { width: 390, height: 844 };

test.describe('a chart on a phone', () => {
  test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

  test('reads the value where a finger taps, and a second tap moves it', async ({ page, station }) => {
    await page.goto(station.viewerUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/history'));
    const ph = page.getByRole('region', { name: 'pH', exact: true });
    // Samples reach the database once a second; the chart asks again on Refresh.
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh charts' }).click();
      await expect(ph.getByRole('img')).toHaveAttribute('aria-label', /^pH, last 24 h: \d+ readings from /, { timeout: 1000 });
    }).toPass();

    const readout = ph.getByRole('status', { name: 'pH under the pointer' });
    await expect(readout).toHaveText('Point at or tap the chart to read a value.');
    const plotArea = ph.locator('.u-over');
    await plotArea.scrollIntoViewIfNeeded();
    const box = (await plotArea.boundingBox())!;

    // The station is minutes old: its readings sit at the right-hand end of the 24 h axis. A
    // dose another test ran may be named after the value.
    await plotArea.tap({ position: { x: box.width - 2, y: box.height / 2 } });
    await expect(readout).toHaveText(/^.+ · \d+\.\d{2} pH( · .+)?$/);
    const atTheEnd = await readout.textContent();

    // Hours before the station started there is nothing to read; the reading moves there.
    await plotArea.tap({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect(readout).toHaveText(/^.+ · no reading$/);
    expect(await readout.textContent()).not.toBe(atTheEnd);

    await plotArea.tap({ position: { x: box.width - 2, y: box.height / 4 } });
    await expect(readout).toHaveText(/^.+ · \d+\.\d{2} pH( · .+)?$/);
  });
});
