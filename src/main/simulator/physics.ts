/**
 * The tank and its plumbing as a pure model stepped by simulated time. No clocks, no I/O: the
 * device decides what is switched on and how much time passes.
 *
 * Chemistry is deliberately simple. EC is tap-water EC plus a constant per mL of nutrient per
 * litre. pH is linear in "acid equivalents" per litre (pH down adds, pH up removes, nutrients
 * add a little), clamped to what a real probe can show. Both are tracked as amounts in the tank,
 * so filling dilutes and evaporation concentrates them without extra rules.
 */
import type { Chemical, FlowSpec, PumpSpec, RelaySpec, SensorSpec, StationLayout } from './layout';
import { seededRandom, type Random } from './prng';

const TAP_EC = 0.3;
const EC_PER_ML_PER_L = 0.5;
const TAP_PH = 7.5;
const PH_PER_ACID_ML_PER_L = 5;
const NUTRIENT_ACIDITY = 0.05;
const PH_PROBE_RANGE: readonly [number, number] = [3, 10];
/** Plants drink and water evaporates: slow, but enough to drift EC up over a day. */
const EVAPORATION_L_PER_H = 0.1;
/** Roots and CO2 exchange slowly push pH up. */
const PH_RISE_PER_H = 0.05;
/** How fast a dose spreads through the tank, by how many mixing relays are on (0, 1, 2+). */
const MIX_TAU_MS = [90_000, 10_000, 6_000] as const;
const AMBIENT_C = 20;
const AMBIENT_SWING_C = 1;
const AMBIENT_PERIOD_MS = 6 * 3_600_000;
const LIGHTS_WARMING_C = 1.5;
const WATER_TEMP_TAU_MS = 30 * 60_000;
/** Probes out of the water read nonsense; below this the sensors report dry values. */
const DRY_L = 0.5;
const FULL_MARGIN_L = 0.05;
/** Longest internal step, so flows and clamps stay accurate when a caller steps a minute. */
const MAX_STEP_MS = 250;
const HOUR_MS = 3_600_000;
/** Ended pump runs kept for whoever checks them; a checker that looks a few times a second misses none. */
const RUN_LEDGER = 256;

/** One pump run, switch-on to switch-off, as the pump really delivered it. */
export interface PumpRun {
  pump: string;
  ml: number;
  /** Simulated time the pump switched off. */
  endedSimMs: number;
}

/** How far a drifted probe reads from the truth: `slope` × truth + `offset`. */
export interface ProbeError {
  offset: number;
  slope: number;
}

export interface TankTruth {
  volumeL: number;
  ec: number;
  ph: number;
  tempC: number;
  /** Millilitres each pump really delivered since power-on: what a dose is checked against. */
  dosedMl: Record<string, number>;
  /** The fullest the tank has been since power-on. */
  peakVolumeL: number;
}

/** A chemical amount: the part already spread through the tank, and the part still at the inlet. */
interface Pool {
  mixed: number;
  pending: number;
}

export class TankPhysics {
  private elapsedMs = 0;
  private volumeL: number;
  private tempC = AMBIENT_C;
  private readonly nutrientMl: Pool;
  private readonly acidMl: Pool;
  private readonly relaysOn = new Set<string>();
  private readonly pumpsOn = new Set<string>();
  private readonly pulseCount = new Map<string, number>();
  private readonly dosedMl = new Map<string, number>();
  /** Millilitres of each run still going, by pump. */
  private readonly runningMl = new Map<string, number>();
  private readonly endedRuns: PumpRun[] = [];
  private runsEnded = 0;
  private peakL: number;
  private readonly stuck = new Map<string, number>();
  private readonly probeErrors = new Map<string, ProbeError>();
  private readonly dipped = new Map<string, number>();
  private supplyOn = true;
  private outletBlocked = false;
  private readonly stuckMeters = new Set<string>();
  private brimming = false;
  private readonly random: Random;

  constructor(
    private readonly layout: StationLayout,
    seed: number,
    start: { ec?: number; ph?: number } = {},
  ) {
    this.random = seededRandom(seed);
    this.volumeL = layout.tank.startL;
    this.peakL = this.volumeL;
    const nutrientPerL = ((start.ec ?? 1.2) - TAP_EC) / EC_PER_ML_PER_L;
    const acidPerL = (TAP_PH - (start.ph ?? 6.0)) / PH_PER_ACID_ML_PER_L;
    this.nutrientMl = { mixed: nutrientPerL * this.volumeL, pending: 0 };
    this.acidMl = { mixed: acidPerL * this.volumeL, pending: 0 };
    for (const flow of layout.flows) this.pulseCount.set(flow.id, 0);
  }

  get simMs(): number {
    return this.elapsedMs;
  }

  setRelay(id: string, on: boolean): void {
    if (on) this.relaysOn.add(id);
    else this.relaysOn.delete(id);
  }

