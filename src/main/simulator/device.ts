/**
 * The station controller's firmware as a pure state machine: bytes in, lines out. Every entry
 * point takes the current real time and returns what the device sends (framed lines, or the
 * single emergency stop byte); the caller owns the clock and the stream.
 *
 * Two clocks run here. The protocol's own timing (watchdog, heartbeats, `up`) is real time, so a
 * real host on a pty interoperates whatever the time scale. Physics and actions (dose run times,
 * bounds, fill pulses, noflow) run on simulated time, `timeScale` times faster, so a 10-minute
 * fill can be watched in a minute. Sensor reads follow the tank: once a simulated second, as the
 * real device reads once a second of its own, but no more often than every `FASTEST_READ_MS` of
 * real time; a sped-up fill is then seen as often, in litres, as a real one.
 */
import {
  deviceLine,
  HEARTBEAT_MS,
  parseHostBody,
  salvageSeq,
  unframe,
  type FieldValues,
} from '../protocol';
import { Actuators } from './actions';
import { AnswerMemory } from './answer-memory';
import { answerCommand, type CommandContext, type Identity } from './commands';
import { channelIndex, type ChannelSpec, type StationLayout } from './layout';
import type { TankPhysics } from './physics';

export const ESTOP_ECHO = '\x18';

export type BootReason = 'power' | 'reset' | 'watchdog';
export type EstopSource = 'host' | 'button';

export interface DeviceOptions {
  layout: StationLayout;
  physics: TankPhysics;
  identity: Identity;
  watchdogMs: number;
  timeScale: number;
  /** Real milliseconds between rounds of reads, instead of a simulated second (`readEveryMs`). */
  readEveryMs?: number;
}

/** Host lines the device threw away or could not act on, by reason. */
export interface BadLineCounts {
  checksum: number;
  garbage: number;
  syntax: number;
  overlong: number;
  unknownVerb: number;
}

/** Progress events must reach the host at least this often, in real and in simulated time. */
const PROGRESS_MS = 500;
/** Reads go out half a heartbeat after each `hb`, to spread the traffic. */
const READ_PHASE_MS = HEARTBEAT_MS / 2;
/** However fast the simulation, a host is not sent a round of reads more often than this. */
export const FASTEST_READ_MS = 50;

/** Real milliseconds between two rounds of sensor reads: a simulated second, within the protocol's second and `FASTEST_READ_MS`. */
export function readEveryMs(timeScale: number): number {
  return Math.min(HEARTBEAT_MS, Math.max(FASTEST_READ_MS, HEARTBEAT_MS / timeScale));
}

export class StationDevice {
  readonly channels: ReadonlyMap<string, ChannelSpec>;
  readonly bad: BadLineCounts = { checksum: 0, garbage: 0, syntax: 0, overlong: 0, unknownVerb: 0 };
  linesIn = 0;
  replays = 0;
  /** Opened by HELLO; closed at boot and when the watchdog trips (docs/protocol.md section 5). */
  sessionOpen = false;
  estopLatched = false;
  estopSource: EstopSource | null = null;
  alarm: string | null = null;

  private actions: Actuators;
  private readonly memory = new AnswerMemory();
  private readonly readings = new Map<string, number>();
  private out: string[] = [];
  /** Events raised while a command runs wait here, so they follow its final line. */
  private deferred: string[] | null = null;
  private bootedAt = 0;
  private realAt = 0;
  private simAt = 0;
  private nextBeatAt = 0;
  private nextReadAt = 0;
  private readonly readEveryMs: number;
  /** Armed by the first valid host line; disarmed once it has fired until the host is back. */
  private lastHostLineAt: number | null = null;

  constructor(private readonly opts: DeviceOptions) {
    this.channels = channelIndex(opts.layout);
    this.readEveryMs = opts.readEveryMs ?? readEveryMs(opts.timeScale);
    this.actions = this.freshActuators();
  }

  get simMs(): number {
    return this.actions.simMs;
  }

