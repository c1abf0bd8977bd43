/**
 * The job scheduler: one queue per tank, one lock per channel, and the lifecycle every screen
 * follows (queued → running ↔ paused → succeeded | failed | cancelled | interrupted).
 *
 * Jobs on different tanks run at once; jobs on one tank run one after another, highest priority
 * first. A channel serves one job at a time. An emergency stop ends every job and refuses new
 * ones until it is reset. A lost link fails what was running and cancels what was waiting: a
 * dose that was cut short is never finished by itself later, the grower decides.
 */
import { litres, millilitres } from '../../shared/amounts';
import type { JobDelivered, JobSpec } from '../../shared/jobs';
import type { Job, JobState, StationState } from '../../shared/station';
import { planJob, type JobPlan } from './checks';
import { Halt, JobRun, LINK_LOST } from './job-run';
import { capDayMs } from './limits';
import type { JobJournal, JobSettings, JobStation } from './ports';
import { runCalibration, runSimple, runStep, type ProgramContext } from './programs';

export type JobPriority = 'high' | 'normal' | 'low';
const PRIORITY_RANK: Record<JobPriority, number> = { high: 0, normal: 1, low: 2 };

/** Progress reports of a running job reach screens at most this often; state changes at once. */
const PROGRESS_EVERY_MS = 500;
const STATION_QUEUE = '';

export type JobRefusal = { code: 'REFUSED' | 'ESTOP' | 'NOT_READY' | 'NOT_FOUND'; message: string };
export type JobAnswer = { ok: true; job: Job } | { ok: false; error: JobRefusal };

interface Entry {
  job: Job;
  plan: JobPlan;
  priority: JobPriority;
  run: JobRun | null;
  lastReportAt: number;
}

export interface JobEngineOptions {
  station: JobStation;
  journal: JobJournal;
  settings: JobSettings;
  /** Every change of a job, for the live state. */
  publish(job: Job): void;
}

const FINISHED: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** What the rest of main may ask of the jobs. */
export interface JobControl {
  start(spec: JobSpec, requestedBy: string, priority?: JobPriority): JobAnswer;
  cancel(id: number, by: string): JobAnswer;
  pause(id: number): JobAnswer;
  resume(id: number): JobAnswer;
  /** The job holding a channel, for refusing manual commands on it. */
  holding(channelId: string): Job | undefined;
}

export class JobEngine implements JobControl {
  private readonly entries = new Map<number, Entry>();
  private readonly offLink: () => void;
  private linkReady: boolean;
  private estopLatched: boolean;

  constructor(private readonly options: JobEngineOptions) {
    const state = options.station.state();
    this.linkReady = state.link.status === 'ready';
    this.estopLatched = state.estop.latched;
    this.offLink = options.station.onChange((change) => {
      if (change.type === 'link_update') {
        const ready = change.link.status === 'ready';
        if (this.linkReady && !ready) this.linkLost(change.link.reason);
        this.linkReady = ready;
        if (ready) this.pump();
      } else if (change.type === 'estop_update') {
        this.estopLatched = change.latched;
        if (change.latched) this.stopEverything('emergency stop');
        else this.pump();
      } else if (change.type === 'device_update') {
        this.estopLatched = change.estop;
      }
    });
  }

  dispose(): void {
    this.offLink();
  }

  /** Accepts a job into its tank's queue, or says why not. */
  start(spec: JobSpec, requestedBy: string, priority: JobPriority = 'normal'): JobAnswer {
    if (this.estopLatched) return { ok: false, error: { code: 'ESTOP', message: 'the emergency stop is latched; reset it before starting jobs' } };
    if (!this.linkReady) return { ok: false, error: { code: 'NOT_READY', message: 'the controller is not connected; jobs start once the link is ready' } };
    const now = Date.now();
    const since = now - capDayMs(this.options.station.timeScale?.());
    const planned = planJob(spec, this.options.station.state(), this.options.settings, (pumpId) => this.options.journal.deliveredSince(pumpId, since));
    if (!planned.ok) return { ok: false, error: { code: 'REFUSED', message: planned.message } };
    const plan = planned.plan;
    // A channel shared with another tank's running job: say whose, rather than wait unseen.
    for (const other of this.entries.values()) {
      if (other.job.state === 'queued' || queueOf(other.plan) === queueOf(plan)) continue;
      const shared = plan.channels.find((channel) => other.plan.channels.includes(channel));
      if (shared) return { ok: false, error: { code: 'REFUSED', message: `${this.names().channel(shared)} is busy with job ${other.job.id} (${describe(other.job.spec, this.names())}); wait for it or cancel it` } };
    }
    const id = this.options.journal.createJob({ spec, tankId: plan.tankId, requestedBy, createdAt: now });
    const job: Job = { id, kind: spec.kind, spec, state: 'queued', tankId: plan.tankId, progress: 0, etaMs: null, detail: 'waiting for its turn', requestedBy, createdAt: now, startedAt: null, endedAt: null };
    this.entries.set(id, { job, plan, priority, run: null, lastReportAt: 0 });
    this.options.publish(job);
    this.pump();
    return { ok: true, job: this.entries.get(id)?.job ?? job };
  }

