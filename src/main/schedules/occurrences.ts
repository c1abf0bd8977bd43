/**
 * When a schedule fires, as pure functions of the schedule and the time: the preview, the light
 * state, and what to make up after downtime. Whether a schedule is enabled is the runner's
 * business; a grower may preview a schedule before switching it on.
 */
import type { JobSpec } from '../../shared/jobs';
import { readCron, type Schedule, type SchedulePreviewEntry } from '../../shared/schedules';
import { lightSwitches } from './light-timer';

export type ScheduledRun = { at: Date; kind: 'job'; job: JobSpec } | { at: Date; kind: 'light'; relayId: string; on: boolean };

/** The next `count` firings strictly after `from`: queued jobs, or light switches with their state. */
export function nextRuns(schedule: Schedule, from: Date, count: number): ScheduledRun[] {
  if (count <= 0) return [];
  const { trigger } = schedule;
  if (trigger.kind === 'light') {
    return lightSwitches({ timezone: schedule.timezone, trigger }, from, count).map(({ at, on }) => ({ at, kind: 'light', relayId: trigger.relayId, on }));
  }
  const { expression, action } = trigger;
  return readCron(expression, schedule.timezone)
    .nextRuns(count, from)
    .map((at) => ({ at, kind: 'job', job: action }));
}

/** The answer to `schedule.preview`. */
export function previewRuns(schedule: Schedule, from: Date, count: number): SchedulePreviewEntry[] {
  return nextRuns(schedule, from, count).map((run) =>
    run.kind === 'light' ? { at: run.at.getTime(), kind: 'light', on: run.on } : { at: run.at.getTime(), kind: 'job' },
  );
}

/** The most recent time a cron schedule was due, at or before `at`; null for light timers. */
export function latestDue(schedule: Schedule, at: Date): Date | null {
  if (schedule.trigger.kind !== 'cron') return null;
  // croner counts a run exactly at the reference as not yet past; one millisecond later it is.
  const [latest] = readCron(schedule.trigger.expression, schedule.timezone).previousRuns(1, new Date(at.getTime() + 1));
  return latest ?? null;
}

/**
 * What to run now for the occurrences that fell after `lastRunAt` while nothing was watching.
 * - skip: nothing.
 * - run-once-within-grace: the most recent missed occurrence, once, if it is no older than the
 *   grace period; older ones, and every one before it, are dropped. Making up several at once
 *   would stack doses the grower spaced apart.
 * A schedule that has never run (null) has nothing to make up. Light timers never miss a run:
 * the runner sets the relay to the state it should have now.
 */
export function missedRuns(schedule: Schedule, lastRunAt: Date | null, now: Date): ScheduledRun[] {
  if (schedule.trigger.kind !== 'cron' || schedule.missedRun.policy === 'skip' || lastRunAt === null) return [];
  const latest = latestDue(schedule, now);
  if (!latest || latest.getTime() <= lastRunAt.getTime()) return [];
  if (now.getTime() - latest.getTime() > schedule.missedRun.graceMinutes * 60_000) return [];
  return [{ at: latest, kind: 'job', job: schedule.trigger.action }];
}
