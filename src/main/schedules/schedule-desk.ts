/**
 * The grower's schedules as the commands change them, and the runner that fires them: jobs at
 * their times, lights in their windows. Each change is stored first, then acted on, then
 * published to every screen. A light that does not match its timer, and a schedule the caps
 * would always refuse, are reported once.
 */
import type { StationChange } from '../../shared/events';
import type { JobSpec, Recipe } from '../../shared/jobs';
import { Refusal } from '../../shared/refusal';
import { SCHEDULE_SCHEMA, type LightHandover, type Schedule, type SchedulePreviewEntry } from '../../shared/schedules';
import type { AlertLevel, ScheduleStatus, StationState } from '../../shared/station';
import type { Schedules } from '../db';
import { describeJob, type JobControl, type JobSettings } from '../jobs';
import { valveRefusal } from '../jobs/checks';
import { isLightSchedule, lightShouldBeOn } from './light-timer';
import { describeMismatch, LightWatch } from './light-watch';
import { nextRuns, previewRuns } from './occurrences';
import { ScheduleRunner, systemClock, type ScheduleClock } from './runner';
import { scheduleCapProblem } from './schedule-caps';

export interface ScheduleDeskOptions {
  keeper: Schedules;
  /** A schedule may run only a recipe that exists. */
  recipe(id: string): Recipe | null;
  state(): StationState;
  apply(change: StationChange): void;
  jobs: JobControl;
  /** What the job engine checks jobs with; a schedule whose job it would always refuse is refused. */
  jobSettings?: JobSettings;
  /** Switches a relay for a light timer, as a manual command would (refused while a job holds it). */
  setRelay(relayId: string, on: boolean): Promise<void>;
  alert(level: AlertLevel, code: string, message: string): void;
  clock?: ScheduleClock;
  log?: (line: string) => void;
}

/** What the commands ask of the schedules. */
export interface ScheduleBook {
  create(schedule: Schedule): ScheduleStatus;
  /** A light timer that stops driving its relay switches it off, and the answer says so. */
  update(schedule: Schedule): Promise<ScheduleStatus & { light?: LightHandover }>;
  delete(scheduleId: string): Promise<{ light?: LightHandover }>;
  enable(scheduleId: string, enabled: boolean): Promise<ScheduleStatus & { light?: LightHandover }>;
  preview(draft: Schedule | undefined, scheduleId: string | undefined, count: number): SchedulePreviewEntry[];
}

/** How often lights are compared with their timers; a mismatch is reported after its grace. */
const LIGHT_WATCH_EVERY_MS = 30_000;

/** Which output errors mean "not now, later": checked by code, whatever error class carries it. */
const LINK_NOT_READY = new Set(['LINK_DOWN', 'NOT_READY']);

export class ScheduleDesk implements ScheduleBook {
  private readonly keeper: Schedules;
  private readonly runner: ScheduleRunner;
  private readonly clock: ScheduleClock;
  private readonly log: (line: string) => void;
  private readonly lightWatch = new LightWatch();
  private lightWatchTimer: { handle: unknown } | null = null;
  /** Per schedule, the cap problem last reported, so a reconnect does not repeat the alert. */
  private readonly flagged = new Map<string, string>();

