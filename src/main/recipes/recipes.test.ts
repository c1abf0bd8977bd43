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
