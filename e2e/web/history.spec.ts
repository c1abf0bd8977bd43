/**
 * The History screen as a grower meets it: charts drawn from the station database's samples
 * that follow the station while open, values read under the pointer, doses and emergency stops
 * marked where they happened, and a sensor's history saved as CSV under a name that says which
 * window it covers. Real Chromium, headless Tendril with its database, the simulator on a real pty.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test, type HeadlessStation } from './station-fixture';

async function openHistory(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'History' }).click();
  const ph = page.getByRole('region', { name: 'pH', exact: true });
  // Samples reach the database once a second; the chart asks again on Refresh.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh charts' }).click();
    await expect(ph.getByRole('img')).toHaveAttribute('aria-label', /^pH, last 24 h: \d+ readings from /, { timeout: 1000 });
  }).toPass();
  return ph;
}

async function readingsCharted(chart: Locator): Promise<number> {
  const words = (await chart.getAttribute('aria-label')) ?? '';
  return Number(/: (\d+) readings/.exec(words)?.[1] ?? 0);
}

async function command(station: HeadlessStation, body: object): Promise<void> {
  const answer = await fetch(`${station.url}/api/command`, {
    method: 'POST',
    headers: { authorization: `Bearer ${station.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const ack = (await answer.json()) as { ok: boolean };
  expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
}

async function jobs(station: HeadlessStation): Promise<Array<{ kind: string; state: string; tankId: string | null }>> {
  const answer = await fetch(`${station.url}/api/jobs`, { headers: { authorization: `Bearer ${station.viewerToken}` } });
  return ((await answer.json()) as { jobs: Array<{ kind: string; state: string; tankId: string | null }> }).jobs;
}

test.describe('history', () => {
  test('charts the pH probe and exports its readings as CSV', async ({ page, station }) => {
    await openHistory(page, station.viewerUrl);

    await page.getByLabel('Sensor to export').selectOption({ label: 'pH' });
    const saving = page.waitForEvent('download');
    await page.getByRole('button', { name: 'pH, last 24 h (CSV)' }).click();
    const download = await saving;
    // The window goes into the name, so a folder of exports says what each one covers.
    expect(download.suggestedFilename()).toMatch(/^tendril-ph\w*-\d{4}-\d{2}-\d{2}T\d{4}Z-\d{4}-\d{2}-\d{2}T\d{4}Z\.csv$/);
    const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('time,time_ms,channel,pH (pH),averaged');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d+,ph\w*,[\d.]+,false$/);
  });

  test('follows the station while open, reads a value under the pointer and draws the target band', async ({ page, ownStation: station }) => {
    // A station of its own: a dose another test ran on the shared one would be named under the pointer.
    const ph = await openHistory(page, station.viewerUrl);
    const chart = ph.getByRole('img');
    // No adjustment has run on this station: the band is the reading alarm's, and says so.
    await expect(chart).toHaveAttribute('aria-label', /Shaded: 5\.50–6\.50 pH, the reading alarm's limits\.$/);
    await expect(ph.getByText("Shaded: 5.50–6.50 pH, the reading alarm's limits", { exact: true })).toBeVisible();

    // No refresh: new readings come from the live state, about one a second.
    const before = await readingsCharted(chart);
    await expect.poll(() => readingsCharted(chart), { message: 'the chart follows live readings' }).toBeGreaterThan(before + 2);

    const readout = ph.getByRole('status', { name: 'pH under the pointer' });
    await expect(readout).toHaveText('Point at or tap the chart to read a value.');
    // The station is minutes old: its readings sit at the right-hand end of the 24 h axis.
    const plotArea = ph.locator('.u-over');
    const box = (await plotArea.boundingBox())!;
    await plotArea.hover({ position: { x: box.width - 2, y: box.height / 2 } });
    await expect(readout).toHaveText(/^.+ · \d+\.\d{2} pH$/);
    // Hours before the station started there is nothing to read, rather than its first reading.
    await plotArea.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect(readout).toHaveText(/^.+ · no reading$/);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await expect(readout).toHaveText('Point at or tap the chart to read a value.');
  });

  test('marks a dose and an emergency stop on the charts of their tank', async ({ page, ownStation: station }) => {
    await page.goto(station.viewerUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    await command(station, { id: 'history-dose-1', type: 'pump.dose', pumpId: 'ph_down', ml: 1 });
    await expect.poll(async () => (await jobs(station)).map((job) => `${job.kind} ${job.state} ${job.tankId}`), { message: 'the dose runs to its end' }).toContain('dose succeeded main');
    await command(station, { id: 'history-stop-1', type: 'estop' });
    await expect.poll(async () => (await station.sim.snapshot()).estopLatched).toBe(true);
    await command(station, { id: 'history-reset-1', type: 'estop.reset' });

    const ph = await openHistory(page, station.viewerUrl);
    const marks = ph.locator('details.chart-marks');
    await expect(marks.locator('summary')).toHaveText('1 dose, 1 emergency stop');
    await marks.locator('summary').click();
    const list = ph.getByRole('list', { name: 'Doses, fills and stops on the pH chart' });
    await expect(list.getByRole('listitem')).toHaveText([/Dose 1 mL with pH down \(dotted line\)$/, /Emergency stop \(solid line\)$/]);

    // Under the pointer, the dose is named with the reading at that moment.
    const plotArea = ph.locator('.u-over');
    const box = (await plotArea.boundingBox())!;
    let named = false;
    for (let x = box.width - 1; x > box.width - 40 && !named; x--) {
      await plotArea.hover({ position: { x, y: box.height / 2 } });
      named = /Dose 1 mL with pH down$/.test((await ph.getByRole('status', { name: 'pH under the pointer' }).textContent()) ?? '');
    }
    expect(named, 'the dose is named under the pointer somewhere at the right-hand end').toBe(true);
  });

  test('marks each dose a recipe made, under the recipe\'s name, rather than the recipe once', async ({ page, ownStation: station }) => {
    await command(station, {
      id: 'history-recipe-1',
      type: 'recipe.create',
      recipe: { id: 'ph-twice', name: 'pH in two goes', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'ph_down', ml: 1 } }, { kind: 'wait', seconds: 2 }, { kind: 'job', job: { kind: 'dose', pumpId: 'ph_down', ml: 1.5 } }] },
    });
    await command(station, { id: 'history-recipe-2', type: 'job.start', job: { kind: 'recipe', recipeId: 'ph-twice' } });
    await expect.poll(async () => (await jobs(station)).map((job) => `${job.kind} ${job.state}`), { message: 'the recipe runs to its end', timeout: 30_000 }).toContain('recipe succeeded');

    const ph = await openHistory(page, station.viewerUrl);
    const marks = ph.locator('details.chart-marks');
    await expect(marks.locator('summary')).toHaveText('2 doses');
    await marks.locator('summary').click();
    const list = ph.getByRole('list', { name: 'Doses, fills and stops on the pH chart' });
    await expect(list.getByRole('listitem')).toHaveText([/Recipe pH in two goes: 1 mL of pH down \(dotted line\)$/, /Recipe pH in two goes: 1\.5 mL of pH down \(dotted line\)$/]);
  });

  test('marks a recipe\'s fill when its water went in, not at the recipe\'s start', async ({ page, ownStation: station }) => {
    await command(station, {
      id: 'history-top-up-1',
      type: 'recipe.create',
      recipe: { id: 'top-up', name: 'Top up', steps: [{ kind: 'wait', seconds: 3 }, { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 0.5 } }, { kind: 'job', job: { kind: 'dose', pumpId: 'ph_down', ml: 1 } }] },
    });
    await command(station, { id: 'history-top-up-2', type: 'job.start', job: { kind: 'recipe', recipeId: 'top-up' } });
    await expect.poll(async () => (await jobs(station)).map((job) => `${job.kind} ${job.state}`), { message: 'the recipe runs to its end', timeout: 30_000 }).toContain('recipe succeeded');

    const ph = await openHistory(page, station.viewerUrl);
    const marks = ph.locator('details.chart-marks');
    await expect(marks.locator('summary')).toHaveText('1 dose, 1 fill');
    await marks.locator('summary').click();
    const list = ph.getByRole('list', { name: 'Doses, fills and stops on the pH chart' });
    await expect(list.getByRole('listitem')).toHaveText([/Recipe Top up: 0\.13 gal into Main tank \(dashed line\)$/, /Recipe Top up: 1 mL of pH down \(dotted line\)$/]);
  });

  test('shades what the last pH adjustment aimed for, and says so under the chart', async ({ page, ownStation: station }) => {
    // A station of its own: the adjustment's band must not reach the other tests' charts.
    await page.goto(station.viewerUrl);
    await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
    // Doses must mix, so the circulation runs.
    await command(station, { id: 'history-circulate-1', type: 'relay.set', relayId: 'circulation', on: true });
    await command(station, { id: 'history-adjust-1', type: 'job.start', job: { kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.2 } });
    await expect.poll(async () => (await jobs(station)).some((job) => job.kind === 'adjust-ph' && job.state !== 'queued'), { message: 'the adjustment starts' }).toBe(true);

    const ph = await openHistory(page, station.viewerUrl);
    const legend = 'Shaded: 5.60–6.00 pH, what the last pH adjustment aimed for (5.80 ± 0.20)';
    await expect(ph.getByText(legend, { exact: true })).toBeVisible();
    await expect(ph.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`${legend.replace(/[.()+]/g, '\\$&')}\\.$`));
    // EC had no adjustment: its band is still the reading alarm's.
    await expect(page.getByRole('region', { name: 'EC', exact: true }).getByText(/reading alarm's limits$/)).toBeVisible();
  });
});