  cancel(id: number, by: string): JobAnswer {
    const entry = this.entries.get(id);
    if (!entry) return notFound(id);
    const halt = new Halt('cancelled', `cancelled by ${by}`);
    if (entry.run) entry.run.stop(halt);
    else this.finish(entry, 'cancelled', halt.message);
    return { ok: true, job: entry.job };
  }

  pause(id: number): JobAnswer {
    const entry = this.entries.get(id);
    if (!entry) return notFound(id);
    if (!entry.run || entry.job.state !== 'running') return { ok: false, error: { code: 'REFUSED', message: `job ${id} is ${entry.job.state}; only a running job can be paused` } };
    entry.run.pause();
    this.update(entry, { state: 'paused', detail: 'paused; outputs are off until it is resumed' });
    return { ok: true, job: entry.job };
  }

  resume(id: number): JobAnswer {
    const entry = this.entries.get(id);
    if (!entry) return notFound(id);
    if (!entry.run || entry.job.state !== 'paused') return { ok: false, error: { code: 'REFUSED', message: `job ${id} is ${entry.job.state}; only a paused job can be resumed` } };
    if (this.estopLatched) return { ok: false, error: { code: 'ESTOP', message: 'the emergency stop is latched; reset it first' } };
    if (!this.linkReady) return { ok: false, error: { code: 'NOT_READY', message: 'the controller is not connected' } };
    entry.run.resume();
    this.update(entry, { state: 'running', detail: 'resumed' });
    return { ok: true, job: entry.job };
  }

  private channelName(id: string): string {
    return this.names().channel(id);
  }

  private names(): JobNames {
    return namesIn(this.options.station.state());
  }

  holding(channelId: string): Job | undefined {
    for (const entry of this.entries.values()) {
      if (entry.run && entry.plan.channels.includes(channelId)) return entry.job;
    }
    return undefined;
  }

  /** Jobs not yet finished. */
  active(): Job[] {
    return [...this.entries.values()].map((entry) => entry.job);
  }

