/**
 * What the device answers to each host command (docs/protocol.md section 5). Refusals follow the
 * spec's order: UNKNOWN, then NOSESSION and ESTOP for anything that actuates, before a single
 * field is looked at, then CHANNEL, RANGE, BUSY. (SYNTAX comes earlier still, in the device.)
 * Checking the session and the latch first means a host that is wrong about a channel or a bound
 * still learns the real reason nothing will move.
 */
import { deviceLine, num, PROTOCOL_VERSION, MAX_LINE_BYTES, type FieldValues, type HostCommand, type NakCode } from '../protocol';
import type { Actuators } from './actions';
import { channelRow, type ChannelSpec, type FlowSpec, type PumpSpec, type RelaySpec } from './layout';

export interface Identity {
  device: string;
  fw: string;
  serial: string;
}

export interface CommandContext {
  channels: ReadonlyMap<string, ChannelSpec>;
  actions: Actuators;
  identity: Identity;
  watchdogMs: number;
  /**
   * False from boot, and again once the watchdog has tripped, until the next HELLO: a host that
   * has not handshaken since may be carrying on a job the device has already abandoned.
   */
  sessionOpen: boolean;
  estopLatched: boolean;
  alarm: string | null;
  upMs: number;
  latestReading(sensorId: string): number;
  /** HELLO: opens the session; a clean session forgets alarms that do not latch. */
  startSession(): void;
  /** RESET: clears the emergency stop latch and any alarm. */
  clearLatch(): void;
  event(name: string, fields: FieldValues): void;
}

/** The ROW lines and the final ACK or NAK, all framed. */
export interface Answer {
  rows: string[];
  final: string;
  refused?: NakCode;
}

class Refusal {
  constructor(
    readonly code: NakCode,
    readonly msg: string,
  ) {}
}

function refuse(code: NakCode, msg: string): never {
  throw new Refusal(code, msg);
}

type Handler = (cmd: HostCommand, ctx: CommandContext) => Answer;

const ESTOP_MSG = 'emergency stop latched; send RESET';
const NOSESSION_MSG = 'no session: restarted or watchdog tripped; send HELLO';

/**
 * The spec's floor for `noflow`: a meter on a slow line pulses only a few times a second, so a
 * shorter window would end healthy fills.
 */
const MIN_NOFLOW_MS = 500;

/**
 * Commands the latch and a missing session refuse. A SET counts unless it says `on=0` exactly: switching off is
 * always allowed, and anything else (a typo, a missing `on`) could mean on.
 */
function actuates(cmd: HostCommand): boolean {
  if (cmd.verb === 'SET') return cmd.fields.on !== '0';
  return cmd.verb === 'DOSE' || cmd.verb === 'FILL';
}

const handlers: Record<string, Handler> = {
  // The host's `proto` is not checked: the device states its own version and the host decides
  // whether it can go on.
  HELLO(cmd, ctx) {
    ctx.startSession();
    return ack(cmd, {
      device: ctx.identity.device,
      fw: ctx.identity.fw,
      proto: PROTOCOL_VERSION,
      serial: ctx.identity.serial,
      window: 1,
      watchdog: ctx.watchdogMs,
      maxline: MAX_LINE_BYTES,
    });
  },

  CHANNELS(cmd, ctx) {
    const rows = [...ctx.channels.values()].map((channel) => deviceLine.row(cmd.seq, channelRow(channel)));
    return { rows, final: deviceLine.ack(cmd.seq, { count: rows.length }) };
  },

  STATE(cmd, ctx) {
    const rows = [...ctx.channels.values()].map((channel) =>
      deviceLine.row(cmd.seq, { ch: channel.spec.id, ...channelState(channel, ctx) }),
    );
    const final = deviceLine.ack(cmd.seq, { estop: ctx.estopLatched, alarm: ctx.alarm ?? 'none', up: ctx.upMs });
    return { rows, final };
  },

  PING(cmd, ctx) {
    return ack(cmd, { up: ctx.upMs });
  },

  SET(cmd, ctx) {
    const relay = channelOfKind(cmd, ctx, 'ch', 'relay');
    const on = cmd.fields.on;
    if (on !== '0' && on !== '1') refuse('RANGE', 'on must be 0 or 1');
    if (on === '0') {
      ctx.actions.setRelay(relay, false);
      return ack(cmd);
    }
    const max = cmd.fields.max === undefined ? undefined : positiveInteger(cmd, 'max');
    if (relay.maxMs !== undefined && (max === undefined || max > relay.maxMs)) {
      refuse('RANGE', `${relay.id} needs max of at most ${relay.maxMs} ms`);
    }
    if (ctx.actions.filling(relay.id)) refuse('BUSY', `${relay.id} is filling`);
    ctx.actions.setRelay(relay, true, max);
    return ack(cmd);
  },

  DOSE(cmd, ctx) {
    const pump = channelOfKind(cmd, ctx, 'ch', 'pump');
    const ml = positiveNumber(cmd, 'ml');
    const rate = positiveNumber(cmd, 'rate');
    const max = positiveInteger(cmd, 'max');
    if (ml > pump.maxMl) refuse('RANGE', `${pump.id} doses at most ${pump.maxMl} ml`);
    if (max > pump.maxMs) refuse('RANGE', `${pump.id} runs at most ${pump.maxMs} ms`);
    if (ctx.actions.dosing(pump.id)) refuse('BUSY', `${pump.id} is already dosing`);
    ctx.actions.startDose(pump, ml, rate, max);
    return ack(cmd);
  },

  // Any relay may be the valve: which meter sits on which line is the host's tank configuration,
  // not something the device knows. A valve whose water never reaches the meter ends `noflow`.
  FILL(cmd, ctx) {
    const valve = channelOfKind(cmd, ctx, 'ch', 'relay');
    const meter = channelOfKind(cmd, ctx, 'flow', 'flow');
    const pulses = positiveInteger(cmd, 'pulses');
    const max = positiveInteger(cmd, 'max');
    const noflow = positiveInteger(cmd, 'noflow');
    if (pulses > meter.maxPulses) refuse('RANGE', `${meter.id} counts at most ${meter.maxPulses} pulses per fill`);
    if (valve.maxMs !== undefined && max > valve.maxMs) refuse('RANGE', `${valve.id} stays open at most ${valve.maxMs} ms`);
    if (noflow < MIN_NOFLOW_MS || noflow > max) refuse('RANGE', `noflow must be from ${MIN_NOFLOW_MS} ms to max`);
    if (ctx.actions.filling(valve.id) || ctx.actions.filling(meter.id)) refuse('BUSY', 'a fill is already running');
    if (ctx.actions.relayOn(valve.id)) refuse('BUSY', `${valve.id} is already open`);
    ctx.actions.startFill(valve, meter, pulses, max, noflow);
    return ack(cmd);
  },

  STOP(cmd, ctx) {
    const id = cmd.fields.ch;
    if (id === undefined) ctx.actions.allOff('stop');
    else if (ctx.channels.has(id)) ctx.actions.stop(id);
    else refuse('CHANNEL', `no channel ${id}`);
    return ack(cmd);
  },

  RESET(cmd, ctx) {
    ctx.clearLatch();
    ctx.event('estop', { latched: 0 });
    return ack(cmd);
  },
};