  get running(): { doses: string[]; fills: string[] } {
    return this.actions.runningSummary();
  }

  latestReadings(): Record<string, number> {
    return Object.fromEntries(this.readings);
  }

  flowPulses(id: string): number {
    return this.actions.flowState(id).pulses;
  }

  upMs(realNow: number): number {
    return Math.max(0, realNow - this.bootedAt);
  }

  /** Power-on or reboot: RAM is gone, so is every action, latch and remembered answer. */
  boot(why: BootReason, realNow: number): string[] {
    const { physics, layout } = this.opts;
    for (const relay of layout.relays) physics.setRelay(relay.id, false);
    for (const pump of layout.pumps) physics.setPump(pump.id, false);
    this.actions = this.freshActuators();
    this.memory.clear();
    this.sessionOpen = false;
    this.estopLatched = false;
    this.estopSource = null;
    this.alarm = null;
    this.lastHostLineAt = null;
    this.bootedAt = realNow;
    this.realAt = realNow;
    this.simAt = this.actions.simMs;
    this.nextBeatAt = realNow + HEARTBEAT_MS;
    this.nextReadAt = realNow + Math.min(READ_PHASE_MS, this.readEveryMs);
    this.readings.clear();
    for (const sensor of layout.sensors) this.readings.set(sensor.id, physics.read(sensor.id));
    this.event('boot', { fw: this.opts.identity.fw, why });
    return this.flush();
  }

  /** Time passing with nothing received. */
  advance(realNow: number): string[] {
    this.catchUp(realNow);
    return this.flush();
  }

  /** One received line, without its LF. */
  receiveLine(line: string, realNow: number): string[] {
    this.catchUp(realNow);
    if (line === '' || line === '\r') return this.flush();
    this.linesIn++;
    const unframed = unframe(line);
    if (!unframed.ok) {
      this.bad[unframed.reason]++;
      if (unframed.reason === 'overlong') this.out.push(deviceLine.nak(0, 'LONG'));
      else this.out.push(deviceLine.nak(salvageSeq(line), 'CRC'));
      return this.flush();
    }
    this.lastHostLineAt = realNow;
    const cmd = parseHostBody(unframed.body);
    if (!cmd) {
      this.bad.syntax++;
      this.out.push(deviceLine.nak(salvageSeq(unframed.body), 'SYNTAX', { msg: 'cannot parse command' }));
      return this.flush();
    }
    // HELLO is never replayed: numbering restarts with it, so an old answer under the same
    // number would belong to the previous session.
    if (cmd.verb === 'HELLO') this.memory.clear();
    const remembered = this.memory.recall(cmd.seq);
    if (remembered) {
      this.replays++;
      this.out.push(...remembered);
      return this.flush();
    }
    this.deferred = [];
    const answer = answerCommand(cmd, this.commandContext(realNow));
    if (answer.refused === 'UNKNOWN') this.bad.unknownVerb++;
    const events = this.deferred;
    this.deferred = null;
    this.memory.remember(cmd.seq, [...answer.rows, answer.final]);
    this.out.push(...answer.rows, answer.final, ...events);
    return this.flush();
  }

  /** The line parser dropped a line longer than `maxline`. */
  receiveOverlong(realNow: number): string[] {
    this.catchUp(realNow);
    this.linesIn++;
    this.bad.overlong++;
    this.out.push(deviceLine.nak(0, 'LONG'));
    return this.flush();
  }

  /** The stop byte from the host, or the station's own button. */
  emergencyStop(src: EstopSource, realNow: number): string[] {
    // Catching up first keeps the model honest (a dose that finished before the byte arrived ends
    // `complete`, not `estop`), but the echo jumps every line that catching up queued: it is what
    // the host is waiting for. A real board sends it from the receive interrupt.
    this.catchUp(realNow);
    this.out.unshift(ESTOP_ECHO);
    this.actions.allOff('estop');
    this.estopLatched = true;
    this.estopSource = src;
    this.alarm = 'ESTOP';
    this.event('estop', { latched: 1, src });
    return this.flush();
  }

