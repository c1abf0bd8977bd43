/**
 * One running job's hands on the station: dose, fill, switch, wait. Each effect waits for the
 * controller to report the end of what it started, follows pause and cancel, and never lets a
 * halted job leave an output on. The job programs (programs.ts) are written against this.
 *
 * The device does the timed part within its own bounds (run time, pulse target, no-flow and time
 * limits, and its watchdog if the host goes away); this side supervises and verifies.
 */
import type { StationChange } from '../../shared/events';
import type { JobDelivered } from '../../shared/jobs';
import { isRefusal } from '../../shared/refusal';
import type { Reading } from '../../shared/station';
import type { JobStation } from './ports';

/** Why a job stopped before its end: the state it ends in, and the words for the grower. */
export class Halt extends Error {
  constructor(
    readonly state: 'cancelled' | 'failed',
    message: string,
    /** Set when the grower must be told even if no screen is open. */
    readonly alert?: { code: string; level: 'error' | 'warning' },
  ) {
    super(message);
  }
}

/** How a device action ended, as the controller reported it. */
export interface ActionEnd {
  why: string;
  /** Millilitres or pulses done by then. */
  amount: number;
  /**
   * False when the controller's end report never came (the link lost, the line lost, a pause
   * not answered): `amount` is then the last progress heard, and the action may have done more,
   * up to what it was asked.
   */
  known?: boolean;
}

/** The controller should report a dose's or fill's end within its bound; this is the slack after. */
const END_REPORT_SLACK_MS = 5_000;
/** How long a halted action may take to report what it delivered before the last progress counts. */
const STOP_REPORT_MS = 3_000;

type Waiter = { resolve: () => void; reject: (halt: Halt) => void };

export class JobRun {
  private halted: Halt | null = null;
  private paused = false;
  private readonly waiters = new Set<Waiter>();
  private readonly resumers = new Set<() => void>();
  /** Channels with something running for this job now: stopped on pause, cancel or failure. */
  readonly active = new Set<string>();
  /**
   * Controller milliseconds per host millisecond: 1 on real hardware, the simulated station's
   * time scale otherwise. A job's waits are in the controller's time, so a mix, a mixing wait
   * and a recipe's wait end when the device's own bounds expect them to.
   */
  readonly timeScale: number;
  /** What this job has delivered so far, for the words a failed or cancelled job ends with. */
  readonly delivered: JobDelivered = { dosedMl: {}, filledL: 0, drainedL: 0 };

  constructor(
    private readonly station: JobStation,
    readonly id: number,
  ) {
    const scale = station.timeScale?.() ?? 1;
    this.timeScale = Number.isFinite(scale) && scale > 0 ? scale : 1;
  }

  /** Controller milliseconds that passed since the host time `since` (a Date.now()). */
  elapsedSince(since: number): number {
    return (Date.now() - since) * this.timeScale;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get halt(): Halt | null {
    return this.halted;
  }

  /** Ends the job from outside (cancel, emergency stop, link lost). Outputs are stopped by the effects. */
  stop(halt: Halt): void {
    if (this.halted) return;
    this.halted = halt;
    for (const waiter of this.waiters) waiter.reject(halt);
    this.waiters.clear();
    for (const resume of this.resumers) resume();
    this.resumers.clear();
    if (!linkLost(halt)) for (const channel of this.active) void this.station.stop(channel).catch(() => {});
  }

  pause(): void {
    if (this.paused || this.halted) return;
    this.paused = true;
    for (const waiter of this.waiters) waiter.resolve();
    for (const channel of this.active) void this.station.stop(channel).catch(() => {});
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const resume of this.resumers) resume();
    this.resumers.clear();
  }

  /** Throws if halted; waits while paused. */
  async checkpoint(): Promise<void> {
    for (;;) {
      if (this.halted) throw this.halted;
      if (!this.paused) return;
      await new Promise<void>((resolve) => this.resumers.add(resolve));
    }
  }

  /** Counts what a dose, a fill or a drain delivered, however it ended. */
  record(what: { pumpId: string; ml: number } | { filledL: number } | { drainedL: number }): void {
    if ('pumpId' in what) this.delivered.dosedMl[what.pumpId] = (this.delivered.dosedMl[what.pumpId] ?? 0) + what.ml;
    else if ('filledL' in what) this.delivered.filledL += what.filledL;
    else this.delivered.drainedL += what.drainedL;
  }

  reading(sensorId: string): Reading | undefined {
    return this.station.state().readings[sensorId];
  }

