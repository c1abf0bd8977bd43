/**
 * The simulated station on a stream: wires the pure device and tank model to any Duplex (an
 * in-memory pair, a pty, a real serial port), drives them from the global clock, and carries
 * the fault switches. All I/O of the simulator core lives here.
 */
import type { Duplex } from 'node:stream';
import { DEFAULT_WATCHDOG_MS, MAX_LINE_BYTES, StationLineParser } from '../protocol';
import { ESTOP_ECHO, StationDevice, type BadLineCounts, type BootReason, type EstopSource } from './device';
import { OutgoingDamage } from './faults';
import { defaultLayout, type StationLayout } from './layout';
import { TankPhysics, type PumpRun } from './physics';

export interface SimulatorOptions {
  /** Seeds sensor noise and injected faults; the same seed gives the same run. Default 1. */
  seed?: number;
  /** Simulated seconds per real second for physics and actions. Default 1. */
  timeScale?: number;
  /** The device watchdog, advertised in HELLO. Default 3000. */
  watchdogMs?: number;
  /**
   * Real milliseconds between rounds of sensor reads. By default a simulated second, at most
   * every 50 ms; a bench of memory over a month sets 1000, the pace a real station's host sees.
   */
  readEveryMs?: number;
  layout?: StationLayout;
  /** The tank's water at power-on; default EC 1.2 and pH 6.0. */
  start?: { ec?: number; ph?: number };
  /** Diagnostics for people; never part of the protocol. */
  log?: (line: string) => void;
}

/** Plain JSON: the station as a test or a person would check it. */
export interface SimSnapshot {
  booted: boolean;
  attached: boolean;
  silent: boolean;
  upMs: number;
  simMs: number;
  timeScale: number;
  relays: Record<string, boolean>;
  pumps: Record<string, boolean>;
  running: { doses: string[]; fills: string[] };
  /** Pulses each flow meter counted since boot. */
  flows: Record<string, number>;
  /** The model's true values, without sensor noise. */
  tank: { volumeL: number; ec: number; ph: number; tempC: number; peakVolumeL: number };
  /** Millilitres each pump really delivered since power-on. */
  dosedMl: Record<string, number>;
  /** The pump runs that ended (the latest few hundred), each with what it really delivered. */
  pumpRuns: { ended: number; recent: PumpRun[] };
  /** The latest value each sensor reported. */
  sensors: Record<string, number>;
  stuck: Record<string, number>;
  waterSupply: boolean;
  estopLatched: boolean;
  estopSource: EstopSource | null;
  alarm: string | null;
  linesIn: number;
  linesOut: number;
  bad: BadLineCounts;
  replays: number;
  corruptedOut: number;
}

export interface SimulatorFaults {
  /** Ends and closes the attached stream, as a pulled cable would. */
  dropLink(): void;
  /** Writes `bytes` of line noise (then LF) between two lines. */
  sendGarbage(bytes?: number): void;
  /** Gives the next `lines` outgoing lines a wrong checksum. */
  corruptNext(lines: number): void;
  /** Gives each outgoing line a wrong checksum with probability `rate`; 0 stops it. */
  corruptRate(rate: number): void;
  /** Stops sending and reading; the device's own watchdog still protects the outputs. */
  silent(on: boolean): void;
  /** Reboots mid-whatever: everything off, `EVT boot why=reset`, nothing resumes. */
  reset(why?: BootReason): void;
  /** Freezes a sensor at `value`, or at its present value. */
  stickSensor(ch: string, value?: number): void;
  unstickSensor(ch: string): void;
  /** A drifted probe: reads slope × truth + offset until set back to slope 1, offset 0. */
  probeError(ch: string, offset: number, slope: number): void;
  /** Dips a probe in a calibration solution of `value`, or back into the tank with null. */
  dipProbe(ch: string, value: number | null): void;
  /** Mains water to the fill line; off makes fills end with `noflow`. */
  waterSupply(on: boolean): void;
  /** A blocked outlet or a drain valve stuck shut: the valve reports open, the level does not fall. */
  blockOutlet(blocked: boolean): void;
  /** A flow meter that stops counting while water still flows through it. */
  stickMeter(id: string, stuck: boolean): void;
}

