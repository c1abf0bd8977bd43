/**
 * Light timers: a relay on from one wall-clock time until another, every day, in the schedule's
 * zone. A window that starts at 18:00 and ends at 06:00 belongs to the day it starts on.
 *
 * On a DST day a window is an hour longer or shorter in real time, because the plants' day follows
 * the clock on the wall (and the sun) rather than a stopwatch. See instantOf for times the clock
 * skips or shows twice.
 */
import type { LightTrigger, Schedule } from '../../shared/schedules';
import { addDays, instantOf, parseClockTime, wallTimeAt, type CivilDate } from './wall-clock';

export type LightSchedule = Pick<Schedule, 'timezone'> & { trigger: LightTrigger };

export function isLightSchedule<T extends Pick<Schedule, 'timezone' | 'trigger'>>(schedule: T): schedule is T & { trigger: LightTrigger } {
  return schedule.trigger.kind === 'light';
}

/** When the relay should be on: from `start` (included) until `end` (not included). */
interface LightWindow {
  start: number;
  end: number;
}

function windowStartingOn(schedule: LightSchedule, date: CivilDate): LightWindow {
  const { on, off } = schedule.trigger;
  const endDate = off > on ? date : addDays(date, 1);
  return {
    start: instantOf(schedule.timezone, { ...date, ...parseClockTime(on) }),
    end: instantOf(schedule.timezone, { ...endDate, ...parseClockTime(off) }),
  };
}

/**
 * The windows of consecutive days starting on `first`, as the relay sees them: a window whose
 * times both fall in a spring-forward gap is empty and dropped, and a window that ends where the
 * next begins (both in the gap) is joined to it, so the light is not switched off and on again
 * in the same instant.
 */
function* windowsFrom(schedule: LightSchedule, first: CivilDate): Generator<LightWindow> {
  let pending: LightWindow | undefined;
  for (let date = first; ; date = addDays(date, 1)) {
    const window = windowStartingOn(schedule, date);
    if (window.start >= window.end) continue;
    if (pending && pending.end >= window.start) {
      pending = { start: pending.start, end: window.end };
      continue;
    }
    if (pending) yield pending;
    pending = window;
  }
}

function civilDateAt(zone: string, at: number): CivilDate {
  const { year, month, day } = wallTimeAt(zone, at);
  return { year, month, day };
}

/**
 * The state the relay should be in at `at`, and since when. Used to switch the light after
 * downtime or after the controller restarted with every output off.
 */
export function lightStateAt(schedule: LightSchedule, at: Date): { on: boolean; since: Date } {
  const instant = at.getTime();
  // A window that is on at `at` started today or yesterday; two days back also holds the most
  // recent switch-off when yesterday's window was empty.
  let lastEnd = -Infinity;
  for (const window of windowsFrom(schedule, addDays(civilDateAt(schedule.timezone, instant), -2))) {
    if (window.start > instant) break;
    if (instant < window.end) return { on: true, since: new Date(window.start) };
    lastEnd = window.end;
  }
  return { on: false, since: new Date(lastEnd) };
}

export function lightShouldBeOn(schedule: LightSchedule, at: Date): boolean {
  return lightStateAt(schedule, at).on;
}

/** The next `count` switches strictly after `from`, in order. */
export function lightSwitches(schedule: LightSchedule, from: Date, count: number): { at: Date; on: boolean }[] {
  const instant = from.getTime();
  const switches: { at: Date; on: boolean }[] = [];
  if (count <= 0) return switches;
  for (const window of windowsFrom(schedule, addDays(civilDateAt(schedule.timezone, instant), -1))) {
    for (const edge of [
      { at: window.start, on: true },
      { at: window.end, on: false },
    ]) {
      if (edge.at <= instant) continue;
      switches.push({ at: new Date(edge.at), on: edge.on });
      if (switches.length === count) return switches;
    }
  }
  return switches;
}
