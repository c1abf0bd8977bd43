/**
 * Runs schedules against a clock: one timer for the earliest next firing across every enabled
 * schedule, and callbacks for what firing means. The timing rules live in occurrences.ts and
 * light-timer.ts; this file only decides when to look and what it already did.
 */
import type { JobSpec } from '../../shared/jobs';
import type { LightTrigger, Schedule } from '../../shared/schedules';
import { isLightSchedule, lightStateAt } from './light-timer';
import { latestDue, missedRuns, nextRuns } from './occurrences';

export interface ScheduleClock {
  now(): number;
  /**
   * Calls `fire` once, when the wall clock reaches `at` or thereabouts: the runner reads the
   * clock again when it fires, so a timer that comes early or late is harmless.
   */
  setTimer(at: number, fire: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: ScheduleClock = {
  now: () => Date.now(),
  setTimer: (at, fire) => setTimeout(fire, Math.max(0, at - Date.now())),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ScheduleRunnerOptions {
  clock: ScheduleClock;
  schedules: readonly Schedule[];
  /** The instant stored by the last markRun for this schedule, or null if there is none. */
  lastRunAt(scheduleId: string): number | null;
  enqueue(schedule: Schedule, job: JobSpec, occurrence: number): void | Promise<unknown>;
  setLight(schedule: Schedule, relayId: string, on: boolean, occurrence: number): void | Promise<unknown>;
  /**
   * Store `at` as the schedule's lastRunAt. It means "occurrences up to here are dealt with":
   * called with the occurrence each time one fires, and with the current time when a schedule
   * that has run is changed or switched on, so runs that fell before that are never made up.
   */
  markRun(scheduleId: string, at: number): void;
  log?: (line: string) => void;
}

/**
 * A Raspberry Pi has no battery-backed clock: it boots with the time it last saved, and NTP moves
 * the clock on minutes or hours later. A timer waits a duration, not until a time, so after such
 * a jump it would fire that much late. Waking at least this often bounds how late the runner notices.
 */
const LONGEST_SLEEP_MS = 60_000;

/**
 * A timer this late still fires its occurrence. Later than that the process or the machine was
 * stalled or asleep, and the schedule's missed-run policy decides, exactly as after downtime.
 */
const ON_TIME_MS = 60_000;

type LightTimerSchedule = Schedule & { trigger: LightTrigger };

interface Due {
  schedule: Schedule;
  at: number;
  act: () => void | Promise<unknown>;
}

export class ScheduleRunner {
  private readonly schedules = new Map<string, Schedule>();
  /**
   * Per schedule, the instant up to which its occurrences are dealt with. It only moves forward,
   * so when the clock is set back, nothing already fired fires again.
   */
  private readonly settled = new Map<string, number>();
  /**
   * Per schedule, its first occurrence strictly after `from`. The runner wakes every minute, and
   * this lets it see in a lookup that nothing is due rather than asking croner or Intl again.
   */
  private readonly upcoming = new Map<string, { schedule: Schedule; from: number; at: number }>();
  private timer: { handle: unknown } | null = null;
  private started = false;

  constructor(private readonly options: ScheduleRunnerOptions) {
    for (const schedule of options.schedules) this.schedules.set(schedule.id, schedule);
  }

  /**
   * Applies each schedule's missed-run policy to the time since its lastRunAt, sets every light to
   * the state it should have now, and starts the clock.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.options.clock.now();
    const due: Due[] = [];
    for (const schedule of this.schedules.values()) {
      const lastRunAt = this.options.lastRunAt(schedule.id);
      this.settled.set(schedule.id, Math.max(now, lastRunAt ?? now));
      if (!schedule.enabled) continue;
      if (isLightSchedule(schedule)) {
        due.push(this.lightNow(schedule, now));
        continue;
      }
      for (const run of missedRuns(schedule, lastRunAt === null ? null : new Date(lastRunAt), new Date(now))) {
        if (run.kind === 'job') due.push(this.jobRun(schedule, run.job, run.at.getTime()));
      }
    }
    this.act(due);
    this.arm();
  }

  stop(): void {
    this.started = false;
    this.disarm();
  }

  /** Replaces every schedule, as after reloading them from the database. */
  replace(schedules: readonly Schedule[]): void {
    const incoming = new Set(schedules.map((schedule) => schedule.id));
    for (const id of [...this.schedules.keys()]) {
      if (!incoming.has(id)) this.forget(id);
    }
    this.act(schedules.flatMap((schedule) => this.put(schedule)));
    this.wake();
  }

  upsert(schedule: Schedule): void {
    this.act(this.put(schedule));
    this.wake();
  }

  /** The schedules as the runner holds them, enabled or not. */
  all(): Schedule[] {
    return [...this.schedules.values()];
  }

  /** Forgets a schedule. A light it drove stays as it is: whoever removes it decides about the relay. */
  remove(scheduleId: string): void {
    this.forget(scheduleId);
    this.wake();
  }

  /** Returns false for an unknown schedule. Switching a light timer off leaves its relay as it is, as remove does. */
  setEnabled(scheduleId: string, enabled: boolean): boolean {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) return false;
    this.upsert({ ...schedule, enabled });
    return true;
  }

  /**
   * Sets every enabled light to the state it should have now. The controller turns every output
   * off when it boots, when its watchdog trips and on an emergency stop, so call this once the
   * link is ready again and the stop is released. Only lights: a dose or a fill that was cut off
   * is never resumed by itself.
   */
  restoreLights(): void {
    if (!this.started) return;
    const now = this.options.clock.now();
    const due: Due[] = [];
    for (const schedule of this.schedules.values()) {
      if (schedule.enabled && isLightSchedule(schedule)) due.push(this.lightNow(schedule, now));
    }
    this.act(due);
  }

  private forget(scheduleId: string): void {
    this.schedules.delete(scheduleId);
    this.settled.delete(scheduleId);
    this.upcoming.delete(scheduleId);
  }

  /** The first occurrence strictly after `from`, or Infinity if the schedule has none left. */
  private nextAfter(schedule: Schedule, from: number): number {
    const known = this.upcoming.get(schedule.id);
    if (known && known.schedule === schedule && known.from <= from && from < known.at) return known.at;
    const at = nextRuns(schedule, new Date(from), 1)[0]?.at.getTime() ?? Infinity;
    this.upcoming.set(schedule.id, { schedule, from, at });
    return at;
  }

  /** Stores the schedule and returns what must happen at once because of the change. */
  private put(schedule: Schedule): Due[] {
    const previous = this.schedules.get(schedule.id);
    this.schedules.set(schedule.id, schedule);
    if (!this.started) return [];
    const retimed = !previous || previous.timezone !== schedule.timezone || JSON.stringify(previous.trigger) !== JSON.stringify(schedule.trigger);
    const switchedOn = schedule.enabled && !previous?.enabled;
    if (!retimed && !switchedOn) return [];

    // The schedule's history starts now: an occurrence that fell while it was off, or that only
    // exists under its new timing, is not something the grower missed. A schedule that never ran
    // has nothing to make up after a restart either, so it keeps no run time it never had.
    const now = this.options.clock.now();
    this.settled.set(schedule.id, Math.max(now, this.settled.get(schedule.id) ?? now));
    if (this.options.lastRunAt(schedule.id) !== null) this.options.markRun(schedule.id, now);
    return schedule.enabled && isLightSchedule(schedule) ? [this.lightNow(schedule, now)] : [];
  }

  private arm(): void {
    this.disarm();
    if (!this.started) return;
    const now = this.options.clock.now();
    let earliest = Infinity;
    for (const schedule of this.schedules.values()) {
      if (!schedule.enabled) continue;
      earliest = Math.min(earliest, this.nextAfter(schedule, Math.max(now, this.settled.get(schedule.id) ?? now)));
    }
    if (earliest === Infinity) return;
    const timer = { handle: undefined as unknown };
    this.timer = timer;
    timer.handle = this.options.clock.setTimer(Math.min(earliest, now + LONGEST_SLEEP_MS), () => {
      // A handle cleared after its callback was already queued must not act.
      if (this.timer !== timer) return;
      this.timer = null;
      this.wake();
    });
  }

  private disarm(): void {
    if (this.timer) this.options.clock.clearTimer(this.timer.handle);
    this.timer = null;
  }

  /**
   * Re-reads the clock, whatever a timer was set for, acts on what fell due since last time, and
   * arms the next timer. Every change goes through here too, so an occurrence that fell due just
   * before a change, its timer callback not yet run, still fires.
   */
  private wake(): void {
    if (!this.started) return;
    const now = this.options.clock.now();
    const due: Due[] = [];
    for (const schedule of this.schedules.values()) {
      if (!schedule.enabled) continue;
      const settled = this.settled.get(schedule.id) ?? now;
      if (now < this.nextAfter(schedule, settled)) continue;
      if (isLightSchedule(schedule)) {
        const state = lightStateAt(schedule, new Date(now));
        if (state.since.getTime() > settled) due.push(this.lightRun(schedule, state.on, state.since.getTime()));
        continue;
      }
      if (schedule.trigger.kind !== 'cron') continue;
      const latest = latestDue(schedule, new Date(now));
      if (!latest || latest.getTime() <= settled) continue;
      this.settled.set(schedule.id, latest.getTime());
      if (now - latest.getTime() <= ON_TIME_MS) {
        due.push(this.jobRun(schedule, schedule.trigger.action, latest.getTime()));
      } else {
        for (const run of missedRuns(schedule, new Date(settled), new Date(now))) {
          if (run.kind === 'job') due.push(this.jobRun(schedule, run.job, run.at.getTime()));
        }
      }
    }
    this.act(due);
    this.arm();
  }

  private lightNow(schedule: LightTimerSchedule, now: number): Due {
    const state = lightStateAt(schedule, new Date(now));
    return this.lightRun(schedule, state.on, state.since.getTime());
  }

  private lightRun(schedule: LightTimerSchedule, on: boolean, occurrence: number): Due {
    return {
      schedule,
      at: occurrence,
      act: () => {
        // Restoring a light repeats a switch already recorded; only a new one is.
        if (occurrence > (this.settled.get(schedule.id) ?? -Infinity)) this.advance(schedule.id, occurrence);
        return this.options.setLight(schedule, schedule.trigger.relayId, on, occurrence);
      },
    };
  }

  private jobRun(schedule: Schedule, job: JobSpec, occurrence: number): Due {
    return {
      schedule,
      at: occurrence,
      act: () => {
        // Recorded before the job is queued: if the process dies between the two, a run is lost
        // rather than doubled, and a doubled dose is the worse fault.
        this.advance(schedule.id, occurrence);
        return this.options.enqueue(schedule, job, occurrence);
      },
    };
  }

  private advance(scheduleId: string, occurrence: number): void {
    this.settled.set(scheduleId, Math.max(occurrence, this.settled.get(scheduleId) ?? occurrence));
    this.options.markRun(scheduleId, occurrence);
  }

  /** Acts in the order things fell due. One schedule's failure does not hold up the others. */
  private act(due: Due[]): void {
    due.sort((a, b) => a.at - b.at);
    for (const { schedule, act } of due) {
      const failed = (error: unknown): void =>
        this.options.log?.(`schedule "${schedule.name}" (${schedule.id}): ${error instanceof Error ? error.message : String(error)}`);
      try {
        const result = act();
        if (result instanceof Promise) result.catch(failed);
      } catch (error) {
        failed(error);
      }
    }
  }
}