  setPump(id: string, on: boolean): void {
    if (on && !this.pumpsOn.has(id)) this.runningMl.set(id, 0);
    if (!on && this.pumpsOn.has(id)) this.endRun(id);
    if (on) this.pumpsOn.add(id);
    else this.pumpsOn.delete(id);
  }

  /**
   * The pump runs that ended, newest last (at most the latest RUN_LEDGER), and how many have
   * ended since power-on, so a checker can tell which it has not seen yet.
   */
  pumpRuns(): { ended: number; recent: PumpRun[] } {
    return { ended: this.runsEnded, recent: this.endedRuns.slice() };
  }

  private endRun(id: string): void {
    this.endedRuns.push({ pump: id, ml: this.runningMl.get(id) ?? 0, endedSimMs: this.elapsedMs });
    if (this.endedRuns.length > RUN_LEDGER) this.endedRuns.shift();
    this.runsEnded++;
    this.runningMl.delete(id);
  }

  relayOn(id: string): boolean {
    return this.relaysOn.has(id);
  }

  pumpOn(id: string): boolean {
    return this.pumpsOn.has(id);
  }

  /** Mains water to the fill line; off makes an open fill valve deliver nothing. */
  setWaterSupply(on: boolean): void {
    this.supplyOn = on;
  }

  /** A blocked outlet (or a drain valve stuck shut): an open drain valve lets nothing out. */
  setOutletBlocked(blocked: boolean): void {
    this.outletBlocked = blocked;
  }

  /** A flow meter whose paddle is stuck: water still flows through it, and no pulse is counted. */
  setMeterStuck(id: string, stuck: boolean): void {
    if (stuck) this.stuckMeters.add(id);
    else this.stuckMeters.delete(id);
  }

  /** Freezes a sensor at `value`, or at its current true value. */
  stick(sensorId: string, value?: number): void {
    const sensor = this.sensor(sensorId);
    this.stuck.set(sensorId, value ?? round(this.trueValue(sensor), sensor.decimals));
  }

  unstick(sensorId: string): void {
    this.sensor(sensorId);
    this.stuck.delete(sensorId);
  }

  /**
   * A drifted probe: it reads `slope` × the truth + `offset`, as an aged pH or EC probe does
   * before it is calibrated. Slope 1 and offset 0 make it exact again.
   */
  setProbeError(sensorId: string, error: ProbeError): void {
    this.sensor(sensorId);
    if (!(Number.isFinite(error.offset) && Number.isFinite(error.slope) && error.slope > 0)) throw new RangeError('a probe error needs a finite offset and a positive slope');
    if (error.offset === 0 && error.slope === 1) this.probeErrors.delete(sensorId);
    else this.probeErrors.set(sensorId, error);
  }

  /** Dips a probe in a solution of `value` (a buffer), or back into the tank with null. */
  dipProbe(sensorId: string, value: number | null): void {
    this.sensor(sensorId);
    if (value === null) this.dipped.delete(sensorId);
    else this.dipped.set(sensorId, value);
  }

  step(dtMs: number): void {
    let left = dtMs;
    while (left > 0) {
      const dt = Math.min(left, MAX_STEP_MS);
      this.stepOnce(dt);
      left -= dt;
    }
  }

  /** Whole pulses the meter has counted since the model started. */
  pulses(meterId: string): number {
    return Math.floor(this.pulseCount.get(meterId) ?? 0);
  }

  /** Pulses per simulated second right now. */
  pulseRate(meterId: string): number {
    const flow = this.layout.flows.find((f) => f.id === meterId);
    return flow ? this.inflowLps(flow) * flow.pulsesPerL : 0;
  }

  /** Simulated ms until the meter has counted `count` whole pulses in total, at today's flow. */
  msUntilPulses(meterId: string, count: number): number {
    const missing = count - (this.pulseCount.get(meterId) ?? 0);
    if (missing <= 0) return 0;
    const rate = this.pulseRate(meterId);
    return rate > 0 ? (missing / rate) * 1000 : Infinity;
  }

  /** A noisy reading, or the frozen value of a stuck sensor. */
  read(sensorId: string): number {
    const frozen = this.stuck.get(sensorId);
    if (frozen !== undefined) return frozen;
    const sensor = this.sensor(sensorId);
    const error = this.probeErrors.get(sensorId) ?? { offset: 0, slope: 1 };
    const truth = this.dipped.get(sensorId) ?? this.trueValue(sensor);
    return round(error.slope * truth + error.offset + sensor.noise * this.random.gaussian(), sensor.decimals);
  }

  truth(): TankTruth {
    return {
      volumeL: this.volumeL,
      ec: this.ec(),
      ph: this.ph(),
      tempC: this.tempC,
      dosedMl: Object.fromEntries(this.dosedMl),
      peakVolumeL: this.peakL,
    };
  }

  stuckSensors(): Record<string, number> {
    return Object.fromEntries(this.stuck);
  }

