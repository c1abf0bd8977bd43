/**
 * What the station did, drawn on the charts: a dose, a fill and an emergency stop are the
 * moments that explain a step in a reading. Doses and fills come from the job history, each on
 * the charts of its own tank; an emergency stop concerns every chart. The station's records of
 * the chart's window (`/api/marks`) hold them all; the live state adds what happened since.
 */
import { limitsOf, resolveLimits, type ReadingAlarmSettings } from '../../../../shared/reading-alarms';
import type { JobKind, Recipe } from '../../../../shared/jobs';
import { millilitres } from '../../../../shared/amounts';
import { ESTOP_ALERT, type RecipeDose, type RecipeFill } from '../../../../shared/records';
import type { Alert, Channel, Job, Tank } from '../../../../shared/station';
import { describeJob, type StationNames } from '../../components/job-words';
import { formatLiters } from '../../units';
import type { ChartSpan, TargetBand } from './chart-data';

export type MarkKind = 'dose' | 'fill' | 'estop';

export interface ChartMark {
  at: number;
  kind: MarkKind;
  label: string;
}

/** A job as the records answer it (no time left) or as the live state holds it. */
export type MarkedJob = Pick<Job, 'id' | 'spec' | 'tankId' | 'startedAt'>;

type Recipes = readonly Pick<Recipe, 'id' | 'steps'>[];

/** A dose a recipe made, as the station's records answer it. */
export type MarkedDose = RecipeDose;

/** A fill a recipe made, as the station's records answer it. */
export type MarkedFill = RecipeFill;

const JOB_MARKS: Partial<Record<JobKind, Exclude<MarkKind, 'estop'>>> = {
  dose: 'dose',
  'adjust-ph': 'dose',
  'adjust-ec': 'dose',
  fill: 'fill',
  'fill-to': 'fill',
  'calibrate-flow': 'fill',
};

/**
 * How a job is marked, if at all. A recipe is marked as a dose when a step of it doses, else as
 * a fill when one fills; a recipe that only mixes and waits adds nothing to a reading.
 */
function markOf(spec: MarkedJob['spec'], recipes: Recipes): Exclude<MarkKind, 'estop'> | null {
  if (spec.kind !== 'recipe') return JOB_MARKS[spec.kind] ?? null;
  const steps = recipes.find((recipe) => recipe.id === spec.recipeId)?.steps ?? [];
  const kinds = steps.map((step) => (step.kind === 'job' ? JOB_MARKS[step.job.kind] : step.kind === 'water-change' ? 'fill' : undefined));
  return kinds.includes('dose') ? 'dose' : kinds.includes('fill') ? 'fill' : null;
}

/** What a recipe made, as recorded: its doses and its fills. */
interface RecipeRecords {
  doses: readonly MarkedDose[];
  fills: readonly MarkedFill[];
}

/**
 * A recipe's marks: each dose and fill it made as recorded, and its start while a fill of it is
 * not recorded (yet) or it recorded nothing at all.
 */
function recipeMarks(recipeId: string, jobId: number, startedAt: number, kind: Exclude<MarkKind, 'estop'>, recipes: Recipes, made: RecipeRecords, names: StationNames): ChartMark[] {
  const recipe = names.recipe(recipeId);
  // The same dose or fill from a second answer is marked once.
  const marks = new Map<string, ChartMark>();
  for (const dose of made.doses) {
    if (dose.jobId !== jobId) continue;
    marks.set(`dose:${dose.at}:${dose.pumpId}`, { at: dose.at, kind: 'dose', label: `Recipe ${recipe}: ${millilitres(dose.deliveredMl)} of ${names.channel(dose.pumpId)}` });
  }
  for (const fill of made.fills) {
    if (fill.jobId !== jobId) continue;
    const what = fill.filledL === null ? `filling ${names.tank(fill.tankId)}` : `${formatLiters(fill.filledL, names.units)} into ${names.tank(fill.tankId)}`;
    marks.set(`fill:${fill.at}:${fill.tankId}`, { at: fill.at, kind: 'fill', label: `Recipe ${recipe}: ${what}` });
  }
  const marked = [...marks.values()];
  const fillsRecorded = marked.some((mark) => mark.kind === 'fill');
  const fills = (recipes.find((candidate) => candidate.id === recipeId)?.steps ?? []).some((step) => step.kind === 'water-change' || (step.kind === 'job' && JOB_MARKS[step.job.kind] === 'fill'));
  if (marked.length === 0) marked.push({ at: startedAt, kind, label: `Recipe ${recipe}` });
  else if (fills && !fillsRecorded) marked.push({ at: startedAt, kind: 'fill', label: `Recipe ${recipe} started; it fills the tank` });
  return marked;
}

