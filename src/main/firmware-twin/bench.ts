/**
 * The test bench the firmware's pins are wired to: the simulator's own tank model, stepped by
 * the emulated AVR's clock instead of the wall clock. Pure: harness lines go in, the commands
 * to send the harness come out, so the stepping and every rule are tested with plain inputs.
 */
import { TankPhysics, defaultLayout, type StationLayout } from '../simulator';
import { CYCLES_PER_MS, type HarnessLine } from './harness-lines';

/** How often each sensor's pin gets a fresh voltage; the firmware samples every 50 ms and averages. */
const SENSOR_EVERY_CYCLES = 100 * CYCLES_PER_MS;
/** The float switch sits this far into the headroom between capacity and spill. */
const FLOAT_SWITCH_SPILL_SHARE = 0.6;
const DEFAULT_HISTORY = 256;

/** auto: the water level decides; on: tripped (high water) whatever the level; off: released. */
export type FloatMode = 'auto' | 'on' | 'off';

export interface OutChange {
  id: string;
  on: boolean;
  cycle: number;
}

/** Plain JSON, shaped like the simulator's SimSnapshot where the two mean the same thing. */
export interface FirmwareTwinSnapshot {
  /** The last emulated cycle the harness reported, and the same as emulated milliseconds. */
  cycle: number;
  simMs: number;
  relays: Record<string, boolean>;
  pumps: Record<string, boolean>;
  /** Outputs config.h has but the tank model does not: switched, with no effect on the water. */
  otherOutputs: Record<string, boolean>;
  /** The model's true values, without sensor noise. */
  tank: { volumeL: number; ec: number; ph: number; tempC: number };
  /** Millilitres each pump really delivered, from how long its pin was on. */
  dosedMl: Record<string, number>;
  /** Pulses each flow meter produced since the harness started. */
  flows: Record<string, number>;
  /** The latest value each sensor's pin was set to. */
  sensors: Record<string, number>;
  stuck: Record<string, number>;
  waterSupply: boolean;
  /** What the float switch pin says (null before the first tick), and why. */
  floatSwitch: { mode: FloatMode; highWater: boolean | null; levelL: number };
  /** Resets the MCU did by itself (the hardware watchdog), and the latest. */
  resets: number;
  lastReset: { cycle: number; why: string } | null;
  lastStopByteCycle: number | null;
  /** The latest output changes, oldest first: what timing tests measure, in cycles. */
  outChanges: OutChange[];
}

export interface BenchOptions {
  layout?: StationLayout;
  /** Seeds sensor noise; the same seed and the same firmware give the same readings. */
  seed?: number;
  /** How many output changes the snapshot keeps. */
  historySize?: number;
}

/** The volume at which the high-level float switch lifts: 103 L in the default tank. */
export function floatSwitchLevelL(layout: StationLayout): number {
  return layout.tank.capacityL + FLOAT_SWITCH_SPILL_SHARE * layout.tank.spillL;
}

/** What the float switch reads: high water at or above its level, unless a fault forces it. */
export function floatSwitchHigh(volumeL: number, levelL: number, mode: FloatMode): boolean {
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  return volumeL >= levelL;
}

export class TwinBench {
  private readonly layout: StationLayout;
  private readonly physics: TankPhysics;
  private readonly relayIds: Set<string>;
  private readonly pumpIds: Set<string>;
  private readonly historySize: number;
  private readonly floatLevelL: number;
  private cycle = 0;
  private nextSensorCycle = 0;
  private readonly sentPulses = new Map<string, number>();
  private readonly sentSensors = new Map<string, number>();
  private sentFloat: boolean | null = null;
  private floatMode: FloatMode = 'auto';
  private supplyOn = true;
  private readonly otherOutputs = new Map<string, boolean>();
  private readonly history: OutChange[] = [];
  private lastStopByteCycle: number | null = null;
  private resets = 0;
  private lastReset: { cycle: number; why: string } | null = null;

  constructor(options: BenchOptions = {}) {
    this.layout = options.layout ?? defaultLayout();
    this.physics = new TankPhysics(this.layout, options.seed ?? 1);
    this.relayIds = new Set(this.layout.relays.map((r) => r.id));
    this.pumpIds = new Set(this.layout.pumps.map((p) => p.id));
    this.historySize = options.historySize ?? DEFAULT_HISTORY;
    this.floatLevelL = floatSwitchLevelL(this.layout);
  }