  constructor(private readonly options: ScheduleDeskOptions) {
    this.keeper = options.keeper;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => {});
    this.runner = new ScheduleRunner({
      clock: this.clock,
      schedules: this.storedSchedules(),
      lastRunAt: (id) => this.keeper.get(id)?.lastRunAt ?? null,
      enqueue: (schedule, job) => this.enqueue(schedule, job),
      setLight: (schedule, relayId, on) => this.switchLight(schedule, relayId, on),
      markRun: (id, at) => {
        this.keeper.markRun(id, at);
        this.publish();
      },
      log: this.log,
    });
  }

  /** Starts the schedules, making up missed runs as each one says, and watching the lights. */
  start(): void {
    this.runner.start();
    this.publish();
    this.flagSchedulesBreakingCaps();
    this.watchLights();
  }

  stop(): void {
    this.runner.stop();
    if (this.lightWatchTimer) this.clock.clearTimer(this.lightWatchTimer.handle);
    this.lightWatchTimer = null;
  }

  /**
   * The controller may have switched every output off while the link was down (a reboot, its
   * watchdog); lights go back to their window. Not while the stop is latched: the lights wait
   * for the reset, like everything else.
   */
  linkReady(): void {
    if (!this.options.state().estop.latched) this.runner.restoreLights();
  }

  /**
   * The emergency stop switched every output off and has been reset: lights go back to their
   * window, as after a reboot. Nothing else does; a dose or fill it cut off stays cut off.
   */
  emergencyStopReleased(): void {
    if (this.options.state().link.status === 'ready') this.runner.restoreLights();
  }

  /** A new channel table, or a changed recipe: a schedule may now break the caps. */
  recheckCaps(): void {
    this.flagSchedulesBreakingCaps();
  }

  /** The name of a stored schedule that runs the recipe, if any. */
  scheduledWith(recipeId: string): string | undefined {
    return this.storedSchedules().find((schedule) => schedule.trigger.kind === 'cron' && schedule.trigger.action.kind === 'recipe' && schedule.trigger.action.recipeId === recipeId)
      ?.name;
  }

  create(schedule: Schedule): ScheduleStatus {
    if (this.keeper.get(schedule.id)) throw new Refusal('REFUSED', `there is already a schedule "${schedule.id}"; send schedule.update to change it, or choose another id`);
    return this.save(schedule, null);
  }

  async update(schedule: Schedule): Promise<ScheduleStatus & { light?: LightHandover }> {
    const stored = this.keeper.get(schedule.id);
    if (!stored) throw new Refusal('NOT_FOUND', `there is no schedule "${schedule.id}"; send schedule.create to make it`);
    const previous = this.readSchedule(stored.spec, stored.enabled);
    const status = this.save(schedule, stored.lastRunAt);
    const light = await this.releaseLight(previous, schedule);
    return light ? { ...status, light } : status;
  }

  async delete(scheduleId: string): Promise<{ light?: LightHandover }> {
    const stored = this.keeper.get(scheduleId);
    const previous = stored && this.readSchedule(stored.spec, stored.enabled);
    if (!this.keeper.remove(scheduleId)) throw new Refusal('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    this.runner.remove(scheduleId);
    this.flagged.delete(scheduleId);
    this.publish();
    const light = await this.releaseLight(previous ?? null, null);
    return light ? { light } : {};
  }

  async enable(scheduleId: string, enabled: boolean): Promise<ScheduleStatus & { light?: LightHandover }> {
    const stored = this.keeper.get(scheduleId);
    const schedule = stored && this.readSchedule(stored.spec, stored.enabled);
    if (!stored || !schedule) throw new Refusal('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    const next = { ...schedule, enabled };
    const status = this.save(next, stored.lastRunAt);
    const light = await this.releaseLight(schedule, next);
    return light ? { ...status, light } : status;
  }

  preview(draft: Schedule | undefined, scheduleId: string | undefined, count: number): SchedulePreviewEntry[] {
    let schedule = draft;
    if (!schedule) {
      const stored = scheduleId === undefined ? null : this.keeper.get(scheduleId);
      schedule = (stored && this.readSchedule(stored.spec, stored.enabled)) || undefined;
      if (!schedule) throw new Refusal('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    }
    return previewRuns(schedule, new Date(this.clock.now()), count);
  }

  /** Refuses what can be known to fail now; a job that becomes impossible later fails with an alert. */
  private save(schedule: Schedule, lastRunAt: number | null): ScheduleStatus {
    const { trigger } = schedule;
    if (trigger.kind === 'cron' && trigger.action.kind === 'recipe' && !this.options.recipe(trigger.action.recipeId)) {
      throw new Refusal('REFUSED', `there is no recipe "${trigger.action.recipeId}"; create it before scheduling it`);
    }
    if (trigger.kind === 'light') {
      const channels = this.options.state().channels;
      const relay = channels.find((channel) => channel.id === trigger.relayId);
      if (channels.length > 0 && relay?.kind !== 'relay') {
        throw new Refusal('REFUSED', `there is no relay "${trigger.relayId}" on this controller; the relays are ${channels.filter((c) => c.kind === 'relay').map((c) => c.id).join(', ') || 'none'}`);
      }
      const refusal = relay ? valveRefusal(this.options.state(), relay) : null;
      if (refusal) throw new Refusal('REFUSED', refusal);
    }
    // A disabled schedule may keep a problem until it is switched on: that is how a grower parks
    // one whose caps were lowered.
    const capProblem = schedule.enabled ? this.capProblem(schedule) : undefined;
    if (capProblem) throw new Refusal('REFUSED', capProblem);
    this.flagged.delete(schedule.id);
    this.keeper.put({ id: schedule.id, spec: schedule, enabled: schedule.enabled, lastRunAt });
    this.runner.upsert(schedule);
    this.publish();
    return this.status(schedule);
  }

  /**
   * Why a schedule's job would be refused whenever it runs, by the job engine's own checks.
   * Unknown until the controller has said which pumps and relays it has.
   */
  private capProblem(schedule: Schedule): string | undefined {
    const state = this.options.state();
    const settings = this.options.jobSettings;
    if (!settings || state.channels.length === 0) return undefined;
    return scheduleCapProblem(schedule, state, settings, this.clock.now());
  }

  /**
   * Schedules saved before the caps were lowered (or a recipe they run was changed) would fail at
   * every run; say so once, now, rather than with a refusal each day.
   */
  private flagSchedulesBreakingCaps(): void {
    for (const schedule of this.runner.all()) {
      const problem = schedule.enabled ? this.capProblem(schedule) : undefined;
      if (!problem) {
        if (this.options.jobSettings && this.options.state().channels.length > 0) this.flagged.delete(schedule.id);
        continue;
      }
      if (this.flagged.get(schedule.id) === problem) continue;
      this.flagged.set(schedule.id, problem);
      this.options.alert('warning', 'SCHEDULE_BREAKS_CAPS', `${problem}. Change the schedule, or disable it until it is changed`);
    }
  }

  /**
   * A light timer that no longer drives its relay (deleted, disabled, or moved to another relay)
   * switches the relay off if it is on in the window the timer had put it on. A relay switched on
   * by hand outside the window, or held by a job, is left as it is.
   */
  private async releaseLight(previous: Schedule | null, next: Schedule | null): Promise<LightHandover | undefined> {
    if (!previous?.enabled || !isLightSchedule(previous)) return undefined;
    const { relayId } = previous.trigger;
    if (next?.enabled && isLightSchedule(next) && next.trigger.relayId === relayId) return undefined;
    const state = this.options.state();
    if (!state.relays[relayId]?.on || !lightShouldBeOn(previous, new Date(this.clock.now()))) return undefined;
    const name = state.channels.find((channel) => channel.id === relayId)?.name ?? relayId;
    const job = this.options.jobs.holding(relayId);
    if (job) {
      return { relayId, on: true, message: `${name} stays on: job ${job.id} (${describeJob(job.spec, this.names())}) holds it, and switches it when it ends` };
    }
    try {
      await this.options.setRelay(relayId, false);
      this.log(`schedules: "${previous.name}" no longer drives ${relayId}; switched it off`);
      return { relayId, on: false, message: `${name} switched off: light timer "${previous.name}" no longer drives it` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { relayId, on: true, message: `${name} is still on and could not be switched off (${reason}); switch it off by hand` };
    }
  }

  /** Compares every light with its timer, and reports one that has been wrong past the grace. */
  private watchLights(): void {
    const now = this.clock.now();
    const state = this.options.state();
    const mismatches = this.lightWatch.check(
      this.runner.all(),
      {
        known: state.link.status === 'ready',
        estopLatched: state.estop.latched,
        relayOn: (relayId) => state.relays[relayId]?.on,
        heldByJob: (relayId) => this.options.jobs.holding(relayId) !== undefined,
      },
      now,
    );
    for (const mismatch of mismatches) {
      const name = state.channels.find((channel) => channel.id === mismatch.relayId)?.name ?? mismatch.relayId;
      this.options.alert('warning', 'SCHEDULE_MISMATCH', describeMismatch(mismatch, name, now));
    }
    const timer = { handle: undefined as unknown };
    this.lightWatchTimer = timer;
    timer.handle = this.clock.setTimer(now + LIGHT_WATCH_EVERY_MS, () => {
      if (this.lightWatchTimer === timer) this.watchLights();
    });
  }

  private storedSchedules(): Schedule[] {
    return this.keeper.all().flatMap((stored) => {
      const schedule = this.readSchedule(stored.spec, stored.enabled);
      if (!schedule) this.log(`schedules: schedule "${stored.id}" in the database is not valid any more and is not run; edit or delete it`);
      return schedule ? [schedule] : [];
    });
  }

  private readSchedule(spec: unknown, enabled: boolean): Schedule | null {
    const parsed = SCHEDULE_SCHEMA.safeParse(spec);
    return parsed.success ? { ...parsed.data, enabled } : null;
  }

  private status(schedule: Schedule): ScheduleStatus {
    const lastRunAt = this.keeper.get(schedule.id)?.lastRunAt ?? null;
    const next = schedule.enabled ? nextRuns(schedule, new Date(this.clock.now()), 1)[0] : undefined;
    const skipped = lastRunAt === null ? undefined : (this.keeper.get(schedule.id)?.lastRunSkipped ?? undefined);
    return { schedule, lastRunAt, nextRunAt: next ? next.at.getTime() : null, ...(skipped === undefined ? {} : { lastRunSkipped: skipped }) };
  }

  private publish(): void {
    this.options.apply({ type: 'schedules_update', schedules: this.storedSchedules().map((schedule) => this.status(schedule)) });
  }

  private enqueue(schedule: Schedule, job: JobSpec): void {
    const answer = this.options.jobs.start(job, `schedule ${schedule.name}`);
    // Kept with the schedule, so its row still says the run was skipped after a restart.
    this.keeper.markSkipped(schedule.id, answer.ok ? null : answer.error.message);
    this.publish();
    if (!answer.ok) {
      this.options.alert('warning', 'SCHEDULE_SKIPPED', `schedule "${schedule.name}" could not start ${describeJob(job, this.names())}: ${answer.error.message}`);
    }
  }

  /** Channels, tanks and recipes by the grower's names, for the words of alerts and answers. */
  private names() {
    const { channels, tanks, recipes } = this.options.state();
    const named = (list: readonly { id: string; name: string }[]) => (id: string) => list.find((item) => item.id === id)?.name || id;
    return { channel: named(channels), tank: named(tanks), recipe: named(recipes) };
  }

  private async switchLight(schedule: Schedule, relayId: string, on: boolean): Promise<void> {
    try {
      await this.options.setRelay(relayId, on);
      this.log(`schedules: "${schedule.name}" switched ${relayId} ${on ? 'on' : 'off'}`);
    } catch (error) {
      // A light the link cannot reach now is put right when the link is ready again. The link's
      // reasons come as its own errors or as refusals; either way the code says which.
      const reason = error instanceof Error ? error.message : String(error);
      const code = errorCodeOf(error);
      if (code !== undefined && LINK_NOT_READY.has(code)) {
        this.log(`schedules: "${schedule.name}" could not switch ${relayId} ${on ? 'on' : 'off'} (${reason}); it will once the controller is back`);
        return;
      }
      if (code === 'ESTOP') {
        this.log(`schedules: "${schedule.name}" did not switch ${relayId} ${on ? 'on' : 'off'} (${reason}); it will once the stop is reset`);
        return;
      }
      this.options.alert('warning', 'LIGHT_NOT_SWITCHED', `schedule "${schedule.name}" could not switch ${relayId} ${on ? 'on' : 'off'}: ${reason}`);
    }
  }
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