  private stepOnce(dtMs: number): void {
    this.elapsedMs += dtMs;
    const hours = dtMs / HOUR_MS;

    for (const pump of this.layout.pumps) {
      if (this.pumpsOn.has(pump.id)) this.dose(pump, (pump.trueMlPerS * dtMs) / 1000);
    }
    for (const flow of this.layout.flows) {
      const litres = Math.min(this.inflowLps(flow) * (dtMs / 1000), this.headroomL());
      this.volumeL += litres;
      if (!this.stuckMeters.has(flow.id)) this.pulseCount.set(flow.id, (this.pulseCount.get(flow.id) ?? 0) + litres * flow.pulsesPerL);
    }
    for (const relay of this.layout.relays) {
      if (relay.role === 'drain' && this.relaysOn.has(relay.id) && !this.outletBlocked) this.drain((this.layout.tank.drainLpm / 60_000) * dtMs);
    }
    // Full stays full until the level has dropped a little, or evaporation would keep a trickle going.
    if (this.headroomL() <= 1e-9) this.brimming = true;
    this.peakL = Math.max(this.peakL, this.volumeL);
    this.volumeL = Math.max(0, this.volumeL - EVAPORATION_L_PER_H * hours);
    if (this.headroomL() > FULL_MARGIN_L) this.brimming = false;
    this.acidMl.mixed -= (PH_RISE_PER_H / PH_PER_ACID_ML_PER_L) * this.volumeL * hours;

    const mixed = 1 - Math.exp(-dtMs / this.mixTauMs());
    for (const pool of [this.nutrientMl, this.acidMl]) {
      const moved = pool.pending * mixed;
      pool.pending -= moved;
      pool.mixed += moved;
    }
    this.tempC += (this.ambientC() - this.tempC) * (1 - Math.exp(-dtMs / WATER_TEMP_TAU_MS));
  }

  private dose(pump: PumpSpec, ml: number): void {
    const effect: Record<Chemical, () => void> = {
      nutrient: () => {
        this.nutrientMl.pending += ml;
        this.acidMl.pending += ml * NUTRIENT_ACIDITY;
      },
      ph_down: () => {
        this.acidMl.pending += ml;
      },
      ph_up: () => {
        this.acidMl.pending -= ml;
      },
    };
    effect[pump.doses]();
    this.dosedMl.set(pump.id, (this.dosedMl.get(pump.id) ?? 0) + ml);
    const run = this.runningMl.get(pump.id);
    if (run !== undefined) this.runningMl.set(pump.id, run + ml);
    this.volumeL += ml / 1000;
  }

  /** Drained water takes its share of everything dissolved in it. */
  private drain(litres: number): void {
    if (this.volumeL <= 0) return;
    const share = Math.min(1, litres / this.volumeL);
    for (const pool of [this.nutrientMl, this.acidMl]) {
      pool.mixed *= 1 - share;
      pool.pending *= 1 - share;
    }
    this.volumeL -= this.volumeL * share;
  }

  private inflowLps(flow: FlowSpec): number {
    if (!this.supplyOn || !this.relaysOn.has(flow.line) || this.brimming) return 0;
    return flow.lpm / 60;
  }

  /** Overfilling is the host's job to prevent; past the rim the water just backs up. */
  private headroomL(): number {
    return Math.max(0, this.layout.tank.capacityL + this.layout.tank.spillL - this.volumeL);
  }

  private mixTauMs(): number {
    const stirring = this.layout.relays.filter((r: RelaySpec) => r.role === 'mixing' && this.relaysOn.has(r.id)).length;
    return MIX_TAU_MS[Math.min(stirring, MIX_TAU_MS.length - 1)] ?? MIX_TAU_MS[0];
  }

  private ambientC(): number {
    const lights = this.layout.relays.some((r) => r.id === 'lights' && this.relaysOn.has(r.id));
    const swing = AMBIENT_SWING_C * Math.sin((2 * Math.PI * this.elapsedMs) / AMBIENT_PERIOD_MS);
    return AMBIENT_C + swing + (lights ? LIGHTS_WARMING_C : 0);
  }

  private ec(): number {
    if (this.volumeL < DRY_L) return 0;
    return TAP_EC + EC_PER_ML_PER_L * (this.nutrientMl.mixed / this.volumeL);
  }

  private ph(): number {
    if (this.volumeL < DRY_L) return 7;
    const ph = TAP_PH - PH_PER_ACID_ML_PER_L * (this.acidMl.mixed / this.volumeL);
    return Math.min(PH_PROBE_RANGE[1], Math.max(PH_PROBE_RANGE[0], ph));
  }

  private trueValue(sensor: SensorSpec): number {
    switch (sensor.kind) {
      case 'ec':
        return this.ec();
      case 'ph':
        return this.ph();
      case 'temp':
        return this.tempC;
      case 'level':
        return this.volumeL;
    }
  }

  private sensor(id: string): SensorSpec {
    const sensor = this.layout.sensors.find((s) => s.id === id);
    if (!sensor) throw new RangeError(`no sensor ${id}`);
    return sensor;
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
