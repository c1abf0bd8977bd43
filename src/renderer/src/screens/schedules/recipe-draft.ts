/**
 * A recipe as its editor holds it: an ordered list of step drafts, each with a key that stays
 * with it when it moves, so React keeps focus and typed text on the right row.
 */
import type { Recipe, RecipeStep } from '../../../../shared/jobs';
import { RECIPE_SCHEMA } from '../../../../shared/jobs';
import type { Channel } from '../../../../shared/station';
import { describeJob, waterChangeWords, type StationNames } from '../../components/job-words';
import { isSensor, sensorUnit } from '../../format';
import {
  checkJob,
  draftFromJob,
  emptyJobDraft,
  jobInput,
  litersFromTyped,
  numberFrom,
  typedFromLiters,
  type JobDefaults,
  type JobDraft,
  type JobFormContext,
} from '../../job-spec-form';
import type { UnitSystem } from '../../units';
import { idFromName, problemsOf, problemsWithin, type Problems } from './form-problems';

export type StepKind = RecipeStep['kind'];

export const STEP_KIND_LABELS: Record<StepKind, string> = {
  job: 'Run a job',
  wait: 'Wait',
  'wait-in-band': 'Wait for a reading',
  notify: 'Notify',
  'water-change': 'Change the water',
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

/**
 * How the grower types a sensor's band: in US units a temperature in °F and a level in gallons,
 * as the screens show those readings; the station compares in the sensor's own °C or L.
 */
export interface ReadingScale {
  /** The unit typed in; empty for a sensor the station does not report. */
  unit: string;
  toStation(typed: number): number;
  fromStation(value: number): string;
}

export function readingScale(sensor: Channel | undefined, units: UnitSystem): ReadingScale {
  const unit = sensor && isSensor(sensor) ? sensorUnit(sensor) : '';
  if (units === 'us' && unit === '°C') {
    // Kept to a hundredth of a degree, so a band loaded and saved unchanged comes back as it was.
    return { unit: '°F', toStation: (f) => Math.round((f - 32) * (500 / 9)) / 100, fromStation: (c) => String(+((c * 9) / 5 + 32).toFixed(2)) };
  }
  if (units === 'us' && unit === 'L') return { unit: 'gal', toStation: (gallons) => litersFromTyped(gallons, units), fromStation: (liters) => typedFromLiters(liters, units) };
  return { unit, toStation: (value) => value, fromStation: String };
}

function sensorScale(sensorId: string, { tables, units }: JobFormContext): ReadingScale {
  return readingScale(tables.channels.find((channel) => channel.id === sensorId), units);
}

export function stepInput(step: StepDraft, context: JobFormContext): Record<string, unknown> {
  switch (step.kind) {
    case 'job':
      return { kind: 'job', job: jobInput(step.job, context.units) };
    case 'wait':
      return { kind: 'wait', seconds: numberFrom(step.seconds) };
    case 'wait-in-band': {
      const scale = sensorScale(step.sensorId, context);
      const reading = (text: string) => {
        const typed = numberFrom(text);
        return typeof typed === 'number' ? scale.toStation(typed) : typed;
      };
      return { kind: 'wait-in-band', sensorId: step.sensorId, min: reading(step.min), max: reading(step.max), timeoutSeconds: numberFrom(step.timeoutSeconds) };
    }
    case 'notify':
      return { kind: 'notify', message: step.message.trim() };
    case 'water-change': {
      // The tank and the level live in the step's job draft, where a Fill job keeps them too.
      const typed = numberFrom(step.job.toLiters);
      return { kind: 'water-change', tankId: step.job.tankId, toLiters: typeof typed === 'number' ? litersFromTyped(typed, context.units) : typed };
    }
  }
}

export function draftFromRecipe(recipe: Recipe, defaults: StepDefaults, context: JobFormContext): RecipeDraft {
  return {
    id: recipe.id,
    name: recipe.name,
    steps: recipe.steps.map((step, index) => {
      const draft = newStep(step.kind, index + 1, defaults);
      switch (step.kind) {
        case 'job':
          return { ...draft, job: draftFromJob(step.job, defaults, context.units) };
        case 'wait':
          return { ...draft, seconds: String(step.seconds) };
        case 'wait-in-band': {
          const scale = sensorScale(step.sensorId, context);
          return { ...draft, sensorId: step.sensorId, min: scale.fromStation(step.min), max: scale.fromStation(step.max), timeoutSeconds: String(step.timeoutSeconds) };
        }
        case 'notify':
          return { ...draft, message: step.message };
        case 'water-change':
          return { ...draft, job: { ...draft.job, tankId: step.tankId, toLiters: typedFromLiters(step.toLiters, context.units) } };
      }
    }),
  };
}

export type RecipeCheck = { ok: true; recipe: Recipe; problems: Problems } | { ok: false; problems: Problems };

/** Each job step is checked as the Jobs screen checks a job, against the station's tables too. */
export function checkRecipe(draft: RecipeDraft, taken: ReadonlySet<string>, context: JobFormContext): RecipeCheck {
  const input = { id: draft.id || idFromName(draft.name, taken, 'recipe'), name: draft.name.trim(), steps: draft.steps.map((step) => stepInput(step, context)) };
  const parsed = RECIPE_SCHEMA.safeParse(input);
  let problems: Problems = parsed.success ? {} : problemsOf(parsed.error.issues);
  for (const [index, step] of draft.steps.entries()) {
    const job = step.kind === 'job' ? checkJob(step.job, context) : null;
    if (job && !job.ok) problems = problemsWithin(problems, `steps.${index}.job`, job.problems);
    // A water change ends with a fill to a level: the same tank and limits as that job.
    const refill = step.kind === 'water-change' ? checkJob({ ...step.job, kind: 'fill-to' }, context) : null;
    if (refill && !refill.ok) problems = problemsWithin(problems, `steps.${index}`, refill.problems);
  }
  if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems };
  // The schema cannot see that min and max are the right way round; the recipe would never finish.
  const backwards = parsed.data.steps.findIndex((step) => step.kind === 'wait-in-band' && step.min > step.max);
  if (backwards >= 0) return { ok: false, problems: { [`steps.${backwards}.max`]: 'The highest reading must be at least the lowest reading.' } };
  return { ok: true, recipe: parsed.data, problems: {} };
}

/** `channels` give a band its unit, in the grower's units as it was typed. */
export function describeStep(step: RecipeStep, names: StationNames, channels: readonly Channel[]): string {
  switch (step.kind) {
    case 'job':
      return describeJob(step.job, names);
    case 'wait':
      return `Wait ${step.seconds} s`;
    case 'wait-in-band': {
      const scale = readingScale(channels.find((channel) => channel.id === step.sensorId), names.units);
      const unit = scale.unit ? ` ${scale.unit}` : '';
      return `Wait until ${names.channel(step.sensorId)} reads ${scale.fromStation(step.min)}–${scale.fromStation(step.max)}${unit} (give up after ${step.timeoutSeconds} s)`;
    }
    case 'notify':
      return `Notify: ${step.message}`;
    case 'water-change':
      return waterChangeWords(step, names);
  }
}
