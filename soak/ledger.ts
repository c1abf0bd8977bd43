/**
 * The soak's judge: what the simulated station really did, checked against the safety rules.
 * Pure. It is fed the simulator's snapshots (its ground truth, never Tendril's own view) and
 * what the soak did to the station, and it counts every broken rule with a line saying when
 * and how.
 */

/** The parts of the simulator's snapshot the judge reads. */
export interface Truth {
  /** Simulated time since power-on. */
  simMs: number;
  relays: Record<string, boolean>;
  pumps: Record<string, boolean>;
  tank: { volumeL: number; peakVolumeL: number };
  dosedMl: Record<string, number>;
  /** The latest pump runs, each with the simulated time it ended. */
  pumpRuns: { ended: number; recent: Array<{ pump: string; ml: number; endedSimMs: number }> };
}

/** The dose audit's totals by pump: what it knows was delivered, and the most of what it cannot know. */
export interface Audited {
  known: Record<string, number>;
  atMost: Record<string, number>;
}

export interface Rules {
  /** Per pump: the host's caps. */
  caps: Record<string, { maxMlPerDose: number; maxMlPerDay: number }>;
  /**
   * How much shorter than a simulated day the daily cap's window is judged, in simulated ms.
   * Tendril counts a dose in its day from when it asked for it, by its own clock; the simulator
   * ends the run later by its clock, by the run's length and the link's latency times the speed-up.
   * A run is judged with the runs that ended within a day less this before it, so that the two
   * clocks' difference never reads as an overdose. 0 when they are one clock.
   */
  dayEdgeMs?: number;
  /** Capacity minus headroom: the level no fill may pass. */
  overflowL: number;
  /** The device watchdog: outputs must be off this long after the host falls silent, plus a second. */
  watchdogMs: number;
  /** Outputs that may stay on by themselves after a fault (light and air, never a pump or a valve). */
  mayStayOn: ReadonlySet<string>;
}

export interface Counters {
  overdoses: number;
  overflows: number;
  late_offs: number;
  resumed: number;
  lost: number;
  diverged: number;
}

const DAY_MS = 24 * 3_600_000;
/** Ground truth and the audit agree within this share (or 0.1 mL, whichever is more). */
export const AUDIT_TOLERANCE = 0.01;
/** A delivered run over its cap by less than this is the pump's own rounding, not an overdose. */
const CAP_SLACK = 1.01;
/** How long a link loss may take to switch the outputs off, beyond the watchdog. */
const LATE_AFTER_WATCHDOG_MS = 1_000;

export class SoakLedger {
  readonly counts: Counters = { overdoses: 0, overflows: 0, late_offs: 0, resumed: 0, lost: 0, diverged: 0 };
  /** One line per broken rule, for the report. */
  readonly failures: string[] = [];
  /** How long each expected switch-off took, in ms. */
  readonly offTimes: number[] = [];
  /** Every pump run the simulator reported, with when the soak saw it end (its clock, ms) and when it ended (simulated ms). */
  readonly runs: Array<{ pump: string; ml: number; at: number; endedSimMs: number }> = [];
  private runsSeen = 0;
  /** Per pump, the runs within the last simulated day, by the simulated time they ended. */
  private readonly daily = new Map<string, Array<{ endedSimMs: number; ml: number }>>();
  private overflowing = false;
  private outage: { since: number; what: string; withinMs: number } | null = null;
  private handsOff: { since: number; what: string } | null = null;
  private last: Truth | null = null;

  constructor(private readonly rules: Rules) {}

  /** A snapshot of the simulator, taken at `at` (the soak's clock, ms). */
  observe(truth: Truth, at: number): void {
    this.checkRuns(truth, at);
    this.checkLevel(truth, at);
    this.checkOutage(truth, at);
    this.checkHandsOff(truth, at);
    this.last = truth;
  }

  /**
   * Every output must be off within `withinMs` of `at`: the host stopped talking to the device
   * (unplugged, silent, killed: the device's watchdog plus a second), or an emergency stop.
   */
  expectAllOff(at: number, what: string, withinMs = this.rules.watchdogMs + LATE_AFTER_WATCHDOG_MS): void {
    if (!this.outage) this.outage = { since: at, what, withinMs };
  }

  /** Whether an expected switch-off is still awaited. */
  get awaitingOff(): boolean {
    return this.outage !== null;
  }

  /**
   * From now until `handsOn`, nothing may start a pump or a valve: the station is recovering
   * from `what`, and nobody asked for anything. Whatever starts now resumed by itself.
   */
  handsOffFrom(at: number, what: string): void {
    this.handsOff = { since: at, what };
  }

  handsOn(): void {
    this.handsOff = null;
  }

  /** An accepted job that has no final state where it must have one. */
  lostJob(what: string): void {
    this.fail('lost', what);
  }

  /** A screen whose copy of the state did not hash to the station's. */
  divergedScreen(what: string): void {
    this.fail('diverged', what);
  }

