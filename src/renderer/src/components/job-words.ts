/**
 * Jobs in the grower's words: channel, tank and recipe names instead of ids, and the three
 * lists every job screen shows (what runs now, what waits, what ended).
 */
import { millilitres } from '../../../shared/amounts';
import type { JobSpec, Recipe, RecipeStep } from '../../../shared/jobs';
import { FINISHED_JOB_STATES, type Channel, type Job, type JobState, type Tank } from '../../../shared/station';
import { formatDuration } from '../format';
import { formatLiters, type UnitSystem } from '../units';

export interface StationNames {
  channel(id: string): string;
  tank(id: string): string;
  recipe(id: string): string;
  /** Metric or US, for volumes of water; doses stay in mL either way, as nutrient labels give them. */
  units: UnitSystem;
}

/** Names from the station's tables; an id nobody named (or that was removed) stays an id. */
export function namesFrom(
  station: { channels: readonly Channel[]; tanks: readonly Tank[]; recipes: readonly Recipe[] },
  units: UnitSystem = 'metric',
): StationNames {
  const channels = new Map(station.channels.map((channel) => [channel.id, channel.name]));
  const tanks = new Map(station.tanks.map((tank) => [tank.id, tank.name]));
  const recipes = new Map(station.recipes.map((recipe) => [recipe.id, recipe.name]));
  return {
    channel: (id) => channels.get(id) ?? id,
    tank: (id) => tanks.get(id) ?? id,
    recipe: (id) => recipes.get(id) ?? id,
    units,
  };
}

export function describeJob(spec: JobSpec, names: StationNames): string {
  switch (spec.kind) {
    case 'dose':
      return `Dose ${millilitres(spec.ml)} with ${names.channel(spec.pumpId)}`;
    case 'fill':
      return `Fill ${names.tank(spec.tankId)} with ${formatLiters(spec.liters, names.units)}`;
    case 'fill-to':
      return `Fill ${names.tank(spec.tankId)} to ${formatLiters(spec.toLiters, names.units)}`;
    case 'drain':
      return `Drain ${formatLiters(spec.liters, names.units)} from ${names.tank(spec.tankId)}, no lower than its floor`;
    case 'drain-to':
      return `Drain ${names.tank(spec.tankId)} to ${formatLiters(spec.toLiters, names.units)}`;
    case 'mix':
      return `Run ${names.channel(spec.relayId)} for ${formatDuration(spec.seconds * 1000)}`;
    case 'adjust-ph':
      return `Bring ${names.tank(spec.tankId)} to pH ${spec.target} ± ${spec.band}`;
    case 'adjust-ec':
      return `Bring ${names.tank(spec.tankId)} to EC ${spec.target} ± ${spec.band} mS/cm`;
    case 'recipe':
      return `Recipe ${names.recipe(spec.recipeId)}`;
    case 'calibrate-pump':
      return `Calibration run of ${names.channel(spec.pumpId)} for ${spec.seconds} s`;
    case 'calibrate-flow':
      return `Calibration fill of ${names.tank(spec.tankId)} with about ${formatLiters(spec.liters, names.units)}`;
  }
}

/** "Job 12: Dose 5 mL with Nutrient A": how a job is named wherever a control acts on it. */
export function jobTitle(job: Pick<Job, 'id' | 'spec'>, names: StationNames): string {
  return `Job ${job.id}: ${describeJob(job.spec, names)}`;
}

export const JOB_STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export interface JobLists {
  /** Running or paused: each holds its channels now. Oldest first. */
  active: Job[];
  /** Waiting for their tank or channels, in the order they were asked for. */
  queued: Job[];
  /** Ended, newest first. */
  finished: Job[];
}

export function sortJobs(jobs: readonly Job[]): JobLists {
  const active = jobs.filter((job) => job.state === 'running' || job.state === 'paused');
  const queued = jobs.filter((job) => job.state === 'queued');
  const finished = jobs.filter((job) => FINISHED_JOB_STATES.includes(job.state));
  active.sort((a, b) => (a.startedAt ?? a.createdAt) - (b.startedAt ?? b.createdAt) || a.id - b.id);
  queued.sort((a, b) => a.id - b.id);
  finished.sort((a, b) => (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt) || b.id - a.id);
  return { active, queued, finished };
}

/** One step of a recipe, as the recipe list reads it out before a run. */
export function describeRecipeStep(step: RecipeStep, names: StationNames): string {
  switch (step.kind) {
    case 'job':
      return describeJob(step.job, names);
    case 'wait':
      return `Wait ${formatDuration(step.seconds * 1000)}`;
    case 'wait-in-band':
      return `Wait until ${names.channel(step.sensorId)} is between ${step.min} and ${step.max} (at most ${formatDuration(step.timeoutSeconds * 1000)})`;
    case 'notify':
      return `Notify: ${step.message}`;
    case 'water-change':
      return waterChangeWords(step, names);
  }
}

/** A water change in words; the floor is the tank's own, so it is named wherever it is known. */
export function waterChangeWords(step: Extract<RecipeStep, { kind: 'water-change' }>, names: StationNames): string {
  return `Change the water in ${names.tank(step.tankId)}: drain to its floor, then fill to ${formatLiters(step.toLiters, names.units)}`;
}

/** A recipe's steps as one sentence: "Dose 20 mL with Nutrient A, then wait 5 min, then …". */
export function recipeSummary(steps: readonly RecipeStep[], names: StationNames): string {
  const said = steps.map((step, index) => {
    const words = describeRecipeStep(step, names);
    return index === 0 ? words : words.charAt(0).toLowerCase() + words.slice(1);
  });
  return `${said.join(', then ')}.`;
}

/**
 * Where an adjustment stands: "pH 6.42 → 5.80" from the tank's probe to the target, so the
 * grower sees it closing in. Nothing when it is not an adjustment or the probe has no reading.
 */
export function adjustmentProgress(spec: JobSpec, tanks: readonly Tank[], readings: Readonly<Record<string, { value: number }>>): string | null {
  if (spec.kind !== 'adjust-ph' && spec.kind !== 'adjust-ec') return null;
  const roles = tanks.find((tank) => tank.id === spec.tankId)?.roles;
  const probe = spec.kind === 'adjust-ph' ? roles?.phSensor : roles?.ecSensor;
  const reading = probe === undefined ? undefined : readings[probe]?.value;
  if (reading === undefined || !Number.isFinite(reading)) return null;
  return spec.kind === 'adjust-ph' ? `pH ${reading.toFixed(2)} → ${spec.target.toFixed(2)}` : `EC ${reading.toFixed(2)} → ${spec.target.toFixed(2)} mS/cm`;
}
