/**
 * Where a running recipe stands: each step done, running or still to do, and how long the rest
 * should take. The station gives each step an equal share of a recipe's progress (step i of n
 * runs from i/n to (i+1)/n), so the step and how far into it are read from that one number.
 */
import type { Recipe, RecipeStep } from '../../../shared/jobs';
import type { Calibration, Job } from '../../../shared/station';
import { formatDuration, formatEta } from '../format';
import { describeRecipeStep, type StationNames } from './job-words';

export type StepStatus = 'done' | 'running' | 'paused' | 'to do';

export interface ChecklistStep {
  words: string;
  status: StepStatus;
}

/** Progress sits on a step's boundary as a fraction that may land a hair below it. */
const BOUNDARY = 1e-9;

/** The step a recipe's progress is in (0-based) and how far into it, 0 to 1. */
export function recipeStepAt(progress: number, stepCount: number): { index: number; fraction: number } {
  const at = Math.max(0, Math.min(1, progress)) * stepCount;
  const index = Math.max(0, Math.min(stepCount - 1, Math.floor(at + BOUNDARY)));
  return { index, fraction: Math.max(0, Math.min(1, at - index)) };
}

/** The recipe's steps in words, each marked as the running job has them. */
export function recipeChecklist(steps: readonly RecipeStep[], job: Pick<Job, 'state' | 'progress'>, names: StationNames): ChecklistStep[] {
  const { index } = recipeStepAt(job.progress, steps.length);
  const now: StepStatus = job.state === 'paused' ? 'paused' : 'running';
  return steps.map((step, at) => ({ words: describeRecipeStep(step, names), status: at < index ? 'done' : at === index ? now : 'to do' }));
}

/**
 * How long a step should take, or null when it cannot be told before it runs: a fill or drain
 * goes as fast as the water does, an adjustment or a wait for a reading as the tank answers.
 */
export function stepDurationMs(step: RecipeStep, pumps: Calibration['pumps']): number | null {
  switch (step.kind) {
    case 'wait':
      return step.seconds * 1000;
    case 'notify':
      return 0;
    case 'wait-in-band':
    case 'water-change':
      return null;
    case 'job': {
      const job = step.job;
      if (job.kind === 'mix') return job.seconds * 1000;
      if (job.kind === 'dose') {
        const rate = pumps[job.pumpId]?.mlPerSecond;
        return rate && rate > 0 ? (job.ml / rate) * 1000 : null;
      }
      return null;
    }
  }
}

export interface TimeLeft {
  ms: number;
  /** False when a step still to run cannot be timed: then `ms` is the least it will take. */
  complete: boolean;
}

/** What is left of the running step and every step after it. */
export function recipeTimeLeft(steps: readonly RecipeStep[], progress: number, pumps: Calibration['pumps']): TimeLeft {
  const { index, fraction } = recipeStepAt(progress, steps.length);
  let ms = 0;
  let complete = true;
  for (const [at, step] of steps.entries()) {
    if (at < index) continue;
    const duration = stepDurationMs(step, pumps);
    if (duration === null) complete = false;
    else ms += at === index ? duration * (1 - fraction) : duration;
  }
  return { ms, complete };
}

/** "about 6 min left", or "at least 6 min left" while an untimed step (a fill, an adjustment) is still to come. */
export function timeLeftWords(left: TimeLeft): string {
  if (left.complete) return formatEta(left.ms);
  return left.ms >= 1000 ? `at least ${formatDuration(left.ms)} left` : 'time left unknown';
}

/**
 * The recipe a job runs, as the station has it now. A recipe changed while it runs no longer
 * matches the run (the station runs the steps it read at the start), which the step count in
 * the job's detail ("step 2 of 5: …") shows; then there is no checklist rather than a wrong one.
 */
export function recipeOf(job: Pick<Job, 'spec' | 'detail'>, recipes: readonly Recipe[]): Recipe | null {
  if (job.spec.kind !== 'recipe') return null;
  const { recipeId } = job.spec;
  const recipe = recipes.find((saved) => saved.id === recipeId);
  if (!recipe) return null;
  const running = /^step \d+ of (\d+):/.exec(job.detail);
  return running && Number(running[1]) !== recipe.steps.length ? null : recipe;
}
