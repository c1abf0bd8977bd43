/**
 * Recipes through the command door, against the simulated station on a fake clock: what a grower
 * does from a screen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import { growerDoor, startSimStation, type GrowerDoor, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;
let door: GrowerDoor;

afterEach(async () => {
  await station?.close();
});

async function open(settings: Record<string, unknown> = {}): Promise<void> {
  station = await startSimStation(settings);
  door = growerDoor(station.core);
}

const send = (command: Record<string, unknown>): Promise<CommandAck> => door.send(command);
const ok = (command: Record<string, unknown>): Promise<Record<string, unknown>> => door.ok(command);

describe('recipes', () => {
  const feed = { id: 'feed', name: 'Feed', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 2 } }] };

  it('creates, updates and deletes recipes, refusing duplicates, unknown ids and recipes a schedule runs', async () => {
    await open();
    await ok({ type: 'recipe.create', recipe: feed });
    expect(station.core.state().recipes).toEqual([feed]);
    expect(await send({ type: 'recipe.create', recipe: feed })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/already a recipe "feed"; send recipe.update/) } });
    expect(await send({ type: 'recipe.update', recipe: { ...feed, id: 'other' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await ok({ type: 'recipe.update', recipe: { ...feed, name: 'Feed A' } });
    expect(station.core.state().recipes[0]?.name).toBe('Feed A');

    await ok({
      type: 'schedule.create',
      schedule: { id: 'nightly', name: 'Nightly feed', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '0 2 * * *', action: { kind: 'recipe', recipeId: 'feed' } } },
    });
    expect(await send({ type: 'recipe.delete', recipeId: 'feed' })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/schedule "Nightly feed" runs recipe "feed"/) } });
    await ok({ type: 'schedule.delete', scheduleId: 'nightly' });
    await ok({ type: 'recipe.delete', recipeId: 'feed' });
    expect(station.core.state().recipes).toEqual([]);
  });

  it('refuses an invalid recipe with the field and the reason', async () => {
    await open();
    expect(await send({ type: 'recipe.create', recipe: { ...feed, steps: [] } })).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'recipe.steps: a recipe needs at least one step' } });
  });
});

describe('the pause between nutrient A and B', () => {
  const dose = (pumpId: string, ml = 2) => ({ kind: 'job', job: { kind: 'dose', pumpId, ml } });
  const tooSoon = { id: 'feed', name: 'Feed', steps: [dose('nut_a'), { kind: 'wait', seconds: 10 }, dose('nut_b')] };

  it('refuses a recipe that doses B sooner after A than the pause, naming the pumps and the pause, and keeps nothing', async () => {
    await open();
    expect(await send({ type: 'recipe.create', recipe: tooSoon })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: 'recipe Feed: step 3 doses Nutrient B only 10 s after step 1 dosed Nutrient A; nutrient concentrates must not meet undiluted, so wait at least 30 s between them (a wait step), or shorten the pause between nutrient A and B in Settings → Safety' },
    });
    expect(station.core.state().recipes).toEqual([]);
    // A wait and a mix together make up the pause.
    const mixed = { ...tooSoon, steps: [dose('nut_a'), { kind: 'wait', seconds: 10 }, { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 20 } }, dose('nut_b')] };
    await ok({ type: 'recipe.create', recipe: mixed });
    expect(await send({ type: 'recipe.update', recipe: { ...mixed, steps: [dose('nut_b'), dose('nut_a')] } })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/step 2 doses Nutrient A with no wait after step 1 dosed Nutrient B/) } });
    expect(station.core.state().recipes).toEqual([mixed]);
  });

  it('refuses to run a saved recipe once the pause was made longer than its wait', async () => {
    await open({ safety: { loop: { abPauseMs: 60_000 } } });
    // Saved while the pause was 30 s.
    station.setup.recipes.put({ ...tooSoon, steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 2 } }, { kind: 'wait', seconds: 30 }, { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 2 } }] });
    expect(station.core.jobs.start({ kind: 'recipe', recipeId: 'feed' }, 'desktop')).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/^recipe Feed: step 3 doses Nutrient B only 30 s after step 1 dosed Nutrient A; .* at least 60 s/) } });
  });
});
