/**
 * A recipe's progress moves through its steps a share at a time, on the simulated station: a
 * wait says how far along it is as it goes, so a screen's time left counts down through it, and
 * an adjustment reports within its own step's share, so a screen's step checklist holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  const running = station as SimStation | undefined;
  station = undefined as unknown as SimStation;
  await running?.close();
});

describe('a recipe wait', () => {
  it('advances the recipe as it waits, a step share at a time', async () => {
    station = await startSimStation();
    station.setup.recipes.put({
      id: 'rest',
      name: 'Rest',
      steps: [
        { kind: 'notify', message: 'resting the roots' },
        { kind: 'wait', seconds: 100 },
      ],
    });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'rest' }, 'desktop'));
    await station.until(() => /step 2 of 2/.test(station.job(id)?.detail ?? ''), 10_000, 'the wait');
    expect(station.job(id)?.progress).toBeCloseTo(0.5, 2);

    await station.advance(50_000);
    // Half the wait gone: half of the second step's share of the recipe.
    expect(station.job(id)?.progress).toBeGreaterThan(0.7);
    expect(station.job(id)?.progress).toBeLessThan(0.8);
    expect(station.job(id)?.state).toBe('running');

    await station.until(() => station.job(id)?.state === 'succeeded', 60_000, 'the end of the wait');
    expect(station.job(id)?.progress).toBe(1);
  });

  it('keeps an adjustment that reports for itself within its step, and says which step it is', async () => {
    station = await startSimStation();
    station.setup.recipes.put({
      id: 'settle',
      name: 'Settle',
      steps: [
        { kind: 'wait', seconds: 1 },
        { kind: 'job', job: { kind: 'adjust-ph', tankId: 'main', target: 5.0, band: 0.1 } },
      ],
    });
    await station.core.setRelay('circulation', true);
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'settle' }, 'desktop'));
    await station.until(() => /^step 2 of 2: .+ \(step \d+: /.test(station.job(id)?.detail ?? ''), 60_000, 'the adjustment reporting its doses');
    const progress = station.job(id)!.progress;
    expect(progress).toBeGreaterThanOrEqual(0.5);
    expect(progress).toBeLessThan(1);
    station.core.jobs.cancel(id, 'desktop');
  });
});
