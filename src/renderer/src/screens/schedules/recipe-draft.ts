/**
 * A recipe as its editor holds it: an ordered list of step drafts, each with a key that stays
 * with it when it moves, so React keeps focus and typed text on the right row.
 */
import type { Recipe, RecipeStep } from '../../../../shared/jobs';
import { RECIPE_SCHEMA } from '../../../../shared/jobs';
import { idFromName, problemsOf, type Problems } from './form-problems';
import { describeJob, draftFromJob, emptyJobDraft, jobInput, numberFrom, type JobDefaults, type JobDraft, type NameOf } from './job-draft';

export type StepKind = RecipeStep['kind'];

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  job: 'Run a job',
  wait: 'Wait',
  'wait-in-band': 'Wait for a reading',
  notify: 'Notify',
};

export interface StepDraft {
  key: number;
  kind: StepKind;
  job: JobDraft;
  seconds: string;
  sensorId: string;
  min: string;
  max: string;
  timeoutSeconds: string;
  message: string;
}

export interface RecipeDraft {
  /** Empty until saved; then the id comes from the name. */
  id: string;
  name: string;
  steps: StepDraft[];
}

export interface StepDefaults extends JobDefaults {
  sensorId?: string;
}

export function newStep(kind: StepKind, key: number, defaults: StepDefaults = {}): StepDraft {
  return {
    key,
    kind,
    job: emptyJobDraft('dose', defaults),
    seconds: kind === 'wait' ? '60' : '',
    sensorId: defaults.sensorId ?? '',
    min: '',
    max: '',
    timeoutSeconds: '600',
    message: '',
  };
}

export function nextKey(steps: readonly StepDraft[]): number {
  return steps.reduce((max, step) => Math.max(max, step.key), 0) + 1;
}

export function addStep(steps: readonly StepDraft[], kind: StepKind, defaults: StepDefaults = {}): StepDraft[] {
  return [...steps, newStep(kind, nextKey(steps), defaults)];
}

export function removeStep(steps: readonly StepDraft[], index: number): StepDraft[] {
  return steps.filter((_, i) => i !== index);
}

/** Moves a step one place; a move past either end leaves the list as it was. */
export function moveStep(steps: readonly StepDraft[], index: number, by: -1 | 1): StepDraft[] {
  const to = index + by;
  if (index < 0 || index >= steps.length || to < 0 || to >= steps.length) return steps.slice();
  const moved = steps.slice();
  [moved[index], moved[to]] = [moved[to]!, moved[index]!];
  return moved;
}

export function replaceStep(steps: readonly StepDraft[], index: number, step: StepDraft): StepDraft[] {
  return steps.map((current, i) => (i === index ? step : current));
}

export function stepInput(step: StepDraft): Record<string, unknown> {
  switch (step.kind) {
    case 'job':
      return { kind: 'job', job: jobInput(step.job) };
    case 'wait':
      return { kind: 'wait', seconds: numberFrom(step.seconds) };
    case 'wait-in-band':
      return { kind: 'wait-in-band', sensorId: step.sensorId, min: numberFrom(step.min), max: numberFrom(step.max), timeoutSeconds: numberFrom(step.timeoutSeconds) };
    case 'notify':
      return { kind: 'notify', message: step.message.trim() };
  }
}

export function draftFromRecipe(recipe: Recipe, defaults: StepDefaults = {}): RecipeDraft {
  return {
    id: recipe.id,
    name: recipe.name,
    steps: recipe.steps.map((step, index) => {
      const draft = newStep(step.kind, index + 1, defaults);
      switch (step.kind) {
        case 'job':
          return { ...draft, job: draftFromJob(step.job, defaults) };
        case 'wait':
          return { ...draft, seconds: String(step.seconds) };
        case 'wait-in-band':
          return { ...draft, sensorId: step.sensorId, min: String(step.min), max: String(step.max), timeoutSeconds: String(step.timeoutSeconds) };
        case 'notify':
          return { ...draft, message: step.message };
      }
    }),
  };
}

export type RecipeCheck = { ok: true; recipe: Recipe; problems: Problems } | { ok: false; problems: Problems };

export function checkRecipe(draft: RecipeDraft, taken: ReadonlySet<string>): RecipeCheck {
  const input = { id: draft.id || idFromName(draft.name, taken, 'recipe'), name: draft.name.trim(), steps: draft.steps.map(stepInput) };
  const parsed = RECIPE_SCHEMA.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error.issues) };
  // The schema cannot see that min and max are the right way round; the recipe would never finish.
  const backwards = parsed.data.steps.findIndex((step) => step.kind === 'wait-in-band' && step.min > step.max);
  if (backwards >= 0) return { ok: false, problems: { [`steps.${backwards}.max`]: 'max must be at least min' } };
  return { ok: true, recipe: parsed.data, problems: {} };
}

export function describeStep(step: RecipeStep, nameOf: NameOf = (id) => id): string {
  switch (step.kind) {
    case 'job':
      return describeJob(step.job, nameOf);
    case 'wait':
      return `Wait ${step.seconds} s`;
    case 'wait-in-band':
      return `Wait until ${nameOf(step.sensorId)} reads ${step.min}–${step.max} (give up after ${step.timeoutSeconds} s)`;
    case 'notify':
      return `Notify: ${step.message}`;
  }
}
