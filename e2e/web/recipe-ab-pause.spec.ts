/**
 * Nutrient A and B must not meet undiluted: a recipe that doses B sooner after A than the pause
 * set in Settings → Safety is flagged in its form as the grower types, cannot be saved from it,
 * and is refused by the station when sent anyway. Real Chromium, headless Tendril, the simulator.
 */
import { expect, test } from './station-fixture';

const TOO_SOON = 'Step 3 doses Nutrient B only 10 s after step 1 dosed Nutrient A; nutrient concentrates must not meet undiluted, so wait at least 30 s between them (a wait step), or shorten the pause between nutrient A and B in Settings → Safety';

test('a recipe with less than the A/B pause is flagged as it is typed, and the station refuses it', async ({ page, ownStation: station }) => {
  const command = async (body: object) => {
    const answer = await fetch(`${station.url}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${station.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await answer.json()) as { ok: boolean; error?: { code: string; message: string } };
  };
  const steps = (seconds: number) => [
    { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 2 } },
    { kind: 'wait', seconds },
    { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 2 } },
  ];
  expect(await command({ id: 'ab-1', type: 'recipe.create', recipe: { id: 'ab-feed', name: 'AB feed', steps: steps(60) } })).toMatchObject({ ok: true });

  await page.goto(station.operatorUrl);
  await expect(page.getByRole('status', { name: 'Controller link' })).toContainText('ready');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Schedules' }).click();
  await page.getByRole('button', { name: 'Edit recipe AB feed' }).click();
  const form = page.getByRole('form', { name: 'Recipe AB feed' });
  await expect(form.getByText(/must not meet undiluted/)).toHaveCount(0);
  await form.getByLabel('Step 2 wait (s)').fill('10');
  await expect(form.getByText(TOO_SOON)).toBeVisible();
  await form.getByRole('button', { name: 'Save recipe' }).click();
  // Not sent: the station still holds the 60 s wait.
  await expect(form).toBeVisible();
  await form.getByLabel('Step 2 wait (s)').fill('30');
  await expect(form.getByText(/must not meet undiluted/)).toHaveCount(0);

  // Sent anyway, as another client could: refused, naming the pumps and the pause, and nothing kept.
  const refused = await command({ id: 'ab-2', type: 'recipe.update', recipe: { id: 'ab-feed', name: 'AB feed', steps: steps(10) } });
  expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('step 3 doses Nutrient B only 10 s after step 1 dosed Nutrient A') } });
  expect(refused.error!.message).not.toMatch(/nut_a|nut_b|abPauseMs/);
});
