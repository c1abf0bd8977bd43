import { describe, expect, it } from 'vitest';
import type { Recipe, RecipeStep } from '../../../shared/jobs';
import { namesFrom } from './job-words';
import { recipeChecklist, recipeOf, recipeStepAt, recipeTimeLeft, stepDurationMs, timeLeftWords } from './recipe-progress';

const steps: RecipeStep[] = [
  { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 10 } },
  { kind: 'wait', seconds: 300 },
  { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 60 } },
  { kind: 'notify', message: 'fed' },
];
const recipe: Recipe = { id: 'feed', name: 'Feed', steps };
const names = namesFrom({
  channels: [
    { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
    { id: 'mixer', kind: 'relay', name: 'Mixer' },
  ],
  tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }],
  recipes: [recipe],
});
const pumps = { nut_a: { mlPerSecond: 2, source: 'measured' as const, at: 1 } };

describe('the step a recipe is in', () => {
  it('reads the step and how far into it from the recipe’s progress', () => {
    expect(recipeStepAt(0, 4)).toEqual({ index: 0, fraction: 0 });
    expect(recipeStepAt(0.375, 4)).toEqual({ index: 1, fraction: 0.5 });
    // On a boundary that floating point puts a hair below: the next step has begun.
    expect(recipeStepAt(3 / 7, 7).index).toBe(3);
    expect(recipeStepAt(1, 4)).toEqual({ index: 3, fraction: 1 });
  });
});

describe('a running recipe’s checklist', () => {
  it('marks the steps before as done, the one now as running and the rest as to do', () => {
    expect(recipeChecklist(steps, { state: 'running', progress: 0.4 }, names)).toEqual([
      { words: 'Dose 10 mL with Nutrient A', status: 'done' },
      { words: 'Wait 5 min', status: 'running' },
      { words: 'Run Mixer for 1 min', status: 'to do' },
      { words: 'Notify: fed', status: 'to do' },
    ]);
  });

  it('shows the step it stands in as paused while the job is paused', () => {
    expect(recipeChecklist(steps, { state: 'paused', progress: 0.5 }, names).map((step) => step.status)).toEqual(['done', 'done', 'paused', 'to do']);
  });
});

describe('a recipe’s time left', () => {
  it('times waits, mixes and doses by the pump’s calibration', () => {
    expect(stepDurationMs(steps[0]!, pumps)).toBe(5_000);
    expect(stepDurationMs(steps[0]!, {})).toBeNull();
    expect(stepDurationMs(steps[1]!, pumps)).toBe(300_000);
    expect(stepDurationMs({ kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 10 } }, pumps)).toBeNull();
  });

  it('adds what is left of the running step to every step after it', () => {
    // Half way through the wait: 150 s of it, then the 60 s mix.
    const left = recipeTimeLeft(steps, 0.375, pumps);
    expect(left).toEqual({ ms: 210_000, complete: true });
    expect(timeLeftWords(left)).toBe('about 4 min left');
  });

  it('says "at least" while a step it cannot time is still to come', () => {
    const withFill: RecipeStep[] = [...steps, { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 10 } }];
    const left = recipeTimeLeft(withFill, 0.2, pumps);
    expect(left.complete).toBe(false);
    // At the start of the wait: its 300 s and the 60 s mix, then a fill nobody can time.
    expect(timeLeftWords(left)).toBe('at least 6 min left');
    expect(timeLeftWords({ ms: 0, complete: false })).toBe('time left unknown');
  });
});

describe('the recipe a job runs', () => {
  it('is the saved recipe, unless it has been changed since the run began', () => {
    const spec = { kind: 'recipe' as const, recipeId: 'feed' };
    expect(recipeOf({ spec, detail: 'step 2 of 4: wait' }, [recipe])).toBe(recipe);
    expect(recipeOf({ spec, detail: 'step 2 of 5: wait' }, [recipe])).toBeNull();
    expect(recipeOf({ spec: { kind: 'dose', pumpId: 'nut_a', ml: 1 }, detail: '' }, [recipe])).toBeNull();
  });
});
