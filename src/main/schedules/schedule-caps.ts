/**
 * Whether a schedule's job could ever pass the safety caps, asked when the schedule is saved or
 * loaded rather than learnt from a refusal every morning. The answer comes from the job engine's
 * own check (planJob), run for each firing of the schedule's busiest day, so a schedule is refused
 * for exactly what would refuse its job, in the same words.
 */
import type { JobSpec } from '../../shared/jobs';
import { readCron, type CronTrigger, type Schedule } from '../../shared/schedules';
import type { StationState } from '../../shared/station';
import { planJob } from '../jobs/checks';
import type { JobSettings } from '../jobs/ports';

const DAY_MS = 24 * 3600_000;
/** A week and a day holds the busiest day of any weekly pattern. */
const LOOKAHEAD_MS = 8 * DAY_MS;
/** More than a day of runs every minute: enough to fill the 24 h window of any expression. */
const MOST_RUNS = 2_000;

/**
 * The station as favourable as it can be at run time: the level and circulation are whatever
 * they will be then, so a fill is held to the tank's capacity less headroom, and an adjustment to
 * its probes and pumps, never to this moment's readings.
 */
function mostFavourable(state: StationState): StationState {
  const relays: StationState['relays'] = {};
  for (const channel of state.channels) if (channel.kind === 'relay') relays[channel.id] = { on: true, why: 'state' };
  return { ...state, readings: {}, relays };
}

/** Millilitres one run delivers per pump, as the dose audit will count them. */
function dosesOf(job: JobSpec, settings: JobSettings): Map<string, number> {
  const doses = new Map<string, number>();
  const add = (pumpId: string, ml: number) => doses.set(pumpId, (doses.get(pumpId) ?? 0) + ml);
  if (job.kind === 'dose') add(job.pumpId, job.ml);
  if (job.kind === 'recipe') {
    for (const step of settings.recipe(job.recipeId)?.steps ?? []) {
      if (step.kind === 'job' && step.job.kind === 'dose') add(step.job.pumpId, step.job.ml);
    }
  }
  return doses;
}

/** A cron schedule's firings after `from` up to `until`, at most `most` of them, read as the runner reads them. */
function firingsWithin(trigger: CronTrigger, timezone: string, from: number, until: number, most: number): number[] {
  const cron = readCron(trigger.expression, timezone);
  const runs: number[] = [];
  for (let next = cron.nextRun(new Date(from)); next && next.getTime() <= until && runs.length < most; next = cron.nextRun(next)) runs.push(next.getTime());
  return runs;
}

/**
 * Why the schedule's job would be refused at some firing, as a sentence naming the cap and what to
 * change, or undefined when every firing can pass. Only this schedule's own doses count towards a
 * daily cap: manual doses and other schedules are unknown in advance and are checked at run time.
 */
export function scheduleCapProblem(schedule: Schedule, state: StationState, settings: JobSettings, now: number): string | undefined {
  const { trigger } = schedule;
  if (trigger.kind !== 'cron') return undefined;
  const job = trigger.action;
  const station = mostFavourable(state);
  const doses = dosesOf(job, settings);
  const runs = firingsWithin(trigger, schedule.timezone, now, now + LOOKAHEAD_MS, doses.size > 0 ? MOST_RUNS : 1);
  // A schedule that fires less than weekly is still held to the caps of a single run.
  if (runs.length === 0) runs.push(now);
  for (const [index, at] of runs.entries()) {
    const deliveredToday = (pumpId: string): number => {
      let count = 0;
      for (let earlier = index - 1; earlier >= 0 && runs[earlier]! > at - DAY_MS; earlier--) count++;
      return count * (doses.get(pumpId) ?? 0);
    };
    const plan = planJob(job, station, settings, deliveredToday, 'later');
    if (plan.ok) continue;
    if (index === 0) return `schedule "${schedule.name}" would be refused every time it runs: ${plan.message}`;
    const inDay = runs.slice(0, index + 1).filter((earlier) => earlier > at - DAY_MS).length;
    return `schedule "${schedule.name}" runs ${inDay} times in 24 h and run ${inDay} would be refused: ${plan.message}; run it less often or dose less each time, or raise the pump's maxMlPerDay under safety in the settings`;
  }
  return undefined;
}