  /** A relay's button on the board; refused while the emergency stop is latched, as the outputs are. */
  pressRelayButton(ch: string, on: boolean, realNow: number): string[] {
    const channel = this.channels.get(ch);
    if (channel?.kind !== 'relay') throw new Error(`there is no relay "${ch}"`);
    this.catchUp(realNow);
    if (on && this.estopLatched) throw new Error('the emergency stop is latched; release it before switching anything on');
    this.actions.pressRelayButton(channel.spec, on);
    return this.flush();
  }

  private catchUp(realNow: number): void {
    const watchdogAt = this.lastHostLineAt === null ? Infinity : this.lastHostLineAt + this.opts.watchdogMs;
    if (watchdogAt <= realNow) {
      // Outputs go off when the watchdog expired, not whenever the event loop got round to it.
      this.runUntil(watchdogAt);
      this.lastHostLineAt = null;
      // The host that went quiet may come back mid-job, unaware that it was ended here.
      this.sessionOpen = false;
      this.actions.allOff('watchdog');
      this.raiseAlarm('WATCHDOG', `no host line for ${this.opts.watchdogMs} ms; every output is off`);
    }
    this.runUntil(realNow);
    if (realNow >= this.nextBeatAt) {
      this.event('hb', { up: this.upMs(realNow) });
      this.nextBeatAt = nextSlot(this.nextBeatAt, realNow, HEARTBEAT_MS);
    }
    if (realNow >= this.nextReadAt) {
      for (const sensor of this.opts.layout.sensors) {
        const v = this.opts.physics.read(sensor.id);
        this.readings.set(sensor.id, v);
        this.event('read', { ch: sensor.id, v });
      }
      this.nextReadAt = nextSlot(this.nextReadAt, realNow, this.readEveryMs);
    }
  }

  private runUntil(realNow: number): void {
    if (realNow <= this.realAt) return;
    const simTarget = this.simAt + (realNow - this.realAt) * this.opts.timeScale;
    this.actions.advanceTo(simTarget);
    this.realAt = realNow;
    this.simAt = simTarget;
  }

  private commandContext(realNow: number): CommandContext {
    return {
      channels: this.channels,
      actions: this.actions,
      identity: this.opts.identity,
      watchdogMs: this.opts.watchdogMs,
      sessionOpen: this.sessionOpen,
      estopLatched: this.estopLatched,
      alarm: this.alarm,
      upMs: this.upMs(realNow),
      latestReading: (id) => this.readings.get(id) ?? 0,
      startSession: () => {
        this.sessionOpen = true;
        if (!this.estopLatched) this.alarm = null;
      },
      clearLatch: () => {
        this.estopLatched = false;
        this.estopSource = null;
        this.alarm = null;
      },
      event: (name, fields) => this.event(name, fields),
    };
  }

  private raiseAlarm(code: string, msg: string): void {
    // The emergency stop outranks everything until RESET.
    if (!this.estopLatched) this.alarm = code;
    this.event('alarm', { code, msg });
  }

  private event(name: string, fields: FieldValues): void {
    (this.deferred ?? this.out).push(deviceLine.event(name, fields));
  }

  private flush(): string[] {
    const lines = this.out;
    this.out = [];
    return lines;
  }

  private freshActuators(): Actuators {
    const progressMs = PROGRESS_MS * Math.min(1, this.opts.timeScale);
    return new Actuators(
      this.opts.physics,
      this.opts.layout,
      { event: (name, fields) => this.event(name, fields), alarm: (code, msg) => this.raiseAlarm(code, msg) },
      progressMs,
    );
  }
}

/** The next multiple of `period` after `now`; a stalled event loop skips beats and reads, not floods. */
function nextSlot(due: number, now: number, period: number): number {
  const next = due + period;
  return next > now ? next : now + period - ((now - due) % period);
}