  /**
   * What each pump really delivered against the dose audit, at the end: equal within 1%, where
   * the doses Tendril was killed during count anywhere from nothing to their full amount.
   */
  checkAudit(audited: Audited): void {
    const truth = this.last?.dosedMl ?? {};
    for (const pump of new Set([...Object.keys(truth), ...Object.keys(audited.known), ...Object.keys(audited.atMost)])) {
      const real = truth[pump] ?? 0;
      const known = audited.known[pump] ?? 0;
      const atMost = audited.atMost[pump] ?? 0;
      const slack = Math.max(0.1, real * AUDIT_TOLERANCE);
      if (real < known - slack || real > known + atMost + slack) {
        const says = atMost > 0 ? `${known.toFixed(1)} mL, and at most ${atMost.toFixed(1)} mL more from doses Tendril was stopped during` : `${known.toFixed(1)} mL`;
        this.fail('overdoses', `${pump}: the pump delivered ${real.toFixed(1)} mL in all, the dose audit says ${says}`);
      }
    }
  }

  allClear(): boolean {
    return Object.values(this.counts).every((n) => n === 0);
  }

  private checkRuns(truth: Truth, at: number): void {
    const { ended, recent } = truth.pumpRuns;
    const fresh = Math.min(ended - this.runsSeen, recent.length);
    if (ended - this.runsSeen > recent.length) {
      this.failures.push(`note: ${ended - this.runsSeen - recent.length} pump runs ended unseen between two looks`);
    }
    this.runsSeen = ended;
    for (const run of recent.slice(recent.length - fresh)) {
      this.runs.push({ pump: run.pump, ml: run.ml, at, endedSimMs: run.endedSimMs });
      const caps = this.rules.caps[run.pump];
      if (!caps) continue;
      if (run.ml > caps.maxMlPerDose * CAP_SLACK) {
        this.fail('overdoses', `${run.pump} ran for ${run.ml.toFixed(1)} mL in one go, over its ${caps.maxMlPerDose} mL cap per dose`);
      }
      // The simulator's clock, not the soak's: a day of the station, however fast it runs.
      const dayFrom = run.endedSimMs - (DAY_MS - (this.rules.dayEdgeMs ?? 0));
      const day = (this.daily.get(run.pump) ?? []).filter((entry) => entry.endedSimMs > dayFrom);
      day.push({ endedSimMs: run.endedSimMs, ml: run.ml });
      this.daily.set(run.pump, day);
      const total = day.reduce((sum, entry) => sum + entry.ml, 0);
      if (total > caps.maxMlPerDay * CAP_SLACK) {
        this.fail('overdoses', `${run.pump} delivered ${total.toFixed(1)} mL within a day, over its ${caps.maxMlPerDay} mL cap per day`);
      }
    }
  }

  private checkLevel(truth: Truth, at: number): void {
    const over = truth.tank.peakVolumeL > this.rules.overflowL && truth.tank.volumeL > this.rules.overflowL - 0.5;
    const newPeak = this.last !== null && truth.tank.peakVolumeL > this.last.tank.peakVolumeL && truth.tank.peakVolumeL > this.rules.overflowL;
    if ((over || newPeak) && !this.overflowing) {
      this.fail('overflows', `the tank reached ${truth.tank.peakVolumeL.toFixed(2)} L, past its ${this.rules.overflowL} L limit (at ${at} ms)`);
    }
    this.overflowing = over;
  }

  private checkOutage(truth: Truth, at: number): void {
    if (!this.outage) return;
    const on = this.onOutputs(truth, false);
    const waited = at - this.outage.since;
    if (on.length === 0) {
      this.offTimes.push(waited);
      this.outage = null;
      return;
    }
    if (waited > this.outage.withinMs) {
      this.fail('late_offs', `${on.join(', ')} still on ${waited} ms after ${this.outage.what} (allowed: ${this.outage.withinMs} ms)`);
      this.outage = null;
    }
  }

  private checkHandsOff(truth: Truth, at: number): void {
    if (!this.handsOff) return;
    const started = this.onOutputs(truth, true).filter((id) => !(this.last?.pumps[id] || this.last?.relays[id]));
    if (started.length > 0) {
      this.fail('resumed', `${started.join(', ')} came on by itself ${at - this.handsOff.since} ms after ${this.handsOff.what}`);
      this.handsOff = null;
    }
  }

  /** Pumps and valves that are on; with `onlyRisky`, leaving out what may stay on. */
  private onOutputs(truth: Truth, onlyRisky: boolean): string[] {
    const pumps = Object.entries(truth.pumps).filter(([, on]) => on).map(([id]) => id);
    const relays = Object.entries(truth.relays)
      .filter(([id, on]) => on && !(onlyRisky && this.rules.mayStayOn.has(id)))
      .map(([id]) => id);
    return [...pumps, ...relays];
  }

  private fail(counter: keyof Counters, what: string): void {
    this.counts[counter]++;
    this.failures.push(`${counter}: ${what}`);
  }
}
