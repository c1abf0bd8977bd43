/**
 * How the grower set the station up, as the commands change it: recipes, schedules (and the
 * runner that fires them), and the calibrations doses and fills are measured with. Each change
 * is stored first, then acted on, then published to every screen.
 */
import type { StationChange } from '../../shared/events';
import { valveRefusal } from '../jobs/checks';
import { calibrationFactor, needsCalibrationConfirmation, type JobSpec, type Recipe } from '../../shared/jobs';
import { SCHEDULE_SCHEMA, type LightHandover, type Schedule, type SchedulePreviewEntry } from '../../shared/schedules';
import type { AlertLevel, Calibration, CalibrationSource, Job, ScheduleStatus, StationState } from '../../shared/station';
import type { Calibrations, Recipes, Schedules } from '../db';
import { describeJob, type JobAnswer, type JobControl, type JobSettings } from '../jobs';
import { CommandError } from '../link';
import {
  describeMismatch,
  isLightSchedule,
  lightShouldBeOn,
  LightWatch,
  nextRuns,
  previewRuns,
  scheduleCapProblem,
  ScheduleRunner,
  systemClock,
  type ScheduleClock,
} from '../schedules';

/** Where the setup is kept: the station database, or memory (memory-setup.ts). */
export interface SetupKeeper {
  recipes: Recipes;
  schedules: Schedules;
  calibrations: Calibrations;
}

export interface StationSetupOptions {
  keeper: SetupKeeper;
  /** Calibrations written in settings.json; a measured one wins. */
  configured: { mlPerSecond: Record<string, number>; pulsesPerLiter: Record<string, number> };
  /** What an uncalibrated pump or meter is assumed to do. */
  defaults: { mlPerSecond: number; pulsesPerLiter: () => number };
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

/** A run shorter than this measures the pump's start-up more than its flow. */
const MIN_PUMP_SECONDS = 5;
/** Fewer pulses than this give a pulses-per-litre figure coarser than 1%. */
const MIN_FLOW_PULSES = 100;
/** How often lights are compared with their timers; a mismatch is reported after its grace. */
const LIGHT_WATCH_EVERY_MS = 30_000;

export class StationSetup {
  private readonly keeper: SetupKeeper;
  private readonly runner: ScheduleRunner;
  private readonly clock: ScheduleClock;
  private readonly log: (line: string) => void;
  private readonly lightWatch = new LightWatch();
  private lightWatchTimer: { handle: unknown } | null = null;
  /** Per schedule, the cap problem last reported, so a reconnect does not repeat the alert. */
  private readonly flagged = new Map<string, string>();

  constructor(private readonly options: StationSetupOptions) {
    this.keeper = options.keeper;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => {});
    this.runner = new ScheduleRunner({
      clock: this.clock,
      schedules: this.storedSchedules(),
      lastRunAt: (id) => this.keeper.schedules.get(id)?.lastRunAt ?? null,
      enqueue: (schedule, job) => this.enqueue(schedule, job),
      setLight: (schedule, relayId, on) => this.switchLight(schedule, relayId, on),
      markRun: (id, at) => {
        this.keeper.schedules.markRun(id, at);
        this.publishSchedules();
      },
      log: this.log,
    });
  }

