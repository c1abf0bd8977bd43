/**
 * What the Jobs screen tells a grower about a job in progress and one that stopped: a cancelled
 * fill says how much water went in, in the screen's gallons; a running recipe checks its steps
 * off and counts down its time left. Real Chromium, headless Tendril, the simulator on a real pty.
 */
import type { Page } from '@playwright/test';
import { expect, test, type HeadlessStation } from './station-fixture';

async function command(station: HeadlessStation, body: object): Promise<Record<string, unknown>> {
  const answer = await fetch(`${station.url}/api/command`, {
    method: 'POST',
    headers: { authorization: `Bearer ${station.operatorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const ack = (await answer.json()) as { ok: boolean; result?: Record<string, unknown> };
  expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
  return ack.result ?? {};
}

async function openJobs(page: Page, station: HeadlessStation): Promise<void> {
  await page.goto(station.operatorUrl);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Jobs' }).click();
}

test.describe('jobs in the grower’s words', () => {
  test('a fill cancelled part way says how much went in, in gallons on a US screen', async ({ browser, ownStation: station }) => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await openJobs(page, station);
    await command(station, { id: 'fill-1', type: 'job.start', job: { kind: 'fill', tankId: 'main', liters: 10 } });

    const running = page.getByRole('list', { name: 'Running jobs' }).getByRole('listitem').filter({ hasText: 'Fill Main tank with 2.6 gal' });
    // Some water is in once the bar has moved off zero.
    await expect(running.getByRole('progressbar')).not.toHaveAttribute('aria-valuetext', /^0%/);
    // The station's "…% of fill Main tank with 10 L" is not repeated beside the gallons.
    await expect(running).not.toHaveText(/\d\s*(L|litres?)\b/);
    await running.getByRole('button', { name: /^Cancel job/ }).click();

    const finished = page.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem').filter({ hasText: 'Fill Main tank with 2.6 gal' });
    await expect(finished.getByText('Cancelled', { exact: true })).toBeVisible();
    const detail = finished.locator('.job-detail');
    await expect(detail).toHaveText(/^cancelled by .+\. Before it stopped: 0\.\d+ gal filled$/);
    // No litres beside the gallons: the station's own words were in litres.
    await expect(detail).not.toHaveText(/\d\s*(L|litres?)\b/);
    await context.close();
  });

  test('a running recipe checks its steps off and counts down its time left', async ({ page, ownStation: station }) => {
    await command(station, {
      id: 'recipe-1',
      type: 'recipe.create',
      recipe: {
        id: 'rest-and-stir',
        name: 'Rest and stir',
        steps: [
          { kind: 'wait', seconds: 1 },
          { kind: 'wait', seconds: 120 },
          { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 10 } },
        ],
      },
    });
    await openJobs(page, station);
    await page.getByRole('button', { name: 'Run Rest and stir' }).click();
    await page.getByRole('button', { name: 'Confirm run' }).click();

    const running = page.getByRole('list', { name: 'Running jobs' }).getByRole('listitem').filter({ hasText: 'Recipe Rest and stir' });
    const steps = running.getByRole('list', { name: 'Steps of Rest and stir' }).getByRole('listitem');
    await expect(steps).toHaveText([/Wait 1 s\s*done$/, /Wait 2 min\s*running$/, /Run Mixer for 10 s\s*to do$/]);
    await expect(steps.nth(1)).toHaveAttribute('aria-current', 'step');
    // The checklist says which step runs; the station's "step 2 of 3: wait" is not repeated.
    await expect(running.locator('.job-detail')).toHaveCount(0);

    // 120 s of waiting and a 10 s mix: three minutes, rounded up, then two once ten seconds have gone.
    const timeLeft = running.locator('.job-eta');
    await expect(timeLeft).toHaveText(/about 3 min left$/);
    await expect(timeLeft).toHaveText(/about 2 min left$/, { timeout: 20_000 });

    await running.getByRole('button', { name: /^Cancel job/ }).click();
    await expect(page.getByRole('list', { name: 'Finished jobs' }).getByRole('listitem').filter({ hasText: 'Recipe Rest and stir' }).getByText('Cancelled', { exact: true })).toBeVisible();
  });

  test('an adjustment shows its reading closing on its target, alone and as a recipe’s step', async ({ page, ownStation: station }) => {
    // Opened first: it waits for the controller link, and the circulation is a channel of its table.
    await openJobs(page, station);
    // Doses must mix, so the circulation runs; the simulated tank starts near pH 6.0.
    await command(station, { id: 'circulate', type: 'relay.set', relayId: 'circulation', on: true });
    await command(station, {
      id: 'recipe-2',
      type: 'recipe.create',
      recipe: { id: 'acidify', name: 'Acidify', steps: [{ kind: 'job', job: { kind: 'adjust-ph', tankId: 'main', target: 5, band: 0.1 } }] },
    });

    await command(station, { id: 'adjust-1', type: 'job.start', job: { kind: 'adjust-ph', tankId: 'main', target: 5, band: 0.1 } });
    const adjusting = page.getByRole('list', { name: 'Running jobs' }).getByRole('listitem').filter({ hasText: 'Bring Main tank to pH 5 ± 0.1' });
    await expect(adjusting.locator('.job-reading')).toHaveText(/^pH [5-7]\.\d\d → 5\.00$/);
    await adjusting.getByRole('button', { name: /^Cancel job/ }).click();
    await expect(adjusting).toHaveCount(0);

    await page.getByRole('button', { name: 'Run Acidify' }).click();
    await page.getByRole('button', { name: 'Confirm run' }).click();
    const recipe = page.getByRole('list', { name: 'Running jobs' }).getByRole('listitem').filter({ hasText: 'Recipe Acidify' });
    const step = recipe.getByRole('list', { name: 'Steps of Acidify' }).getByRole('listitem');
    await expect(step).toHaveAttribute('aria-current', 'step');
    await expect(step.locator('.step-reading')).toHaveText(/^pH [5-7]\.\d\d → 5\.00$/);
    await recipe.getByRole('button', { name: /^Cancel job/ }).click();
    await expect(recipe).toHaveCount(0);
  });
});
