/**
 * What the station can be asked to do over time: jobs, and the recipes that chain them. One
 * schema for every door (IPC, the LAN, schedules and recipes), so a job is checked the same way
 * wherever it comes from.
 */
import { z } from 'zod';
import { hasControlCharacters } from './plain-text';
import { resolvePlumbing } from './plumbing';
import type { Channel, Tank } from './station';

/**
 * Channel ids as the controller reports them (docs/protocol.md): short, printable, no spaces.
 * Every field that names a channel, in every door, is checked by this one rule.
 */
export const channelIdSchema = (what: string, example = 'nut_a') =>
  z
    .string({ error: `${what} must be a channel id string, such as "${example}"` })
    .regex(/^[A-Za-z0-9_-]{1,16}$/, { error: `${what} must be 1 to 16 letters, digits, "_" or "-"` });

/**
 * A recipe's name: one line of plain text, as it is shown in lists and written to the station's
 * log. (Schedules are read back through their schema, so one saved before this rule would stop
 * running; their names are cleaned where they are logged instead.)
 */
const recipeNameSchema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .min(1, { error: `${what} must not be empty` })
    .max(60, { error: `${what} must be at most 60 characters` })
    .refine((text) => !hasControlCharacters(text), {
      error: `${what} must be plain text on one line: no line breaks, tabs, control characters or text-direction marks`,
    });

/** Tank, recipe and schedule ids, chosen by the grower. */
export const nameIdSchema = (what: string) =>
  z
    .string({ error: `${what} must be an id string, such as "veg"` })
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: `${what} must be 1 to 32 letters, digits, "_" or "-"` });

/**
 * The smallest amount each job may ask for. Below these a run is too short to measure or to
 * mean anything (the controller reports volumes to 0.01 mL and times in whole milliseconds),
 * and a number such as 5e-324 would otherwise pass as "more than 0" and run as a 0 mL job that
 * the audit shows as done.
 */
export const MIN_AMOUNTS = {
  /** A peristaltic pump's drop is about 0.05 mL. */
  ml: 0.1,
  /** 10 mL of water; a flow meter counts a few pulses for it. */
  liters: 0.01,
  /** A relay switched on for less than a second mixes nothing. */
  seconds: 1,
} as const;

const UNIT_SYMBOL = { ml: 'mL', liters: 'L', seconds: 's' } as const;

const amount = (what: string, unit: keyof typeof MIN_AMOUNTS, words: string, max: number) =>
  z
    .number({ error: `${what} must be a number of ${words}` })
    .gt(0, { error: `${what} must be more than 0` })
    .min(MIN_AMOUNTS[unit], { error: `${what} must be at least ${MIN_AMOUNTS[unit]} ${UNIT_SYMBOL[unit]}` })
    .max(max, { error: `${what} must be at most ${max}` });

/**
 * The millilitres one dose asks for. The pump's own bound (its maxMl) is smaller and is checked
 * against the channel table (shared/dose.ts), with a message that names it.
 */
export const DOSE_ML_SCHEMA = amount('ml', 'ml', 'millilitres', 10_000);

const adjust = (kind: 'adjust-ph' | 'adjust-ec', range: { min: number; max: number; unit: string }) =>
  z.strictObject({
    kind: z.literal(kind),
    tankId: nameIdSchema('tankId'),
    target: z
      .number({ error: `target must be a number in ${range.unit}` })
      .min(range.min, { error: `target must be at least ${range.min} ${range.unit}` })
      .max(range.max, { error: `target must be at most ${range.max} ${range.unit}` }),
    /** How far from the target still counts as done, either way. */
    band: z
      .number({ error: `band must be a number in ${range.unit}` })
      .gt(0, { error: 'band must be more than 0' })
      .max((range.max - range.min) / 4, { error: `band must be at most ${(range.max - range.min) / 4} ${range.unit}` }),
  });

/** Every job kind except a recipe: what a recipe step may run. */
export const SIMPLE_JOB_SCHEMA = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('dose'), pumpId: channelIdSchema('pumpId'), ml: DOSE_ML_SCHEMA }),
    z.strictObject({ kind: z.literal('fill'), tankId: nameIdSchema('tankId'), liters: amount('liters', 'liters', 'litres', 100_000) }),
    /** Fills up to a level: the litres to add are worked out from the level probe when it runs. */
    z.strictObject({ kind: z.literal('fill-to'), tankId: nameIdSchema('tankId'), toLiters: amount('toLiters', 'liters', 'litres', 100_000) }),
    /** Lets `liters` out through the drain valve, never below the tank's floor. */
    z.strictObject({ kind: z.literal('drain'), tankId: nameIdSchema('tankId'), liters: amount('liters', 'liters', 'litres', 100_000) }),
    /** Drains down to a level, which may not be below the tank's floor. */
    z.strictObject({ kind: z.literal('drain-to'), tankId: nameIdSchema('tankId'), toLiters: amount('toLiters', 'liters', 'litres', 100_000) }),
    z.strictObject({ kind: z.literal('mix'), relayId: channelIdSchema('relayId', 'fill'), seconds: amount('seconds', 'seconds', 'seconds', 24 * 3600) }),
    adjust('adjust-ph', { min: 3, max: 9, unit: 'pH' }),
    adjust('adjust-ec', { min: 0.1, max: 5, unit: 'mS/cm' }),
  ],
  { error: 'kind must be one of dose, fill, fill-to, drain, drain-to, mix, adjust-ph, adjust-ec, recipe' },
);

