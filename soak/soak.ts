/**
 * The soak: headless Tendril against the station simulator, each its own process on a real pty,
 * the simulator sped up, a grower's routine running, while faults drawn from a seed hit the
 * station: line noise, bad checksums, stuck and drifting sensors, the water supply cut, a flow
 * meter that stops counting, a blocked outlet, the cable pulled, the device gone silent or reset mid-job, emergency stops
 * from the LAN, and Tendril itself killed with SIGKILL mid-job and started again on the same
 * data folder. Every rule is checked against the simulator's ground truth (soak/ledger.ts),
 * never against Tendril's own view, and a few screens stay connected throughout.
 *
 *   npm run soak -- --quick                 a few minutes: 500 faults, 5 kills
 *   npm run soak -- --faults 10000 --seed 7 about two hours: 50 kills, over 30 simulated days
 *   npm run soak -- --pace 1                faults held and spaced 1/0.15 times longer
 *   npm run soak -- --quick --seed 3 --record soak.json   also writes what happened, for a failure
 *
 * It prints progress every 50 faults and ends with one line; it exits 1 when any counter after
 * `kills` is not zero:
 *   soak: seed=S simulated=Xh faults=N kills=K overdoses=0 overflows=0 late_offs=0 resumed=0 lost=0 diverged=0
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../src/shared/limits';
import { FaultPicker, killEvery, type FaultPlan } from './faults';
import { SoakLedger, type Truth } from './ledger';
import { Routine } from './routine';
import { Screen } from './screens';
import { SoakStation } from './station';

const WATCHDOG_MS = 3_000;
const PUMPS = ['nut_a', 'nut_b', 'ph_up', 'ph_down'];
/** The simulated pumps' true rate, which the grower measured and wrote into settings.json. */
const PUMP_ML_PER_S = 1.2;
/** The default tank: 100 L with 5 L of headroom. */
const OVERFLOW_L = 95;
/** Light, air and circulation may run on their own; a pump, a valve or the mixer may not. */
const MAY_STAY_ON = new Set(['lights', 'air', 'circulation']);
/** After a fault is undone, how long nothing may start by itself before the routine goes on. */
const SETTLE_MS = 1_000;
/** How long a command already read by the device may take to switch its output on. */
const IN_FLIGHT_MS = 100;
const LOOK_EVERY_MS = 100;
const READY_TIMEOUT_MS = 30_000;
/**
 * The simulator's speed-up: a simulated day in 3.2 real minutes, so 10,000 faults span more than
 * 30 simulated days. Sped up, the simulator reads its sensors once a simulated second but at most
 * every 50 ms of real time (22.5 simulated seconds here), so a fill at 8 L/min moves the level
 * 3 L between two readings, within the tank's 5 L of headroom.
 */
const TIME_SCALE = 450;
/**
 * Faults last, and are spaced, 0.15 of the menu's real times: at 450× a stuck sensor holds for
 * half a simulated minute to four and a half, and a fault comes about every 0.7 s of real time.
 */
const PACE = 0.15;
/**
 * How late the simulator may end a dose after Tendril asked for it, in real ms: the link's
 * latency and the event loops of three processes, on a busy machine. Times the speed-up, this is
 * the edge of a day the ledger leaves to the two clocks' difference (soak/ledger.ts `dayEdgeMs`).
 */
const DOSE_LATENCY_MS = 1_000;