  /**
   * Waits `ms` of running time on the controller's clock: paused time does not count. Resolves
   * early only on a pause request, so the caller can put its outputs in a safe state first.
   */
  async sleep(ms: number, onPause?: () => Promise<void>, onResume?: () => Promise<void>): Promise<void> {
    let left = ms;
    while (left > 0) {
      await this.checkpoint();
      const started = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await this.interruptible((resolve) => {
        timer = setTimeout(resolve, Math.ceil(left / this.timeScale));
      }).finally(() => clearTimeout(timer));
      left -= this.elapsedSince(started);
      if (this.paused && left > 0) {
        await onPause?.();
        await this.checkpoint();
        await onResume?.();
      }
    }
  }

  /**
   * Runs one device action (a dose or a fill) to its reported end. `start` sends the command;
   * `end` recognises the change that reports the end, `progress` the ones before it. On a halt
   * the channel is stopped and what was delivered by then is returned with the halt.
   */
  async deviceAction(
    channel: string,
    start: () => Promise<void>,
    match: (change: StationChange) => { done: boolean; why: string | null; amount: number } | null,
    boundMs: number,
    onProgress?: (amount: number) => void,
  ): Promise<ActionEnd> {
    // Filled in by the listener; an object, because the awaits below cannot see a local change.
    const report: { last: number; ended: ActionEnd | null; settle: (() => void) | null } = { last: 0, ended: null, settle: null };
    const off = this.station.onChange((change) => {
      const seen = match(change);
      if (!seen) return;
      report.last = seen.amount;
      if (seen.done) {
        report.ended = { why: seen.why ?? 'complete', amount: seen.amount, known: true };
        report.settle?.();
      } else {
        onProgress?.(seen.amount);
      }
    });
    this.active.add(channel);
    try {
      await start();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await this.interruptible((resolve, reject) => {
          if (report.ended) return resolve();
          report.settle = resolve;
          timer = setTimeout(
            () => reject(new Halt('failed', `the controller did not report the end of the action on ${channel} within its bound; it was told to stop`, { code: 'NO_END_REPORT', level: 'error' })),
            boundMs / this.timeScale + END_REPORT_SLACK_MS,
          );
        });
      } finally {
        clearTimeout(timer);
      }
      if (!report.ended) {
        // A pause: the channel was told to stop; wait for the controller to say how far it got.
        await this.untilEnded(report);
      }
      return report.ended ?? { why: 'stop', amount: report.last, known: false };
    } catch (error) {
      if (error instanceof Halt) {
        if (!report.ended && !linkLost(error)) {
          await this.station.stop(channel).catch(() => {});
          await this.untilEnded(report);
        }
        throw Object.assign(error, { delivered: report.ended?.amount ?? report.last, deliveredKnown: report.ended !== null });
      }
      // The command failed, yet it may have reached the controller (sent and never answered):
      // give it the time a stopped action has to report how it ended.
      if (mayHaveArrived(error)) await this.untilEnded(report);
      // It ran, and the controller said how it ended: that is what happened.
      if (report.ended) return report.ended;
      // Otherwise what it did is not known unless it certainly never arrived.
      if (error instanceof Error) Object.assign(error, { delivered: report.last, deliveredKnown: !mayHaveArrived(error) });
      throw error;
    } finally {
      off();
      this.active.delete(channel);
    }
  }

  /** Waits a short while for an action's end report after a stop. */
  private async untilEnded(report: { ended: ActionEnd | null; settle: (() => void) | null }): Promise<void> {
    if (report.ended) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      report.settle = resolve;
      timer = setTimeout(resolve, STOP_REPORT_MS);
    });
    clearTimeout(timer);
  }

  /** A promise that also settles on a halt (rejecting) or a pause (resolving), so no wait outlives its reason. */
  private interruptible(body: (resolve: () => void, reject: (halt: Halt) => void) => void): Promise<void> {
    if (this.halted) return Promise.reject(this.halted);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          this.waiters.delete(waiter);
          resolve();
        },
        reject: (halt) => {
          this.waiters.delete(waiter);
          reject(halt);
        },
      };
      this.waiters.add(waiter);
      body(waiter.resolve, waiter.reject);
    });
  }
}

/** What was delivered when a halt (or a failed command) came mid-action, attached by deviceAction. */
export function deliveredBeforeHalt(halt: unknown): number | undefined {
  return (halt as { delivered?: number } | null)?.delivered;
}

/**
 * Whether what an action delivered before it was stopped or failed is known from the
 * controller's own end report. Not known: `deliveredBeforeHalt` is then a lower bound, and the
 * action may have done up to all it was asked.
 */
export function deliveredKnown(error: unknown): boolean {
  return (error as { deliveredKnown?: boolean } | null)?.deliveredKnown ?? true;
}

/** A failed command that may still have reached the controller; anything but a refusal may have. */
function mayHaveArrived(error: unknown): boolean {
  return isRefusal(error) ? error.mayHaveArrived : true;
}

export const LINK_LOST = 'LINK_LOST';

function linkLost(halt: Halt): boolean {
  return halt.alert?.code === LINK_LOST;
}