export const JOB_SPEC_SCHEMA = z.discriminatedUnion(
  'kind',
  [...SIMPLE_JOB_SCHEMA.options, z.strictObject({ kind: z.literal('recipe'), recipeId: nameIdSchema('recipeId') })],
  { error: 'kind must be one of dose, fill, fill-to, drain, drain-to, mix, adjust-ph, adjust-ec, recipe' },
);

export type SimpleJobSpec = z.infer<typeof SIMPLE_JOB_SCHEMA>;

/**
 * Calibration runs are jobs too, so they hold their channels, show progress, stop with the
 * emergency stop and are audited; but they are started by the calibration commands, never by
 * `job.start`, a recipe or a schedule.
 * - calibrate-pump runs a pump for a number of seconds into a measuring cylinder;
 * - calibrate-flow opens a tank's fill valve until its meter has counted about `liters`.
 */
export const CALIBRATION_SECONDS_SCHEMA = amount('seconds', 'seconds', 'seconds', 300);
export const CALIBRATION_LITERS_SCHEMA = amount('liters', 'liters', 'litres', 100);

export const CALIBRATION_RUN_SCHEMA = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('calibrate-pump'), pumpId: channelIdSchema('pumpId'), seconds: CALIBRATION_SECONDS_SCHEMA }),
  z.strictObject({ kind: z.literal('calibrate-flow'), tankId: nameIdSchema('tankId'), liters: CALIBRATION_LITERS_SCHEMA }),
]);

export type CalibrationRun = z.infer<typeof CALIBRATION_RUN_SCHEMA>;

/**
 * A new calibration this many times larger or smaller than the one in use is refused unless the
 * grower confirms it. A slip of a digit (5 mL entered for 50) would make every dose run ten times
 * longer; the controller's bounds would still stop it, but not at the right amount. Screens
 * read it too, to ask for the confirmation before the station has to refuse.
 */
export const CALIBRATION_LARGE_CHANGE = 2;

/** How many times apart two calibration figures are, whichever is larger. */
export function calibrationFactor(previous: number, next: number): number {
  return Math.max(next / previous, previous / next);
}

/**
 * Whether saving `next` over `previous` needs the grower's confirmation. Against the built-in
 * default too: it was never measured, but a figure more than twice off it is likelier a slipped
 * digit than a real pump.
 */
export function needsCalibrationConfirmation(previous: number, next: number): boolean {
  return previous > 0 && next > 0 && calibrationFactor(previous, next) >= CALIBRATION_LARGE_CHANGE;
}
/** What a screen, a recipe or a schedule may start. */
export type StartableJobSpec = z.infer<typeof JOB_SPEC_SCHEMA>;
/** Everything the job engine runs. */
export type JobSpec = StartableJobSpec | CalibrationRun;
export type JobKind = JobSpec['kind'];

export const RECIPE_STEP_SCHEMA = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('job'), job: SIMPLE_JOB_SCHEMA }),
    z.strictObject({ kind: z.literal('wait'), seconds: amount('seconds', 'seconds', 'seconds', 24 * 3600) }),
    /** Waits until a sensor reads within [min, max], failing the recipe after the timeout. */
    z.strictObject({
      kind: z.literal('wait-in-band'),
      sensorId: channelIdSchema('sensorId', 'ph1'),
      min: z.number({ error: 'min must be a number' }),
      max: z.number({ error: 'max must be a number' }),
      timeoutSeconds: amount('timeoutSeconds', 'seconds', 'seconds', 24 * 3600),
    }),
    z.strictObject({ kind: z.literal('notify'), message: z.string({ error: 'message must be text' }).min(1).max(200) }),
    /** Drains the tank to its floor, then fills it to `toLiters`: fresh water without emptying the roots. */
    z.strictObject({ kind: z.literal('water-change'), tankId: nameIdSchema('tankId'), toLiters: amount('toLiters', 'liters', 'litres', 100_000) }),
  ],
  { error: 'a step kind must be one of job, wait, wait-in-band, notify, water-change' },
);

export type RecipeStep = z.infer<typeof RECIPE_STEP_SCHEMA>;