/** How often the device looks at the clock: fine enough for 500 ms progress events. */
const TICK_MS = 50;

export class StationSimulator {
  readonly faults: SimulatorFaults;
  private readonly layout: StationLayout;
  private readonly physics: TankPhysics;
  private readonly device: StationDevice;
  private readonly damage: OutgoingDamage;
  private readonly timeScale: number;
  private readonly log: (line: string) => void;
  private stream: Duplex | null = null;
  private parser: StationLineParser | null = null;
  private detachStream: (() => void) | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private booted = false;
  private isSilent = false;
  private supplyOn = true;
  private linesOut = 0;

  constructor(opts: SimulatorOptions = {}) {
    const seed = opts.seed ?? 1;
    const layout = opts.layout ?? defaultLayout();
    this.layout = layout;
    this.timeScale = opts.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError('timeScale must be positive');
    this.log = opts.log ?? (() => {});
    this.physics = new TankPhysics(layout, seed, opts.start);
    this.damage = new OutgoingDamage(seed);
    this.device = new StationDevice({
      layout,
      physics: this.physics,
      identity: { device: 'tendril-sim', fw: '0.3.1', serial: 'SIM-0001' },
      watchdogMs: opts.watchdogMs ?? DEFAULT_WATCHDOG_MS,
      timeScale: this.timeScale,
      readEveryMs: opts.readEveryMs,
    });
    this.faults = this.makeFaults();
  }

  /**
   * Connects the station to a stream. The first attach powers it on (`EVT boot why=power`);
   * later ones reconnect a station that kept running, like a board with its own power supply.
   */
  attach(stream: Duplex): void {
    this.detach();
    const parser = new StationLineParser(MAX_LINE_BYTES);
    const onBytes = (chunk: Buffer): void => {
      if (!this.isSilent) parser.write(chunk);
    };
    const onGone = (): void => {
      if (this.stream !== stream) return;
      this.log('link closed');
      this.detach();
    };
    const onError = (err: Error): void => this.log(`link error: ${err.message}`);
    parser.on('data', (line: string) => this.send(this.device.receiveLine(line, Date.now())));
    parser.on('estop', () => this.send(this.device.emergencyStop('host', Date.now())));
    parser.on('overlong', () => this.send(this.device.receiveOverlong(Date.now())));
    stream.on('data', onBytes);
    stream.on('end', onGone);
    stream.on('close', onGone);
    stream.on('error', onError);
    this.stream = stream;
    this.parser = parser;
    this.detachStream = () => {
      stream.off('data', onBytes);
      stream.off('end', onGone);
      stream.off('close', onGone);
      stream.off('error', onError);
    };
    if (!this.booted) {
      this.booted = true;
      this.send(this.device.boot('power', Date.now()));
    }
    if (!this.ticker) {
      this.ticker = setInterval(() => this.send(this.device.advance(Date.now())), TICK_MS);
      // A forgotten simulator must not keep a process alive; its stream does that when in use.
      this.ticker.unref?.();
    }
  }

  /** Lets go of the stream without closing it; the station keeps running and protecting. */
  detach(): void {
    this.detachStream?.();
    this.detachStream = null;
    this.parser?.destroy();
    this.parser = null;
    this.stream = null;
  }

  pressEstopButton(): void {
    this.send(this.device.emergencyStop('button', Date.now()));
  }

  /** A grower switching a relay by hand at the station; the host hears `EVT relay ... why=button`. */
  pressRelayButton(ch: string, on: boolean): void {
    this.send(this.device.pressRelayButton(ch, on, Date.now()));
  }