  /** Every job ends now: an emergency stop (the device has already cut its outputs). */
  stopEverything(reason: string): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.run) entry.run.stop(new Halt('cancelled', `cancelled: ${reason}`));
      else this.finish(entry, 'cancelled', `cancelled: ${reason}`);
    }
  }

  private linkLost(reason: string): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.run) {
        entry.run.stop(new Halt('failed', `the link to the controller was lost (${reason}); the controller's watchdog switched its outputs off. Check the station before starting it again`, { code: LINK_LOST, level: 'error' }));
      } else {
        this.finish(entry, 'cancelled', 'cancelled: the link to the controller was lost before it started; start it again when the station is back');
      }
    }
  }

  /** Starts every queue's next job whose channels are free. */
  private pump(): void {
    if (!this.linkReady || this.estopLatched) return;
    const busyQueues = new Set<string>();
    const busyChannels = new Set<string>();
    for (const entry of this.entries.values()) {
      if (!entry.run) continue;
      busyQueues.add(queueOf(entry.plan));
      for (const channel of entry.plan.channels) busyChannels.add(channel);
    }
    const waiting = [...this.entries.values()].filter((entry) => !entry.run).sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.job.id - b.job.id);
    for (const entry of waiting) {
      const queue = queueOf(entry.plan);
      if (busyQueues.has(queue)) continue;
      busyQueues.add(queue);
      const blocked = entry.plan.channels.find((channel) => busyChannels.has(channel));
      if (blocked) {
        this.update(entry, { detail: `waiting for ${this.names().channel(blocked)}` });
        continue;
      }
      for (const channel of entry.plan.channels) busyChannels.add(channel);
      this.launch(entry);
    }
  }

  private launch(entry: Entry): void {
    const run = new JobRun(this.options.station, entry.job.id);
    entry.run = run;
    this.update(entry, { state: 'running', startedAt: Date.now(), detail: 'starting' });
    const ctx: ProgramContext = {
      run,
      station: this.options.station,
      journal: this.options.journal,
      settings: this.options.settings,
      requestedBy: entry.job.requestedBy,
      report: (progress, etaMs, detail) => this.report(entry, progress, etaMs, detail),
      notify: (message) => this.options.station.alert('info', 'RECIPE_NOTE', `job ${entry.job.id}: ${message}`),
    };
    void this.execute(entry, ctx).then(
      (summary) => this.finish(entry, 'succeeded', summary),
      (error: unknown) => {
        const halt = run.halt ?? (error instanceof Halt ? error : null);
        if (!halt) {
          this.finish(entry, 'failed', `failed: ${(error as Error).message ?? String(error)}`);
          return;
        }
        this.finish(entry, halt.state, halt.message);
        if (halt.alert) this.options.station.alert(halt.alert.level, halt.alert.code, `job ${entry.job.id} (${describe(entry.job.spec, this.names())}): ${halt.message}`);
      },
    );
  }

  private async execute(entry: Entry, ctx: ProgramContext): Promise<string> {
    const spec = entry.job.spec;
    const started = Date.now();
    const onProgress = (fraction: number): void => {
      const elapsed = Date.now() - started;
      const eta = fraction > 0.02 && fraction < 1 ? Math.round((elapsed / fraction) * (1 - fraction)) : null;
      this.report(entry, fraction, eta, entry.job.state === 'paused' ? entry.job.detail : `${Math.round(fraction * 100)}% of ${describe(spec, this.names())}`);
    };
    if (spec.kind === 'calibrate-pump' || spec.kind === 'calibrate-flow') {
      const { summary, measured } = await runCalibration(ctx, spec, onProgress);
      entry.job = { ...entry.job, measured };
      return summary;
    }
    if (spec.kind !== 'recipe') return runSimple(ctx, spec, onProgress);
    const recipe = this.options.settings.recipe(spec.recipeId);
    if (!recipe) throw new Halt('failed', `recipe "${spec.recipeId}" was deleted before it ran`);
    const steps = recipe.steps.length;
    for (const [index, step] of recipe.steps.entries()) {
      await ctx.run.checkpoint();
      const names = this.names();
      const label = `step ${index + 1} of ${steps}: ${step.kind === 'job' ? describe(step.job, names) : step.kind === 'water-change' ? `water change of ${names.tank(step.tankId)} (drain to the floor, fill to ${litres(step.toLiters)})` : step.kind}`;
      this.report(entry, index / steps, null, label, true);
      const onStep = (fraction: number): void => this.report(entry, (index + Math.min(1, fraction)) / steps, null, label);
      // A wait says how far along it is each second, as a mix does, so a screen's time left for
      // the recipe counts down through it rather than jumping at its end.
      const waitStarted = Date.now();
      const ticker = step.kind === 'wait' ? setInterval(() => onStep(ctx.run.elapsedSince(waitStarted) / (step.seconds * 1000)), 1000) : null;
      // A step that reports for itself (an adjustment's doses and waits) reports within its share
      // of the recipe, so the recipe's progress only moves forward and its detail keeps the step.
      const stepCtx: ProgramContext = { ...ctx, report: (fraction, _etaMs, detail) => this.report(entry, (index + Math.min(1, fraction)) / steps, null, `${label} (${detail})`) };
      try {
        await runStep(stepCtx, step, onStep);
      } finally {
        if (ticker) clearInterval(ticker);
      }
    }
    return `${recipe.name}: all ${steps} steps done`;
  }

  private report(entry: Entry, progress: number, etaMs: number | null, detail: string, now = false): void {
    if (FINISHED.has(entry.job.state)) return;
    const at = Date.now();
    entry.job = { ...entry.job, progress: Math.max(0, Math.min(1, progress)), etaMs, detail: entry.job.state === 'paused' ? entry.job.detail : detail };
    if (!now && at - entry.lastReportAt < PROGRESS_EVERY_MS) return;
    entry.lastReportAt = at;
    this.options.journal.updateJob(entry.job.id, { progress: entry.job.progress, detail: entry.job.detail });
    this.options.publish(entry.job);
  }

  private update(entry: Entry, patch: Partial<Job>): void {
    entry.job = { ...entry.job, ...patch };
    entry.lastReportAt = Date.now();
    const { state, startedAt, endedAt, progress, detail } = patch;
    this.options.journal.updateJob(entry.job.id, Object.fromEntries(Object.entries({ state, startedAt, endedAt, progress, detail }).filter(([, v]) => v !== undefined && v !== null)));
    this.options.publish(entry.job);
  }

  private finish(entry: Entry, state: JobState, detail: string): void {
    if (FINISHED.has(entry.job.state)) return;
    this.entries.delete(entry.job.id);
    // A job that stopped part way says what went into the tank, so nothing is dosed twice.
    if (entry.run && (state === 'failed' || state === 'cancelled') && deliversSomething(entry.job.spec)) {
      const delivered = roundedDelivery(entry.run.delivered);
      entry.job = { ...entry.job, delivered };
      detail = `${detail}. ${deliveryWords(delivered, (id) => this.channelName(id))}`;
    }
    this.update(entry, { state, endedAt: Date.now(), detail, progress: state === 'succeeded' ? 1 : entry.job.progress, etaMs: null });
    this.pump();
  }
}

