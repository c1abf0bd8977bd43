import { expect, test } from './station-fixture';

// One live connection per token: the second tab of the same pairing is one too many.
test.use({ ownSettings: { lan: { maxScreensPerToken: 1 } } });

test('a tab over the cap of live connections polls, says why and which setting raises it, and goes live once a place frees', async ({ browser, ownStation: station }) => {
  const context = await browser.newContext();
  try {
    const first = await context.newPage();
    await first.goto(station.operatorUrl);
    await expect(first.getByRole('status', { name: 'Connection' })).toContainText(/connected\s*live/);

    const second = await context.newPage();
    await second.goto(station.operatorUrl);
    const connection = second.getByRole('status', { name: 'Connection' });
    // Not "cannot be reached": the station's own words, with the setting that raises the cap.
    await expect(connection).toContainText('polling', { timeout: 30_000 });
    await expect(connection).toContainText('live updates refused: this token already has 1 live connection, the most one token may hold');
    await expect(connection).toContainText('lan.maxScreensPerToken in settings.json');
    // Polling carries the station meanwhile.
    await expect(second.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    // The station's sentence wraps on a phone rather than pushing the page sideways.
    await second.setViewportSize({ width: 360, height: 740 });
    const overflow = await second.evaluate(() => {
      const page = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
      return page.document.documentElement.scrollWidth - page.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);

    await first.close();
    await expect(connection).toContainText(/connected\s*live/, { timeout: 45_000 });
    await expect(connection).not.toContainText('refused');
  } finally {
    await context.close();
  }
});
