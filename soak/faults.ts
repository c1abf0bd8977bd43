/**
 * The faults the soak throws at the station, and how often. Which fault comes next, and how long
 * it lasts, is drawn from the seed, so a failing run can be run again exactly.
 *
 * Each fault says what it does to the station (`kind`):
 *  - `noise`: damage on the wire or in a reading, or the device silent for less than its
 *    watchdog; everything carries on;
 *  - `outage`: the host stops reaching the device (unplugged, silent, Tendril killed); the
 *    device's watchdog must switch every output off, and nothing may start again by itself;
 *  - `stop`: everything stops at once (a reset of the device, an emergency stop); nothing may
 *    start again by itself.
 */
import { seededRandom, type Random } from '../src/main/simulator/prng';

export type FaultName =
  | 'garbage'
  | 'corrupt'
  | 'corrupt-burst'
  | 'stuck-sensor'
  | 'drifting-probe'
  | 'supply-cut'
  | 'blocked-outlet'
  | 'meter-stuck'
  | 'unplug'
  | 'silent'
  | 'blip'
  | 'reset'
  | 'estop'
  | 'kill';

export interface FaultPlan {
  name: FaultName;
  kind: 'noise' | 'outage' | 'stop';
  /** How long the fault lasts before it is undone, in real ms. */
  holdMs: number;
  /** Which sensor, for the sensor faults. */
  sensor?: string;
}

const MENU: ReadonlyArray<{ name: FaultName; kind: FaultPlan['kind']; weight: number; holdMs: [number, number] }> = [
  { name: 'garbage', kind: 'noise', weight: 14, holdMs: [50, 300] },
  { name: 'corrupt', kind: 'noise', weight: 14, holdMs: [50, 300] },
  { name: 'corrupt-burst', kind: 'noise', weight: 6, holdMs: [300, 1_500] },
  { name: 'stuck-sensor', kind: 'noise', weight: 8, holdMs: [500, 4_000] },
  { name: 'drifting-probe', kind: 'noise', weight: 5, holdMs: [500, 4_000] },
  { name: 'supply-cut', kind: 'noise', weight: 5, holdMs: [500, 4_000] },
  { name: 'blocked-outlet', kind: 'noise', weight: 3, holdMs: [500, 3_000] },
  { name: 'meter-stuck', kind: 'noise', weight: 3, holdMs: [500, 4_000] },
  // Outages last past the watchdog (the soak holds them until every output is off); a blip is
  // shorter than the watchdog, a hiccup both sides ride out.
  { name: 'unplug', kind: 'outage', weight: 2, holdMs: [0, 1_000] },
  { name: 'silent', kind: 'outage', weight: 2, holdMs: [0, 1_000] },
  { name: 'blip', kind: 'noise', weight: 4, holdMs: [100, 1_500] },
  { name: 'reset', kind: 'stop', weight: 3, holdMs: [0, 0] },
  { name: 'estop', kind: 'stop', weight: 3, holdMs: [100, 1_000] },
];

const SENSORS = ['ec1', 'ph1', 'temp1', 'level1'] as const;

export class FaultPicker {
  private readonly random: Random;
  private readonly total = MENU.reduce((sum, entry) => sum + entry.weight, 0);

  /** @param pace scales how long faults last and the quiet between them (the quick soak: less). */
  constructor(
    seed: number,
    private readonly pace = 1,
  ) {
    this.random = seededRandom(seed ^ 0xfa17);
  }

  /** The next fault. Kills are not drawn: the soak spaces them out itself (`killEvery`). */
  next(): FaultPlan {
    let pick = this.random.next() * this.total;
    const entry = MENU.find((candidate) => (pick -= candidate.weight) < 0) ?? MENU[MENU.length - 1]!;
    const [low, high] = entry.holdMs;
    const plan: FaultPlan = { name: entry.name, kind: entry.kind, holdMs: Math.round((low + this.random.next() * (high - low)) * this.pace) };
    if (entry.name === 'stuck-sensor' || entry.name === 'drifting-probe') plan.sensor = entry.name === 'drifting-probe' ? this.pick(['ec1', 'ph1']) : this.pick(SENSORS);
    return plan;
  }

  /** The quiet between two faults, in real ms. */
  gapMs(): number {
    return Math.round((100 + this.random.next() * 300) * this.pace);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.next() * items.length)]!;
  }
}

/** Of `faults` in all, every how many comes a kill, so a run has at least `kills` of them. */
export function killEvery(faults: number, kills: number): number {
  return Math.max(1, Math.floor(faults / (kills + 1)));
}