  snapshot(): SimSnapshot {
    const now = Date.now();
    if (this.booted) this.send(this.device.advance(now));
    const layout = this.layout;
    const truth = this.physics.truth();
    return {
      booted: this.booted,
      attached: this.stream !== null,
      silent: this.isSilent,
      upMs: this.booted ? this.device.upMs(now) : 0,
      simMs: this.device.simMs,
      timeScale: this.timeScale,
      relays: Object.fromEntries(layout.relays.map((r) => [r.id, this.physics.relayOn(r.id)])),
      pumps: Object.fromEntries(layout.pumps.map((p) => [p.id, this.physics.pumpOn(p.id)])),
      running: this.device.running,
      flows: Object.fromEntries(layout.flows.map((f) => [f.id, this.device.flowPulses(f.id)])),
      tank: {
        volumeL: round(truth.volumeL, 3),
        ec: round(truth.ec, 3),
        ph: round(truth.ph, 3),
        tempC: round(truth.tempC, 2),
        peakVolumeL: round(truth.peakVolumeL, 3),
      },
      dosedMl: Object.fromEntries(Object.entries(truth.dosedMl).map(([id, ml]) => [id, round(ml, 3)])),
      pumpRuns: this.physics.pumpRuns(),
      sensors: this.device.latestReadings(),
      stuck: this.physics.stuckSensors(),
      waterSupply: this.supplyOn,
      estopLatched: this.device.estopLatched,
      estopSource: this.device.estopSource,
      alarm: this.device.alarm,
      linesIn: this.device.linesIn,
      linesOut: this.linesOut,
      bad: { ...this.device.bad },
      replays: this.device.replays,
      corruptedOut: this.damage.corrupted,
    };
  }

  /** Detaches and stops the clock. The station cannot be restarted afterwards. */
  stop(): void {
    this.detach();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private send(lines: string[]): void {
    const stream = this.stream;
    if (!stream || this.isSilent || stream.destroyed || !stream.writable) return;
    for (const line of lines) {
      // A full transmit buffer drops lines, as a UART would; the stop echo still goes out.
      if (line !== ESTOP_ECHO && stream.writableNeedDrain) continue;
      const wire = line === ESTOP_ECHO ? line : this.damage.apply(line);
      stream.write(Buffer.from(wire, 'latin1'));
      if (line !== ESTOP_ECHO) this.linesOut++;
    }
  }

  private makeFaults(): SimulatorFaults {
    return {
      dropLink: () => {
        const stream = this.stream;
        this.detach();
        stream?.end();
        stream?.destroy();
      },
      sendGarbage: (bytes = 32) => {
        const stream = this.stream;
        if (stream && !this.isSilent && stream.writable) stream.write(this.damage.garbage(bytes));
      },
      corruptNext: (lines) => this.damage.corruptNext(lines),
      corruptRate: (rate) => this.damage.setCorruptRate(rate),
      silent: (on) => {
        this.isSilent = on;
      },
      reset: (why = 'reset') => {
        this.booted = true;
        this.send(this.device.boot(why, Date.now()));
      },
      stickSensor: (ch, value) => this.physics.stick(ch, value),
      unstickSensor: (ch) => this.physics.unstick(ch),
      probeError: (ch, offset, slope) => this.physics.setProbeError(ch, { offset, slope }),
      dipProbe: (ch, value) => this.physics.dipProbe(ch, value),
      waterSupply: (on) => {
        this.supplyOn = on;
        // Bring the model up to now first, so the change lands at the right moment.
        if (this.booted) this.send(this.device.advance(Date.now()));
        this.physics.setWaterSupply(on);
      },
      stickMeter: (id, stuck) => {
        if (!this.layout.flows.some((flow) => flow.id === id)) throw new Error(`there is no flow meter "${id}"`);
        if (this.booted) this.send(this.device.advance(Date.now()));
        this.physics.setMeterStuck(id, stuck);
      },
      blockOutlet: (blocked) => {
        if (this.booted) this.send(this.device.advance(Date.now()));
        this.physics.setOutletBlocked(blocked);
      },
    };
  }
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