  /** Takes one harness line; returns the commands it calls for, in order. */
  receive(line: HarnessLine): string[] {
    switch (line.kind) {
      case 'serial':
        // The AVR is already running: give its pins the tank's values before the first tick.
        return this.afterTick();
      case 'tick':
        this.advanceTo(line.cycle);
        return this.afterTick();
      case 'out':
        this.advanceTo(line.cycle);
        this.switchOutput(line.id, line.on, line.cycle);
        return [];
      case 'stopbyte':
        this.advanceTo(line.cycle);
        this.lastStopByteCycle = line.cycle;
        return [];
      case 'reset':
        this.advanceTo(line.cycle);
        this.resets++;
        this.lastReset = { cycle: line.cycle, why: line.why };
        return [];
      default:
        return [];
    }
  }

  setFloatMode(mode: FloatMode): string[] {
    this.floatMode = mode;
    return this.floatCommand();
  }

  /** Freezes a sensor at `value`, or at its present true value; throws for an unknown sensor. */
  stickSensor(ch: string, value?: number): void {
    this.physics.stick(ch, value);
  }

  unstickSensor(ch: string): void {
    this.physics.unstick(ch);
  }

  /** Takes effect at the latest cycle the harness reported, at most one tick (10 ms) late. */
  setWaterSupply(on: boolean): void {
    this.supplyOn = on;
    this.physics.setWaterSupply(on);
  }

  snapshot(): FirmwareTwinSnapshot {
    const truth = this.physics.truth();
    return {
      cycle: this.cycle,
      simMs: round(this.physics.simMs, 3),
      relays: Object.fromEntries(this.layout.relays.map((r) => [r.id, this.physics.relayOn(r.id)])),
      pumps: Object.fromEntries(this.layout.pumps.map((p) => [p.id, this.physics.pumpOn(p.id)])),
      otherOutputs: Object.fromEntries(this.otherOutputs),
      tank: { volumeL: round(truth.volumeL, 3), ec: round(truth.ec, 3), ph: round(truth.ph, 3), tempC: round(truth.tempC, 2) },
      dosedMl: Object.fromEntries(Object.entries(truth.dosedMl).map(([id, ml]) => [id, round(ml, 3)])),
      flows: Object.fromEntries(this.layout.flows.map((f) => [f.id, this.physics.pulses(f.id)])),
      sensors: Object.fromEntries(this.sentSensors),
      stuck: this.physics.stuckSensors(),
      waterSupply: this.supplyOn,
      floatSwitch: { mode: this.floatMode, highWater: this.sentFloat, levelL: this.floatLevelL },
      resets: this.resets,
      lastReset: this.lastReset,
      lastStopByteCycle: this.lastStopByteCycle,
      outChanges: this.history.map((c) => ({ ...c })),
    };
  }

  /**
   * Steps the tank to an emulated cycle. The harness's clock only runs forward; should it ever
   * restart, the tank keeps its water and counts on from the new value.
   */
  private advanceTo(cycle: number): void {
    if (cycle > this.cycle) this.physics.step((cycle - this.cycle) / CYCLES_PER_MS);
    else if (cycle < this.cycle) this.nextSensorCycle = cycle;
    this.cycle = cycle;
  }

  private switchOutput(id: string, on: boolean, cycle: number): void {
    if (this.relayIds.has(id)) this.physics.setRelay(id, on);
    else if (this.pumpIds.has(id)) this.physics.setPump(id, on);
    else this.otherOutputs.set(id, on);
    this.history.push({ id, on, cycle });
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
  }

  private afterTick(): string[] {
    const commands: string[] = [];
    for (const flow of this.layout.flows) {
      const pulses = this.physics.pulses(flow.id);
      if (pulses !== this.sentPulses.get(flow.id)) {
        this.sentPulses.set(flow.id, pulses);
        commands.push(`pulses ${flow.id} ${pulses}`);
      }
    }
    if (this.cycle >= this.nextSensorCycle) {
      while (this.nextSensorCycle <= this.cycle) this.nextSensorCycle += SENSOR_EVERY_CYCLES;
      for (const sensor of this.layout.sensors) {
        const value = this.physics.read(sensor.id);
        this.sentSensors.set(sensor.id, value);
        commands.push(`sensor ${sensor.id} ${value}`);
      }
    }
    return [...commands, ...this.floatCommand()];
  }

  private floatCommand(): string[] {
    const high = floatSwitchHigh(this.physics.truth().volumeL, this.floatLevelL, this.floatMode);
    if (high === this.sentFloat) return [];
    this.sentFloat = high;
    return [`float ${high ? 1 : 0}`];
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
