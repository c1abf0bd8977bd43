/**
 * The outputs and the timed actions running on them (bounded relays, doses, fills), each ended
 * by the device's own clock. Pure: time only moves when the device calls `advanceTo`, and all
 * it produces is calls into the event sink.
 */
import type { FieldValues } from '../protocol';
import type { FlowSpec, PumpSpec, RelaySpec, StationLayout } from './layout';
import type { TankPhysics } from './physics';

export type EndReason = 'complete' | 'bound' | 'noflow' | 'stop' | 'estop' | 'watchdog';
export type RelayWhy = 'cmd' | 'bound' | 'fill' | 'stop' | 'estop' | 'watchdog' | 'button';

export interface ActionSink {
  event(name: string, fields: FieldValues): void;
  alarm(code: string, msg: string): void;
}

interface Dose {
  pump: PumpSpec;
  targetMl: number;
  /** The host's calibration: delivered volume is reported as run time × this. */
  hostMlPerS: number;
  startedAt: number;
  completeAt: number;
  boundAt: number;
  nextProgressAt: number;
}

interface Fill {
  valve: RelaySpec;
  meter: FlowSpec;
  target: number;
  startPulses: number;
  boundAt: number;
  noflowMs: number;
  lastPulses: number;
  lastPulseAt: number;
  nextProgressAt: number;
}

interface MeterReport {
  pulses: number;
  rate: number;
  nextAt: number;
}

/** While something runs, physics advances in steps this small so pulses are noticed promptly. */
const ACTIVE_STEP_MS = 100;

export class Actuators {
  private readonly relayBounds = new Map<string, number>();
  private readonly doses = new Map<string, Dose>();
  private readonly fills = new Map<string, Fill>();
  private readonly meters = new Map<string, MeterReport>();
  private readonly pulsesAtBoot = new Map<string, number>();
  /** Simulated ms; kept here rather than read back from physics so deadlines land exactly. */
  private clock: number;

  /**
   * @param progressMs simulated ms between progress events; the device shortens it when
   *   simulated time runs slower than real time so hosts still hear from a run twice a second.
   */
  constructor(
    private readonly physics: TankPhysics,
    private readonly layout: StationLayout,
    private readonly sink: ActionSink,
    private readonly progressMs: number,
  ) {
    this.clock = physics.simMs;
    const now = this.clock;
    for (const meter of layout.flows) {
      this.pulsesAtBoot.set(meter.id, physics.pulses(meter.id));
      this.meters.set(meter.id, { pulses: 0, rate: 0, nextAt: now + 2 * progressMs });
    }
  }

  relayOn(id: string): boolean {
    return this.physics.relayOn(id);
  }

  get simMs(): number {
    return this.clock;
  }

  dosing(pumpId: string): boolean {
    return this.doses.has(pumpId);
  }

  /** True while a fill holds the channel, as its valve or as its flow meter. */
  filling(id: string): boolean {
    return this.fills.has(id) || this.fillUsing(id) !== undefined;
  }

  /** A SET: `boundMs` switches the relay off by itself later. */
  setRelay(relay: RelaySpec, on: boolean, boundMs?: number): void {
    const fill = this.fills.get(relay.id);
    if (fill && !on) this.endFill(fill, 'stop', 'cmd');
    if (on && boundMs !== undefined) this.relayBounds.set(relay.id, this.clock + boundMs);
    else this.relayBounds.delete(relay.id);
    this.switchRelay(relay.id, on, 'cmd');
  }

  /**
   * A grower switching a relay with its button on the controller, no host involved. On, it keeps
   * the channel's own time bound, as a SET without `max` would; off ends a fill on that valve.
   */
  pressRelayButton(relay: RelaySpec, on: boolean): void {
    const fill = this.fills.get(relay.id);
    if (on && this.filling(relay.id)) throw new Error(`${relay.id} is filling; its button does nothing until the fill ends`);
    if (fill) this.endFill(fill, 'stop', 'button');
    if (on && relay.maxMs !== undefined) this.relayBounds.set(relay.id, this.clock + relay.maxMs);
    else this.relayBounds.delete(relay.id);
    this.switchRelay(relay.id, on, 'button');
  }