/** A moment the emergency stop latched. */
export interface Stop {
  at: number;
}

/**
 * The stops the live alerts tell of. Repeats fold into one alert: its first and its latest
 * latch are what it still tells.
 */
export function stopsOf(alerts: readonly Pick<Alert, 'code' | 'at' | 'lastAt'>[]): Stop[] {
  return alerts.filter((alert) => alert.code === ESTOP_ALERT).flatMap((alert) => [...new Set([alert.at, alert.lastAt ?? alert.at])].map((at) => ({ at })));
}

/** The tanks a channel belongs to; a job of another tank is not this chart's. */
function tanksOf(channelId: string, tanks: readonly Pick<Tank, 'id' | 'channelIds'>[]): Set<string> {
  return new Set(tanks.filter((tank) => tank.channelIds.includes(channelId)).map((tank) => tank.id));
}

/**
 * The marks on one channel's chart within its span, oldest first: each dose and fill when it
 * started, and each emergency stop when it latched. A job of another tank is left off; a job
 * with no tank, or a channel that belongs to none, shows them all rather than hide one. A job or
 * a stop both the records and the live state hold is marked once.
 *
 * A recipe doses nutrient A, mixes, waits and doses B minutes later: each of its recorded doses
 * and fills is marked when it started, under the recipe's name, so a step in EC or in the level
 * lines up with what made it. A recipe that recorded nothing yet, or one whose fill is still to
 * come, is also marked at its start, as a plain job is.
 */
export function chartMarks(
  channelId: string,
  jobs: readonly MarkedJob[],
  stops: readonly Stop[],
  tanks: readonly Pick<Tank, 'id' | 'channelIds'>[],
  names: StationNames,
  span: ChartSpan,
  recipes: Recipes = [],
  made: RecipeRecords = { doses: [], fills: [] },
): ChartMark[] {
  const inSpan = (at: number) => at >= span.from && at <= span.to;
  const ownTanks = tanksOf(channelId, tanks);
  const marks: ChartMark[] = [];
  const seen = new Set<number>();
  for (const job of jobs) {
    const kind = markOf(job.spec, recipes);
    if (!kind || job.startedAt === null || seen.has(job.id)) continue;
    if (job.tankId !== null && ownTanks.size > 0 && !ownTanks.has(job.tankId)) continue;
    seen.add(job.id);
    if (job.spec.kind === 'recipe') {
      marks.push(...recipeMarks(job.spec.recipeId, job.id, job.startedAt, kind, recipes, made, names).filter((mark) => inSpan(mark.at)));
      continue;
    }
    if (inSpan(job.startedAt)) marks.push({ at: job.startedAt, kind, label: describeJob(job.spec, names) });
  }
  const latched = new Set<number>();
  for (const { at } of stops) {
    if (!inSpan(at) || latched.has(at)) continue;
    latched.add(at);
    marks.push({ at, kind: 'estop', label: 'Emergency stop' });
  }
  return marks.sort((a, b) => a.at - b.at);
}

/** The mark nearest `at` within `withinMs`, so a pointer need not land on a one-pixel line. */
export function nearestMark(marks: readonly ChartMark[], at: number, withinMs: number): ChartMark | null {
  let best: ChartMark | null = null;
  for (const mark of marks) {
    const distance = Math.abs(mark.at - at);
    if (distance <= withinMs && (!best || distance < Math.abs(best.at - at))) best = mark;
  }
  return best;
}