export function answerCommand(cmd: HostCommand, ctx: CommandContext): Answer {
  const handler = handlers[cmd.verb];
  if (!handler) return nak(cmd, 'UNKNOWN', `unknown verb ${cmd.verb}`);
  // A missing session outranks the latch: such a host's picture of the station is stale, latch
  // included, and what it needs first is to handshake again.
  if (!ctx.sessionOpen && actuates(cmd)) return nak(cmd, 'NOSESSION', NOSESSION_MSG);
  if (ctx.estopLatched && actuates(cmd)) return nak(cmd, 'ESTOP', ESTOP_MSG);
  try {
    return handler(cmd, ctx);
  } catch (err) {
    if (err instanceof Refusal) return nak(cmd, err.code, err.msg);
    throw err;
  }
}

function ack(cmd: HostCommand, fields: FieldValues = {}): Answer {
  return { rows: [], final: deviceLine.ack(cmd.seq, fields) };
}

function nak(cmd: HostCommand, code: NakCode, msg: string): Answer {
  return { rows: [], final: deviceLine.nak(cmd.seq, code, { msg }), refused: code };
}

function channelState(channel: ChannelSpec, ctx: CommandContext): FieldValues {
  switch (channel.kind) {
    case 'relay':
      return { on: ctx.actions.relayOn(channel.spec.id) };
    case 'pump':
      return ctx.actions.pumpState(channel.spec.id);
    case 'flow':
      return ctx.actions.flowState(channel.spec.id);
    default:
      return { v: ctx.latestReading(channel.spec.id) };
  }
}

interface SpecOfKind {
  relay: RelaySpec;
  pump: PumpSpec;
  flow: FlowSpec;
}

function channelOfKind<K extends keyof SpecOfKind>(cmd: HostCommand, ctx: CommandContext, key: string, kind: K): SpecOfKind[K] {
  const id = cmd.fields[key];
  if (id === undefined) refuse('RANGE', `${key} is missing`);
  const channel = ctx.channels.get(id);
  if (!channel) refuse('CHANNEL', `no channel ${id}`);
  if (channel.kind !== kind) refuse('CHANNEL', `${id} is a ${channel.kind}, not a ${kind}`);
  return channel.spec as SpecOfKind[K];
}

/** Section 3.2 numbers only: no exponents, hex or `Infinity` sneaking in through Number(). */
const DECIMAL = /^-?\d+(\.\d+)?$/;

function positiveNumber(cmd: HostCommand, key: string): number {
  const text = cmd.fields[key];
  if (text === undefined) refuse('RANGE', `${key} is missing`);
  const value = num(cmd.fields, key);
  if (!DECIMAL.test(text) || !(value > 0)) refuse('RANGE', `${key} must be a positive number`);
  return value;
}

/** Durations and pulse counts are whole numbers on the wire. */
function positiveInteger(cmd: HostCommand, key: string): number {
  const value = positiveNumber(cmd, key);
  if (!Number.isInteger(value)) refuse('RANGE', `${key} must be a whole number`);
  return value;
}