  /** Publishes the setup and starts the schedules, making up missed runs as each one says. */
  start(): void {
    this.options.apply({ type: 'recipes_update', recipes: this.keeper.recipes.all() });
    this.publishCalibration();
    this.runner.start();
    this.publishSchedules();
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

  /** A new channel table: pumps and meters may have come or gone. */
  channelsChanged(): void {
    this.publishCalibration();
    this.flagSchedulesBreakingCaps();
  }

  recipe(id: string): Recipe | null {
    return this.keeper.recipes.get(id);
  }

  mlPerSecond(pumpId: string): number {
    return this.keeper.calibrations.pumps()[pumpId]?.value ?? this.options.configured.mlPerSecond[pumpId] ?? this.options.defaults.mlPerSecond;
  }

  pulsesPerLiter(meterId: string): number {
    return this.keeper.calibrations.flowMeters()[meterId]?.value ?? this.options.configured.pulsesPerLiter[meterId] ?? this.options.defaults.pulsesPerLiter();
  }

  // Recipes

  createRecipe(recipe: Recipe): Recipe {
    if (this.keeper.recipes.get(recipe.id)) throw new CommandError('REFUSED', `there is already a recipe "${recipe.id}"; send recipe.update to change it, or choose another id`);
    return this.saveRecipe(recipe);
  }

  updateRecipe(recipe: Recipe): Recipe {
    if (!this.keeper.recipes.get(recipe.id)) throw new CommandError('NOT_FOUND', `there is no recipe "${recipe.id}"; send recipe.create to make it`);
    return this.saveRecipe(recipe);
  }

  deleteRecipe(recipeId: string): void {
    if (!this.keeper.recipes.get(recipeId)) throw new CommandError('NOT_FOUND', `there is no recipe "${recipeId}"`);
    const scheduled = this.storedSchedules().find((schedule) => schedule.trigger.kind === 'cron' && schedule.trigger.action.kind === 'recipe' && schedule.trigger.action.recipeId === recipeId);
    if (scheduled) throw new CommandError('REFUSED', `schedule "${scheduled.name}" runs recipe "${recipeId}"; change or delete that schedule first`);
    const running = this.options.state().jobs.find((job) => job.spec.kind === 'recipe' && job.spec.recipeId === recipeId && !job.endedAt);
    if (running) throw new CommandError('REFUSED', `job ${running.id} is running recipe "${recipeId}"; wait for it or cancel it first`);
    this.keeper.recipes.remove(recipeId);
    this.options.apply({ type: 'recipes_update', recipes: this.keeper.recipes.all() });
  }

  private saveRecipe(recipe: Recipe): Recipe {
    this.keeper.recipes.put(recipe);
    this.options.apply({ type: 'recipes_update', recipes: this.keeper.recipes.all() });
    // A schedule that ran the old steps within the caps may not run the new ones.
    this.flagSchedulesBreakingCaps();
    return recipe;
  }

  // Schedules

  createSchedule(schedule: Schedule): ScheduleStatus {
    if (this.keeper.schedules.get(schedule.id)) throw new CommandError('REFUSED', `there is already a schedule "${schedule.id}"; send schedule.update to change it, or choose another id`);
    return this.saveSchedule(schedule, null);
  }

  /** A light timer that stops driving its relay switches it off, and the answer says so. */
  async updateSchedule(schedule: Schedule): Promise<ScheduleStatus & { light?: LightHandover }> {
    const stored = this.keeper.schedules.get(schedule.id);
    if (!stored) throw new CommandError('NOT_FOUND', `there is no schedule "${schedule.id}"; send schedule.create to make it`);
    const previous = this.readSchedule(stored.spec, stored.enabled);
    const status = this.saveSchedule(schedule, stored.lastRunAt);
    const light = await this.releaseLight(previous, schedule);
    return light ? { ...status, light } : status;
  }

  async deleteSchedule(scheduleId: string): Promise<{ light?: LightHandover }> {
    const stored = this.keeper.schedules.get(scheduleId);
    const previous = stored && this.readSchedule(stored.spec, stored.enabled);
    if (!this.keeper.schedules.remove(scheduleId)) throw new CommandError('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    this.runner.remove(scheduleId);
    this.flagged.delete(scheduleId);
    this.publishSchedules();
    const light = await this.releaseLight(previous ?? null, null);
    return light ? { light } : {};
  }

  async enableSchedule(scheduleId: string, enabled: boolean): Promise<ScheduleStatus & { light?: LightHandover }> {
    const stored = this.keeper.schedules.get(scheduleId);
    const schedule = stored && this.readSchedule(stored.spec, stored.enabled);
    if (!stored || !schedule) throw new CommandError('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    const next = { ...schedule, enabled };
    const status = this.saveSchedule(next, stored.lastRunAt);
    const light = await this.releaseLight(schedule, next);
    return light ? { ...status, light } : status;
  }

  previewSchedule(draft: Schedule | undefined, scheduleId: string | undefined, count: number): SchedulePreviewEntry[] {
    let schedule = draft;
    if (!schedule) {
      const stored = scheduleId === undefined ? null : this.keeper.schedules.get(scheduleId);
      schedule = (stored && this.readSchedule(stored.spec, stored.enabled)) || undefined;
      if (!schedule) throw new CommandError('NOT_FOUND', `there is no schedule "${scheduleId}"`);
    }
    return previewRuns(schedule, new Date(this.clock.now()), count);
  }

  /** Refuses what can be known to fail now; a job that becomes impossible later fails with an alert. */
  private saveSchedule(schedule: Schedule, lastRunAt: number | null): ScheduleStatus {
    const { trigger } = schedule;
    if (trigger.kind === 'cron' && trigger.action.kind === 'recipe' && !this.keeper.recipes.get(trigger.action.recipeId)) {
      throw new CommandError('REFUSED', `there is no recipe "${trigger.action.recipeId}"; create it before scheduling it`);
    }
    if (trigger.kind === 'light') {
      const channels = this.options.state().channels;
      const relay = channels.find((channel) => channel.id === trigger.relayId);
      if (channels.length > 0 && relay?.kind !== 'relay') {
        throw new CommandError('REFUSED', `there is no relay "${trigger.relayId}" on this controller; the relays are ${channels.filter((c) => c.kind === 'relay').map((c) => c.id).join(', ') || 'none'}`);
      }
      const refusal = relay ? valveRefusal(this.options.state(), relay) : null;
      if (refusal) throw new CommandError('REFUSED', refusal);
    }
    // A disabled schedule may keep a problem until it is switched on: that is how a grower parks
    // one whose caps were lowered.
    const capProblem = schedule.enabled ? this.capProblem(schedule) : undefined;
    if (capProblem) throw new CommandError('REFUSED', capProblem);
    this.flagged.delete(schedule.id);
    this.keeper.schedules.put({ id: schedule.id, spec: schedule, enabled: schedule.enabled, lastRunAt });
    this.runner.upsert(schedule);
    this.publishSchedules();
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
      return { relayId, on: true, message: `${name} stays on: job ${job.id} (${describeJob(job.spec)}) holds it, and switches it when it ends` };
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
    return this.keeper.schedules.all().flatMap((stored) => {
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
    const lastRunAt = this.keeper.schedules.get(schedule.id)?.lastRunAt ?? null;
    const next = schedule.enabled ? nextRuns(schedule, new Date(this.clock.now()), 1)[0] : undefined;
    return { schedule, lastRunAt, nextRunAt: next ? next.at.getTime() : null };
  }

  private publishSchedules(): void {
    this.options.apply({ type: 'schedules_update', schedules: this.storedSchedules().map((schedule) => this.status(schedule)) });
  }

  private enqueue(schedule: Schedule, job: JobSpec): void {
    const answer = this.options.jobs.start(job, `schedule ${schedule.name}`);
    if (!answer.ok) {
      this.options.alert('warning', 'SCHEDULE_SKIPPED', `schedule "${schedule.name}" could not start ${describeJob(job)}: ${answer.error.message}`);
    }
  }

  private async switchLight(schedule: Schedule, relayId: string, on: boolean): Promise<void> {
    try {
      await this.options.setRelay(relayId, on);
      this.log(`schedules: "${schedule.name}" switched ${relayId} ${on ? 'on' : 'off'}`);
    } catch (error) {
      // A light the link cannot reach now is put right when the link is ready again.
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof CommandError && (error.code === 'LINK_DOWN' || error.code === 'NOT_READY')) {
        this.log(`schedules: "${schedule.name}" could not switch ${relayId} ${on ? 'on' : 'off'} (${reason}); it will once the controller is back`);
        return;
      }
      if (error instanceof CommandError && error.code === 'ESTOP') {
        this.log(`schedules: "${schedule.name}" did not switch ${relayId} ${on ? 'on' : 'off'} (${reason}); it will once the stop is reset`);
        return;
      }
      this.options.alert('warning', 'LIGHT_NOT_SWITCHED', `schedule "${schedule.name}" could not switch ${relayId} ${on ? 'on' : 'off'}: ${reason}`);
    }
  }

  // Calibration

  runPumpCalibration(pumpId: string, seconds: number, by: string): JobAnswer {
    return this.options.jobs.start({ kind: 'calibrate-pump', pumpId, seconds }, by, 'high');
  }

  runFlowCalibration(tankId: string, liters: number, by: string): JobAnswer {
    return this.options.jobs.start({ kind: 'calibrate-flow', tankId, liters }, by, 'high');
  }

  /** mL/s from a finished calibration run and the millilitres the grower collected. */
  savePumpCalibration(jobId: number, measuredMl: number, confirm: boolean): { pumpId: string; mlPerSecond: number; previous: number } {
    const job = this.calibrationRun(jobId, 'calibrate-pump');
    if (!job.measured || !('pumpId' in job.measured)) throw new CommandError('REFUSED', `calibration run ${jobId} has no measurement; run it again`);
    const { pumpId, seconds } = job.measured;
    if (seconds < MIN_PUMP_SECONDS) throw new CommandError('REFUSED', `the pump ran only ${seconds.toFixed(1)} s, too short to measure its flow; run it for at least ${MIN_PUMP_SECONDS * 2} s`);
    const mlPerSecond = round(measuredMl / seconds, 4);
    const previous = this.mlPerSecond(pumpId);
    this.refuseLargeChange(`pump ${pumpId}`, 'mL/s', previous, mlPerSecond, this.sourceOfPump(pumpId), confirm);
    this.keeper.calibrations.setPump(pumpId, mlPerSecond, this.clock.now());
    this.publishCalibration();
    this.log(`calibration: pump ${pumpId} ${previous} → ${mlPerSecond} mL/s (${measuredMl} mL in ${seconds} s, run ${jobId})`);
    return { pumpId, mlPerSecond, previous };
  }

  /** Pulses per litre from a finished calibration fill and the litres the grower measured. */
  saveFlowCalibration(jobId: number, measuredLiters: number, confirm: boolean): { meterId: string; pulsesPerLiter: number; previous: number } {
    const job = this.calibrationRun(jobId, 'calibrate-flow');
    if (!job.measured || !('meterId' in job.measured)) throw new CommandError('REFUSED', `calibration run ${jobId} has no measurement; run it again`);
    const { meterId, pulses } = job.measured;
    if (pulses < MIN_FLOW_PULSES) throw new CommandError('REFUSED', `${meterId} counted only ${pulses} pulses, too few to calibrate it; fill more litres`);
    const pulsesPerLiter = round(pulses / measuredLiters, 2);
    const previous = this.pulsesPerLiter(meterId);
    this.refuseLargeChange(`flow meter ${meterId}`, 'pulses per litre', previous, pulsesPerLiter, this.sourceOfMeter(meterId), confirm);
    this.keeper.calibrations.setFlowMeter(meterId, pulsesPerLiter, this.clock.now());
    this.publishCalibration();
    this.log(`calibration: flow meter ${meterId} ${previous} → ${pulsesPerLiter} pulses/L (${pulses} pulses for ${measuredLiters} L, run ${jobId})`);
    return { meterId, pulsesPerLiter, previous };
  }

  private calibrationRun(jobId: number, kind: 'calibrate-pump' | 'calibrate-flow'): Job {
    const job = this.options.state().jobs.find((candidate) => candidate.id === jobId);
    const what = kind === 'calibrate-pump' ? 'calibration.pump.run' : 'calibration.flow.run';
    if (!job) throw new CommandError('NOT_FOUND', `there is no recent job ${jobId}; start a calibration run with ${what} and measure that one`);
    if (job.spec.kind !== kind) throw new CommandError('REFUSED', `job ${jobId} (${describeJob(job.spec)}) is not a ${kind === 'calibrate-pump' ? 'pump' : 'flow meter'} calibration run`);
    if (job.state !== 'succeeded') {
      throw new CommandError('REFUSED', job.endedAt ? `calibration run ${jobId} did not finish (${job.detail}); run it again` : `calibration run ${jobId} is still ${job.state}; measure once it has finished`);
    }
    return job;
  }

  private refuseLargeChange(what: string, unit: string, previous: number, next: number, source: CalibrationSource, confirm: boolean): void {
    if (confirm || !needsCalibrationConfirmation(previous, next)) return;
    throw new CommandError(
      'REFUSED',
      `${next} ${unit} is ${calibrationFactor(previous, next).toFixed(1)}× ${source === 'default' ? 'the usual figure' : `the ${source} calibration`} of ${what} (${previous}); check the measurement and the units, then send it again with confirm: true if it is right`,
    );
  }

  private sourceOfPump(pumpId: string): CalibrationSource {
    if (this.keeper.calibrations.pumps()[pumpId]) return 'measured';
    return this.options.configured.mlPerSecond[pumpId] !== undefined ? 'settings' : 'default';
  }

  private sourceOfMeter(meterId: string): CalibrationSource {
    if (this.keeper.calibrations.flowMeters()[meterId]) return 'measured';
    return this.options.configured.pulsesPerLiter[meterId] !== undefined ? 'settings' : 'default';
  }

  /** Every pump's and meter's figure in use, including defaults for the uncalibrated ones. */
  calibration(): Calibration {
    const measuredPumps = this.keeper.calibrations.pumps();
    const measuredMeters = this.keeper.calibrations.flowMeters();
    const channels = this.options.state().channels;
    const pumpIds = new Set([...channels.filter((c) => c.kind === 'pump').map((c) => c.id), ...Object.keys(this.options.configured.mlPerSecond), ...Object.keys(measuredPumps)]);
    const meterIds = new Set([...channels.filter((c) => c.kind === 'flow').map((c) => c.id), ...Object.keys(this.options.configured.pulsesPerLiter), ...Object.keys(measuredMeters)]);
    const calibration: Calibration = { pumps: {}, flowMeters: {} };
    for (const id of [...pumpIds].sort()) {
      calibration.pumps[id] = { mlPerSecond: this.mlPerSecond(id), source: this.sourceOfPump(id), at: measuredPumps[id]?.at ?? null };
    }
    for (const id of [...meterIds].sort()) {
      calibration.flowMeters[id] = { pulsesPerLiter: this.pulsesPerLiter(id), source: this.sourceOfMeter(id), at: measuredMeters[id]?.at ?? null };
    }
    return calibration;
  }

  private publishCalibration(): void {
    this.options.apply({ type: 'calibration_update', calibration: this.calibration() });
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