export const RECIPE_SCHEMA = z.strictObject({
  id: nameIdSchema('id'),
  name: recipeNameSchema('name'),
  steps: z.array(RECIPE_STEP_SCHEMA).min(1, { error: 'a recipe needs at least one step' }).max(50, { error: 'a recipe has at most 50 steps' }),
});

export type Recipe = z.infer<typeof RECIPE_SCHEMA>;

/** Who asked for something: the desktop, a LAN operator by screen name, or a schedule. */
export type Requester = string;

/** One dose as the audit keeps it: what was asked, what was delivered, for whom. */
export interface DoseAuditEntry {
  at: number;
  pumpId: string;
  requestedMl: number;
  deliveredMl: number;
  jobId: number | null;
  requestedBy: Requester;
  /** complete, stopped, cancelled, emergency stop, link lost, … */
  outcome: string;
}

/** A fill, logged when its water started; `filledL` is null until it ends (or if it never could say). */
export interface FillLogEntry {
  at: number;
  tankId: string;
  jobId: number | null;
  filledL: number | null;
}

/** Where a recipe doses one nutrient and then another too soon after it. */
export interface AbPauseShortfall {
  /** 0-based indexes of the two dose steps. */
  first: number;
  second: number;
  firstPumpId: string;
  secondPumpId: string;
  /** The waiting (waits and mixes) the recipe puts between them, in milliseconds. */
  pausedMs: number;
}

/**
 * Concentrates must never meet undiluted: after one nutrient pump doses, another may dose only
 * once the A/B pause has passed. Between two doses only the time the recipe is sure to take
 * counts (its waits and mixes); a fill or a wait for a reading may be over at once.
 */
export function abPauseShortfall(steps: readonly RecipeStep[], isNutrient: (pumpId: string) => boolean, abPauseMs: number): AbPauseShortfall | null {
  let last: { index: number; pumpId: string; sinceMs: number } | null = null;
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'wait') {
      if (last) last.sinceMs += step.seconds * 1000;
      continue;
    }
    if (step.kind !== 'job') continue;
    if (step.job.kind === 'mix') {
      if (last) last.sinceMs += step.job.seconds * 1000;
      continue;
    }
    if (step.job.kind !== 'dose' || !isNutrient(step.job.pumpId)) continue;
    if (last && last.pumpId !== step.job.pumpId && last.sinceMs < abPauseMs) {
      return { first: last.index, second: index, firstPumpId: last.pumpId, secondPumpId: step.job.pumpId, pausedMs: last.sinceMs };
    }
    last = { index, pumpId: step.job.pumpId, sinceMs: 0 };
  }
  return null;
}

/** The grower's words for a shortfall, naming the pumps by `nameOf`. */
export function abPauseWords(shortfall: AbPauseShortfall, abPauseMs: number, nameOf: (pumpId: string) => string): string {
  const paused = shortfall.pausedMs > 0 ? `only ${Math.round(shortfall.pausedMs / 1000)} s` : 'with no wait';
  return `step ${shortfall.second + 1} doses ${nameOf(shortfall.secondPumpId)} ${paused} after step ${shortfall.first + 1} dosed ${nameOf(shortfall.firstPumpId)}; nutrient concentrates must not meet undiluted, so wait at least ${Math.round(abPauseMs / 1000)} s between them (a wait step), or shorten the pause between nutrient A and B in Settings → Safety`;
}

/** The pumps the tanks' nutrients are dosed with, as the jobs resolve each tank's plumbing. */
export function nutrientPumpsOf(tanks: readonly Tank[], channels: readonly Channel[]): Set<string> {
  return new Set(tanks.flatMap((tank) => resolvePlumbing(tank, channels).nutrients));
}

/**
 * Why a recipe may not be saved or run because two nutrients would meet too soon, or null. The
 * station checks it at recipe.create, recipe.update and when the recipe starts; the recipe form
 * flags it as the grower types.
 */
export function abPauseRefusal(recipe: Pick<Recipe, 'name' | 'steps'>, state: { tanks: readonly Tank[]; channels: readonly Channel[]; limits: { loop: { abPauseMs: number } } }): string | null {
  const nutrients = nutrientPumpsOf(state.tanks, state.channels);
  const abPauseMs = state.limits.loop.abPauseMs;
  const shortfall = abPauseShortfall(recipe.steps, (pumpId) => nutrients.has(pumpId), abPauseMs);
  if (!shortfall) return null;
  const nameOf = (pumpId: string) => state.channels.find((c) => c.id === pumpId)?.name ?? pumpId;
  return `recipe ${recipe.name}: ${abPauseWords(shortfall, abPauseMs, nameOf)}`;
}

/** What a job delivered: millilitres dosed by each pump, and litres filled and drained. */
export interface JobDelivered {
  dosedMl: Record<string, number>;
  filledL: number;
  drainedL: number;
}