  startDose(pump: PumpSpec, ml: number, hostMlPerS: number, maxMs: number): void {
    const now = this.clock;
    this.doses.set(pump.id, {
      pump,
      targetMl: ml,
      hostMlPerS,
      startedAt: now,
      completeAt: now + (ml / hostMlPerS) * 1000,
      boundAt: now + Math.min(maxMs, pump.maxMs),
      nextProgressAt: now + this.progressMs,
    });
    this.physics.setPump(pump.id, true);
  }

  startFill(valve: RelaySpec, meter: FlowSpec, pulses: number, maxMs: number, noflowMs: number): void {
    const now = this.clock;
    const counted = this.physics.pulses(meter.id);
    this.fills.set(valve.id, {
      valve,
      meter,
      target: pulses,
      startPulses: counted,
      boundAt: now + maxMs,
      noflowMs,
      lastPulses: counted,
      lastPulseAt: now,
      nextProgressAt: now + this.progressMs,
    });
    this.relayBounds.delete(valve.id);
    this.switchRelay(valve.id, true, 'fill');
  }

  /** STOP for one channel: ends its action and switches it off. */
  stop(id: string): void {
    const dose = this.doses.get(id);
    if (dose) this.endDose(dose, 'stop');
    const fill = this.fills.get(id) ?? this.fillUsing(id);
    if (fill) this.endFill(fill, 'stop', 'stop');
    if (this.physics.relayOn(id)) {
      this.relayBounds.delete(id);
      this.switchRelay(id, false, 'stop');
    }
  }

  /** Every action ends with `why`, then every output goes off. */
  allOff(why: 'stop' | 'estop' | 'watchdog'): void {
    for (const dose of [...this.doses.values()]) this.endDose(dose, why);
    for (const fill of [...this.fills.values()]) this.endFill(fill, why, why);
    this.relayBounds.clear();
    for (const relay of this.layout.relays) {
      if (this.physics.relayOn(relay.id)) this.switchRelay(relay.id, false, why);
    }
    for (const pump of this.layout.pumps) this.physics.setPump(pump.id, false);
  }

  pumpState(id: string): FieldValues {
    const dose = this.doses.get(id);
    if (!dose) return { run: 0 };
    return { run: 1, ml: this.deliveredMl(dose, this.clock), target: dose.targetMl.toFixed(2) };
  }

  flowState(id: string): { pulses: number; rate: number } {
    return { pulses: this.pulsesSinceBoot(id), rate: roundRate(this.physics.pulseRate(id)) };
  }

  /** Runs physics and every action's clock up to simulated time `simMs`. */
  advanceTo(simMs: number): void {
    while (this.clock < simMs) {
      const until = Math.min(simMs, this.nextDeadline(this.clock));
      this.physics.step(until - this.clock);
      this.clock = until;
      this.settle(until);
    }
  }

  runningSummary(): { doses: string[]; fills: string[] } {
    return { doses: [...this.doses.keys()], fills: [...this.fills.keys()] };
  }

  private nextDeadline(now: number): number {
    let next = Infinity;
    for (const until of this.relayBounds.values()) next = Math.min(next, until);
    for (const dose of this.doses.values()) next = Math.min(next, dose.completeAt, dose.boundAt, dose.nextProgressAt);
    for (const fill of this.fills.values()) {
      const complete = this.physics.msUntilPulses(fill.meter.id, fill.startPulses + fill.target);
      // Whole ms, at least one: lands just past the target pulse instead of a hair before it.
      next = Math.min(next, now + Math.max(1, Math.ceil(complete)), fill.boundAt, fill.nextProgressAt);
      next = Math.min(next, fill.lastPulseAt + fill.noflowMs);
    }
    for (const report of this.meters.values()) next = Math.min(next, report.nextAt);
    if (this.doses.size > 0 || this.fills.size > 0) next = Math.min(next, now + ACTIVE_STEP_MS);
    // Everything due at `now` was settled already; never stand still.
    return Math.max(next, now + 0.001);
  }