function deliversSomething(spec: JobSpec): boolean {
  return spec.kind !== 'mix';
}

function roundedDelivery(delivered: JobDelivered): JobDelivered {
  const dosedMl = Object.fromEntries(Object.entries(delivered.dosedMl).map(([pumpId, ml]) => [pumpId, Math.round(ml * 100) / 100]));
  return { dosedMl, filledL: Math.round(delivered.filledL * 100) / 100, drainedL: Math.round(delivered.drainedL * 100) / 100 };
}

/** What a stopped job delivered, in words: "Before it stopped: 12.5 mL of Nutrient A, 3.2 L filled". */
export function deliveryWords(delivered: JobDelivered, nameOf: (channelId: string) => string): string {
  const parts = Object.entries(delivered.dosedMl)
    .filter(([, ml]) => ml > 0)
    .map(([pumpId, ml]) => `${millilitres(ml)} of ${nameOf(pumpId)}`);
  if (delivered.filledL > 0) parts.push(`${litres(delivered.filledL)} filled`);
  if (delivered.drainedL > 0) parts.push(`${litres(delivered.drainedL)} drained`);
  return parts.length > 0 ? `Before it stopped: ${parts.join(', ')}` : 'Nothing was dosed, filled or drained before it stopped';
}

function queueOf(plan: JobPlan): string {
  return plan.tankId ?? STATION_QUEUE;
}

function notFound(id: number): JobAnswer {
  return { ok: false, error: { code: 'NOT_FOUND', message: `there is no unfinished job ${id}; it may have ended already (see /api/jobs)` } };
}

/** How a job's words name what it works on: the grower's names, or the ids where none is known. */
export interface JobNames {
  channel(id: string): string;
  tank(id: string): string;
  recipe(id: string): string;
}

const BY_ID: JobNames = { channel: (id) => id, tank: (id) => id, recipe: (id) => id };

/** The names the station knows now. */
export function namesIn(state: Pick<StationState, 'channels' | 'tanks' | 'recipes'>): JobNames {
  const named = (list: readonly { id: string; name: string }[]) => (id: string) => list.find((item) => item.id === id)?.name || id;
  return { channel: named(state.channels), tank: named(state.tanks), recipe: named(state.recipes) };
}

/** A volume or a time as typed in other units and converted: 37.85411784 L reads 37.85 L. */
function rounded(value: number): string {
  return (Math.round(value * 100) / 100).toString();
}

/** A job in a few words, for details and refusals. */
export function describe(spec: JobSpec, names: JobNames = BY_ID): string {
  switch (spec.kind) {
    case 'dose':
      return `dose ${rounded(spec.ml)} mL with ${names.channel(spec.pumpId)}`;
    case 'fill':
      return `fill ${names.tank(spec.tankId)} with ${litres(spec.liters)}`;
    case 'fill-to':
      return `fill ${names.tank(spec.tankId)} to ${litres(spec.toLiters)}`;
    case 'drain':
      return `drain ${litres(spec.liters)} from ${names.tank(spec.tankId)}`;
    case 'drain-to':
      return `drain ${names.tank(spec.tankId)} to ${litres(spec.toLiters)}`;
    case 'mix':
      return `run ${names.channel(spec.relayId)} for ${rounded(spec.seconds)} s`;
    case 'adjust-ph':
      return `bring pH of ${names.tank(spec.tankId)} to ${spec.target} ± ${spec.band}`;
    case 'adjust-ec':
      return `bring EC of ${names.tank(spec.tankId)} to ${spec.target} ± ${spec.band}`;
    case 'recipe':
      return `recipe ${names.recipe(spec.recipeId)}`;
    case 'calibrate-pump':
      return `calibration run of ${names.channel(spec.pumpId)} for ${rounded(spec.seconds)} s`;
    case 'calibrate-flow':
      return `calibration fill of ${names.tank(spec.tankId)} with about ${litres(spec.liters)}`;
  }
}