interface Options {
  seed: number;
  /** How long faults last, and the quiet between them, as a share of the menu's (soak/faults.ts). */
  pace: number;
  faults: number;
  kills: number;
  timeScale: number;
  screens: number;
  /** A file to write the run's record to: pump runs, dose audit, jobs and faults, with their times. */
  record: string | null;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      faults: { type: 'string' },
      kills: { type: 'string' },
      'time-scale': { type: 'string' },
      pace: { type: 'string' },
      screens: { type: 'string' },
      record: { type: 'string' },
    },
  });
  const number = (name: string, value: string | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not "${value}"`);
    return n;
  };
  const pace = (value: string | undefined): number => {
    if (value === undefined) return PACE;
    const n = Number(value);
    if (!(Number.isFinite(n) && n > 0 && n <= 10)) throw new Error(`--pace must be a number above 0 and at most 10, not "${value}"`);
    return n;
  };
  const faults = number('faults', values.faults, values.quick ? 500 : 10_000, 1);
  return {
    seed: number('seed', values.seed, 1, 0),
    pace: pace(values.pace),
    faults,
    kills: number('kills', values.kills, values.quick ? 5 : Math.max(5, Math.floor(faults / 200)), 0),
    timeScale: number('time-scale', values['time-scale'], TIME_SCALE, 1),
    screens: number('screens', values.screens, 3, 1),
    record: values.record ?? null,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

class Soak {
  readonly ledger: SoakLedger;
  private readonly picker: FaultPicker;
  private readonly routine: Routine;
  private screens: Screen[] = [];
  private handsOff = false;
  /** The routine's step in flight, which a fault that stops things lets land first. */
  private stepping: Promise<void> = Promise.resolve();
  private done = false;
  private truth: Truth | null = null;
  kills = 0;
  faultsDone = 0;
  readonly byName = new Map<string, number>();
  readonly faultLog: Array<{ name: string; at: number; holdMs: number }> = [];

  get refusals(): ReadonlyMap<string, number> {
    return this.routine.refusals;
  }

  constructor(
    private readonly station: SoakStation,
    private readonly opts: Options,
  ) {
    const caps = DEFAULT_LIMITS.pump;
    // The longest dose runs its cap at the pump's rate; the run ends that much after it was asked for.
    const longestDoseMs = (caps.maxMlPerDose / PUMP_ML_PER_S) * 1000;
    this.ledger = new SoakLedger({
      caps: Object.fromEntries(PUMPS.map((pump) => [pump, { maxMlPerDose: caps.maxMlPerDose, maxMlPerDay: caps.maxMlPerDay }])),
      dayEdgeMs: longestDoseMs + DOSE_LATENCY_MS * opts.timeScale,
      overflowL: OVERFLOW_L,
      watchdogMs: WATCHDOG_MS,
      mayStayOn: MAY_STAY_ON,
    });
    this.picker = new FaultPicker(opts.seed, opts.pace);
    this.routine = new Routine(station, opts.seed);
  }

  async run(): Promise<void> {
    this.screens = Array.from({ length: this.opts.screens }, (_, i) => new Screen(this.station.url, this.station.viewerToken, `soak screen ${i + 1}`));
    await this.linkReady('the first handshake');
    await this.routine.setUp();
    const looking = this.look();
    const working = this.work();
    const every = killEvery(this.opts.faults, this.opts.kills);
    const started = Date.now();
    try {
      for (let i = 1; i <= this.opts.faults; i++) {
        const plan: FaultPlan = i % every === 0 && this.kills < this.opts.kills ? { name: 'kill', kind: 'outage', holdMs: 0 } : this.picker.next();
        this.faultLog.push({ name: plan.name, at: Date.now(), holdMs: plan.holdMs });
        await this.inject(plan);
        this.faultsDone = i;
        this.byName.set(plan.name, (this.byName.get(plan.name) ?? 0) + 1);
        if (i % 50 === 0 || i === this.opts.faults) this.progress(started);
        if (!this.ledger.allClear()) break;
        await sleep(this.picker.gapMs());
      }
    } finally {
      this.done = true;
      await working;
      await looking;
    }
    await this.finish();
  }

  /** Watches the simulator all along: the judge sees every snapshot. */
  private async look(): Promise<void> {
    while (!this.done) {
      const truth = await this.station.truth();
      this.truth = truth;
      this.ledger.observe(truth, Date.now());
      await sleep(LOOK_EVERY_MS);
    }
  }

  /** The grower's routine, paused while the station recovers from a fault. */
  private async work(): Promise<void> {
    while (!this.done) {
      if (!this.handsOff && this.station.running) {
        this.stepping = this.routine.step();
        await this.stepping;
      }
      await sleep(this.routine.pauseMs());
    }
  }

  private async inject(plan: FaultPlan): Promise<void> {
    const sim = this.station.sim;
    switch (plan.name) {
      case 'garbage':
        await sim.control(`garbage ${16 + (plan.holdMs % 240)}`);
        return;
      case 'corrupt':
        await sim.control(`corrupt ${1 + (plan.holdMs % 5)}`);
        return;
      case 'corrupt-burst':
        return this.hold(plan, 'corrupt-rate 0.2', 'corrupt-rate 0');
      case 'stuck-sensor':
        return this.hold(plan, `stuck ${plan.sensor}`, `stuck ${plan.sensor} off`);
      case 'drifting-probe':
        return this.hold(plan, `probe-error ${plan.sensor} 0.4 1.1`, `probe-error ${plan.sensor} 0 1`);
      case 'supply-cut':
        return this.hold(plan, 'supply off', 'supply on');
      case 'blocked-outlet':
        return this.hold(plan, 'outlet blocked', 'outlet clear');
      case 'meter-stuck':
        return this.hold(plan, 'meter flow1 stuck', 'meter flow1 ok');
      case 'blip':
        return this.hold(plan, 'silent on', 'silent off');
      case 'unplug':
      case 'silent':
        return this.outage(plan, plan.name === 'unplug' ? 'unplug' : 'silent on', plan.name === 'unplug' ? 'replug' : 'silent off');
      case 'reset':
        return this.recovering(
          'a device reset',
          () => sim.control('reset'),
          async () => {},
        );
      case 'estop':
        return this.recovering(
          'an emergency stop from a LAN screen',
          async () => {
            await this.station.command({ id: `soak-estop-${this.faultsDone}`, type: 'estop' });
            this.ledger.expectAllOff(Date.now(), 'an emergency stop', 1_000);
          },
          async () => {
            await sleep(plan.holdMs);
            await until(() => !this.ledger.awaitingOff, 5_000, 'the outputs to go off after the emergency stop');
            await this.station.command({ id: `soak-estop-reset-${this.faultsDone}`, type: 'estop.reset' });
          },
        );
      case 'kill':
        return this.recovering(
          'Tendril killed mid-job',
          async () => {
            this.kills++;
            await this.station.crash();
            this.ledger.expectAllOff(Date.now(), 'Tendril was killed');
          },
          async () => {
            const accepted = [...this.routine.acceptedJobs];
            const { integrity, states } = this.station.inspect(accepted);
            if (integrity !== 'ok') this.ledger.lostJob(`after kill ${this.kills}, the database's integrity check said: ${integrity}`);
            for (const id of accepted) if (!states.has(id)) this.ledger.lostJob(`after kill ${this.kills}, accepted job ${id} is not in the database`);
            await until(() => !this.ledger.awaitingOff, WATCHDOG_MS + 5_000, 'the device watchdog to switch everything off');
            await this.station.restart();
          },
        );
    }
  }

  /** A fault that is undone after its time. */
  private async hold(plan: FaultPlan, on: string, off: string): Promise<void> {
    await this.station.sim.control(on);
    await sleep(plan.holdMs);
    await this.station.sim.control(off);
  }

  /** The host cannot reach the device until every output is off (the watchdog's work), then can again. */
  private async outage(plan: FaultPlan, cut: string, mend: string): Promise<void> {
    const unplug = plan.name === 'unplug';
    await this.recovering(
      unplug ? 'the cable pulled' : 'the device gone silent',
      async () => {
        await this.station.sim.control(cut);
        this.ledger.expectAllOff(Date.now(), unplug ? 'the cable was pulled' : 'the device went silent');
      },
      async () => {
        // Past the watchdog, so both sides know the link was lost: the device has switched every
        // output off, and the host has failed what was running.
        await sleep(WATCHDOG_MS + 1_000 + plan.holdMs);
        await until(() => !this.ledger.awaitingOff, 5_000, 'the device watchdog to switch everything off');
        await this.station.sim.control(mend);
      },
    );
  }

  /**
   * A fault that stops things, with the routine's hands off. The routine's command in flight
   * lands first; then the fault (`cut`); then, once what was already on its way has arrived,
   * nothing may start by itself while the station is mended and until a while after it is ready.
   */
  private async recovering(what: string, cut: () => Promise<unknown>, mend: () => Promise<void>): Promise<void> {
    this.handsOff = true;
    await this.stepping;
    try {
      await cut();
      // A command the device had read before the fault may still switch something on.
      await sleep(IN_FLIGHT_MS);
      this.ledger.observe(await this.station.truth(), Date.now());
      this.ledger.handsOffFrom(Date.now(), what);
      await mend();
      await this.linkReady(`the station to recover from ${what}`);
      await sleep(SETTLE_MS);
    } finally {
      this.ledger.handsOn();
      this.handsOff = false;
    }
    await this.routine.circulate();
  }

  private async linkReady(what: string): Promise<void> {
    await until(() => this.screens.every((screen) => screen.linkStatus() === 'ready'), READY_TIMEOUT_MS, what);
  }

  private progress(started: number): void {
    const simulatedH = (this.truth?.simMs ?? 0) / 3_600_000;
    const c = this.ledger.counts;
    const r = this.routine.counts;
    console.log(
      `soak: ${this.faultsDone}/${this.opts.faults} faults, ${this.kills} kills, ${simulatedH.toFixed(1)} h simulated in ${Math.round((Date.now() - started) / 1000)} s; ` +
        `commands ${r.accepted} accepted, ${r.refused} refused (${r.refusedAsTheyMust} had to be), ${r.unanswered} unanswered; ` +
        `overdoses=${c.overdoses} overflows=${c.overflows} late_offs=${c.late_offs} resumed=${c.resumed} lost=${c.lost} diverged=${c.diverged}`,
    );
  }

  /** The end: every job to a final state, the screens against the station, the books against the truth. */
  private async finish(): Promise<void> {
    this.handsOff = true;
    for (const job of this.screens[0]?.unfinishedJobs() ?? []) await this.station.command({ id: `soak-end-${job.id}`, type: 'job.cancel', jobId: job.id });
    await until(() => (this.screens[0]?.unfinishedJobs().length ?? 0) === 0, 30_000, 'every job to finish');
    await sleep(1_500);
    for (const screen of this.screens) {
      if (!screen.connected) this.ledger.divergedScreen(`${screen.name} is not connected at the end`);
      else if (screen.checks === 0) this.ledger.divergedScreen(`${screen.name} was never checked against the station`);
      for (const mismatch of screen.mismatches) this.ledger.divergedScreen(mismatch);
      screen.close();
    }
    const truth = await this.station.truth();
    this.ledger.observe(truth, Date.now());
    await this.station.stop();
    const accepted = this.routine.acceptedJobs;
    const { integrity, states } = this.station.inspect(accepted);
    if (integrity !== 'ok') this.ledger.lostJob(`at the end, the database's integrity check said: ${integrity}`);
    for (const id of accepted) {
      const state = states.get(id);
      if (state === undefined) this.ledger.lostJob(`accepted job ${id} is not in the database`);
      else if (!['succeeded', 'failed', 'cancelled', 'interrupted'].includes(state)) this.ledger.lostJob(`accepted job ${id} ended the soak ${state}, with no final state`);
    }
    this.ledger.checkAudit(this.station.audited());
    if (this.opts.record) {
      writeFileSync(this.opts.record, JSON.stringify({ runs: this.ledger.runs, ...this.station.books(), faults: this.faultLog }, null, 1));
    }
    this.truth = truth;
  }

  summary(): string {
    const c = this.ledger.counts;
    const simulatedH = (this.truth?.simMs ?? 0) / 3_600_000;
    return (
      `soak: seed=${this.opts.seed} simulated=${simulatedH.toFixed(1)}h faults=${this.faultsDone} kills=${this.kills} ` +
      `overdoses=${c.overdoses} overflows=${c.overflows} late_offs=${c.late_offs} resumed=${c.resumed} lost=${c.lost} diverged=${c.diverged}`
    );
  }
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    console.error(`soak: ${(err as Error).message}`);
    return 2;
  }
  console.log(`soak: seed ${opts.seed}, ${opts.faults} faults with ${opts.kills} kills, the simulator ${opts.timeScale}× real time, ${opts.screens} screens`);
  const station = await SoakStation.start({
    seed: opts.seed,
    timeScale: opts.timeScale,
    watchdogMs: WATCHDOG_MS,
    settings: {
      pumps: Object.fromEntries(PUMPS.map((pump) => [pump, { mlPerSecond: PUMP_ML_PER_S }])),
      // Waits between doses, in the controller's time: short, so the loops adjust many times a simulated hour.
      safety: { loop: { mixWaitMs: 5_000, abPauseMs: 3_000 } },
    },
  });
  // Ctrl-C stops Tendril and the simulator too, and removes the data folder.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`soak: ${signal}; stopping Tendril and the simulator`);
      void station.dispose().finally(() => process.exit(130));
    });
  }
  const soak = new Soak(station, opts);
  let crashed: Error | null = null;
  try {
    await soak.run();
  } catch (err) {
    crashed = err as Error;
  } finally {
    await station.dispose();
  }
  for (const failure of soak.ledger.failures) console.log(`soak: ${failure}`);
  if (soak.ledger.offTimes.length) {
    const worst = Math.max(...soak.ledger.offTimes);
    console.log(`soak: every output off after ${soak.ledger.offTimes.length} link losses and stops; the slowest took ${worst} ms`);
  }
  console.log(`soak: faults by kind: ${[...soak.byName].map(([name, n]) => `${name} ${n}`).join(', ')}`);
  console.log(`soak: refused by the station: ${[...soak.refusals].map(([why, n]) => `${why} ${n}`).join(', ') || 'nothing'}`);
  if (crashed) console.log(`soak: the soak itself stopped: ${crashed.stack ?? crashed.message}`);
  console.log(soak.summary());
  return crashed || !soak.ledger.allClear() ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