  private settle(now: number): void {
    for (const [id, until] of this.relayBounds) {
      if (now < until) continue;
      this.relayBounds.delete(id);
      this.switchRelay(id, false, 'bound');
    }
    for (const dose of [...this.doses.values()]) this.settleDose(dose, now);
    for (const fill of [...this.fills.values()]) this.settleFill(fill, now);
    for (const [id, report] of this.meters) {
      if (now < report.nextAt) continue;
      report.nextAt = now + 2 * this.progressMs;
      const state = this.flowState(id);
      // Report while pulses arrive, plus once more when the rate changes, so hosts see it settle.
      if (state.pulses !== report.pulses || state.rate !== report.rate) this.sink.event('flow', { ch: id, ...state });
      report.pulses = state.pulses;
      report.rate = state.rate;
    }
  }

  private settleDose(dose: Dose, now: number): void {
    if (now >= dose.completeAt && dose.completeAt <= dose.boundAt) return this.endDose(dose, 'complete');
    if (now >= dose.boundAt) return this.endDose(dose, 'bound');
    if (now >= dose.nextProgressAt) {
      dose.nextProgressAt += this.progressMs;
      this.sink.event('dose', { ch: dose.pump.id, ml: this.deliveredMl(dose, now), target: dose.targetMl.toFixed(2) });
    }
  }

  private settleFill(fill: Fill, now: number): void {
    const pulses = this.physics.pulses(fill.meter.id);
    if (pulses !== fill.lastPulses) {
      fill.lastPulses = pulses;
      fill.lastPulseAt = now;
    }
    if (pulses - fill.startPulses >= fill.target) return this.endFill(fill, 'complete', 'fill');
    if (now >= fill.boundAt) return this.endFill(fill, 'bound', 'fill');
    if (now >= fill.lastPulseAt + fill.noflowMs) return this.endFill(fill, 'noflow', 'fill');
    if (now >= fill.nextProgressAt) {
      fill.nextProgressAt += this.progressMs;
      this.sink.event('fill', { ch: fill.valve.id, pulses: pulses - fill.startPulses, target: fill.target });
    }
  }

  private endDose(dose: Dose, why: EndReason): void {
    this.doses.delete(dose.pump.id);
    this.physics.setPump(dose.pump.id, false);
    const ml = why === 'complete' ? dose.targetMl.toFixed(2) : this.deliveredMl(dose, this.clock);
    this.sink.event('dose', { ch: dose.pump.id, ml, target: dose.targetMl.toFixed(2), done: 1, why });
    if (why === 'bound') this.sink.alarm('BOUND', `dose on ${dose.pump.id} ended by its time bound`);
  }

  private endFill(fill: Fill, why: EndReason, relayWhy: RelayWhy): void {
    this.fills.delete(fill.valve.id);
    this.physics.setRelay(fill.valve.id, false);
    const pulses = this.physics.pulses(fill.meter.id) - fill.startPulses;
    this.sink.event('fill', { ch: fill.valve.id, pulses, target: fill.target, done: 1, why });
    this.sink.event('relay', { ch: fill.valve.id, on: 0, why: relayWhy });
    if (why === 'bound') this.sink.alarm('BOUND', `fill on ${fill.valve.id} ended by its time bound`);
  }

  private switchRelay(id: string, on: boolean, why: RelayWhy): void {
    if (this.physics.relayOn(id) === on) return;
    this.physics.setRelay(id, on);
    this.sink.event('relay', { ch: id, on: on ? 1 : 0, why });
  }

  private deliveredMl(dose: Dose, now: number): string {
    const runMs = Math.min(now, dose.completeAt, dose.boundAt) - dose.startedAt;
    return ((runMs / 1000) * dose.hostMlPerS).toFixed(2);
  }

  private fillUsing(meterId: string): Fill | undefined {
    for (const fill of this.fills.values()) if (fill.meter.id === meterId) return fill;
    return undefined;
  }

  private pulsesSinceBoot(id: string): number {
    return this.physics.pulses(id) - (this.pulsesAtBoot.get(id) ?? 0);
  }
}

function roundRate(perS: number): number {
  return Math.round(perS * 10) / 10;
}