const ADJUSTED_BY = { ph: 'adjust-ph', ec: 'adjust-ec' } as const;

/**
 * The band a reading should stay in, in the chart's units. For pH and EC, what the latest
 * adjustment of the chart's tank in the span aimed for (its target ± band), on its own or as a
 * recipe's step: a grower who set a loop to 5.8 ± 0.2 reads the chart against that, not against
 * the wider alarm limits. Otherwise
 * the reading alarm's warning limits (a critical one where no warning is set); a level in
 * percent of its tank's capacity is turned into litres first, as the probe reads. Null for a
 * flow meter or a sensor nobody set limits for.
 */
export function targetBand(
  channel: Channel,
  settings: ReadingAlarmSettings | undefined,
  tanks: readonly Tank[],
  convert: (value: number) => number,
  jobs: readonly MarkedJob[] = [],
  span: ChartSpan | null = null,
  recipes: Recipes = [],
): TargetBand | null {
  const adjusted = span ? adjustmentBand(channel, tanks, convert, jobs, span, recipes) : null;
  if (adjusted) return adjusted;
  const limits = settings ? limitsOf(settings, channel) : null;
  if (!limits) return null;
  const tank = tanks.find((candidate) => candidate.channelIds.includes(channel.id));
  // Percent of nothing: a level probe in no tank has no capacity to place its band by.
  if (limits.percentOfCapacity && channel.unit !== '%' && !tank) return null;
  const resolved = resolveLimits(limits, channel, tank);
  const low = resolved.warningLow ?? resolved.criticalLow;
  const high = resolved.warningHigh ?? resolved.criticalHigh;
  if (low === null && high === null) return null;
  return { low: low === null ? null : convert(low), high: high === null ? null : convert(high) };
}

function adjustmentBand(channel: Channel, tanks: readonly Tank[], convert: (value: number) => number, jobs: readonly MarkedJob[], span: ChartSpan, recipes: Recipes): TargetBand | null {
  if (channel.kind !== 'ph' && channel.kind !== 'ec') return null;
  const kind = ADJUSTED_BY[channel.kind];
  const ownTanks = tanksOf(channel.id, tanks);
  let latest: { at: number; target: number; band: number } | null = null;
  for (const { spec, startedAt } of jobs) {
    if (startedAt === null || startedAt < span.from || startedAt > span.to || (latest && startedAt <= latest.at)) continue;
    // A recipe's adjustment runs after the steps before it; its last one is where the recipe left the tank.
    const steps = spec.kind === 'recipe' ? (recipes.find((recipe) => recipe.id === spec.recipeId)?.steps ?? []).flatMap((step) => (step.kind === 'job' ? [step.job] : [])) : [spec];
    const adjustment = steps.findLast((step) => step.kind === kind && (ownTanks.size === 0 || ownTanks.has(step.tankId)));
    if (adjustment?.kind === kind) latest = { at: startedAt, target: adjustment.target, band: adjustment.band };
  }
  if (!latest) return null;
  const low = convert(latest.target - latest.band);
  const high = convert(latest.target + latest.band);
  return { low, high, adjust: { reading: channel.kind === 'ph' ? 'pH' : 'EC', target: convert(latest.target), band: (high - low) / 2 } };
}

const TALLY_WORDS: Record<MarkKind, [string, string]> = { dose: ['dose', 'doses'], fill: ['fill', 'fills'], estop: ['emergency stop', 'emergency stops'] };

/** "2 doses, 1 fill, 1 emergency stop": the marks on a chart counted. */
export function markTally(marks: readonly ChartMark[]): string {
  return (['dose', 'fill', 'estop'] as const)
    .map((kind) => [kind, marks.filter((mark) => mark.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${TALLY_WORDS[kind][count === 1 ? 0 : 1]}`)
    .join(', ');
}
