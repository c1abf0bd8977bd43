import { describe, expect, it } from 'vitest';
import { decodeDeviceLine, type Fields } from '../protocol';
import { Actuators } from './actions';
import { answerCommand, type CommandContext } from './commands';
import { channelIndex, defaultLayout } from './layout';
import { TankPhysics } from './physics';

/** A station in a session, its latch set as asked; no clock, no stream. */
function station(estopLatched = false, sessionOpen = true): CommandContext {
  const layout = defaultLayout();
  const physics = new TankPhysics(layout, 1);
  return {
    channels: channelIndex(layout),
    actions: new Actuators(physics, layout, { event: () => {}, alarm: () => {} }, 500),
    identity: { device: 'tendril-sim', fw: '0.3.1', serial: 'SIM-0001' },
    watchdogMs: 3000,
    sessionOpen,
    estopLatched,
    alarm: estopLatched ? 'ESTOP' : null,
    upMs: 0,
    latestReading: () => 0,
    startSession: () => {},
    clearLatch: () => {},
    event: () => {},
  };
}

function code(ctx: CommandContext, verb: string, fields: Fields = {}): string {
  return answerCommand({ seq: 1, verb, fields }, ctx).refused ?? 'ACK';
}

const FILL = { ch: 'fill', flow: 'flow1', pulses: '100', max: '10000', noflow: '1000' };

describe('order of checks while the stop is latched', () => {
  it.each([
    ['SET', { ch: 'mixer', on: '1' }],
    ['SET', { ch: 'mixer', on: '2' }],
    ['SET', { ch: 'mixer' }],
    ['SET', { ch: 'sprinkler', on: '1' }],
    ['SET', { ch: 'nut_a', on: '1' }],
    ['SET', { ch: 'fill', on: '1' }],
    ['SET', { on: '1' }],
    ['DOSE', {}],
    ['DOSE', { ch: 'mixer', ml: '5', rate: '1', max: '1000' }],
    ['DOSE', { ch: 'nut_a', ml: '999', rate: '-1' }],
    ['FILL', { ...FILL, ch: 'nowhere' }],
    ['FILL', { ...FILL, flow: 'ec1' }],
    ['FILL', { ...FILL, pulses: '0', noflow: '1' }],
  ])('refuses %s %j with ESTOP before anything else', (verb, fields) => {
    expect(code(station(true), verb, fields)).toBe('ESTOP');
  });

  it('still answers UNKNOWN first', () => {
    expect(code(station(true), 'FLY', { ch: 'mixer', on: '1' })).toBe('UNKNOWN');
  });

  it('never refuses SET on=0, nor commands that switch nothing on', () => {
    const ctx = station(true);
    expect(code(ctx, 'SET', { ch: 'mixer', on: '0' })).toBe('ACK');
    expect(code(ctx, 'SET', { ch: 'sprinkler', on: '0' })).toBe('CHANNEL');
    expect(code(ctx, 'SET', { on: '0' })).toBe('RANGE');
    for (const verb of ['HELLO', 'CHANNELS', 'STATE', 'PING', 'STOP', 'RESET']) expect(code(ctx, verb)).toBe('ACK');
  });

  it('gives the same commands their own codes once released', () => {
    const ctx = station(false);
    expect(code(ctx, 'SET', { ch: 'mixer', on: '2' })).toBe('RANGE');
    expect(code(ctx, 'SET', { ch: 'sprinkler', on: '1' })).toBe('CHANNEL');
    expect(code(ctx, 'DOSE', {})).toBe('RANGE');
    expect(code(ctx, 'FILL', { ...FILL, ch: 'nowhere' })).toBe('CHANNEL');
  });
});

describe('order of checks before HELLO', () => {
  const noSession = (estopLatched = false) => station(estopLatched, false);

  it.each([
    ['SET', { ch: 'mixer', on: '1' }],
    ['SET', { ch: 'mixer' }],
    ['SET', { ch: 'sprinkler', on: '1' }],
    ['DOSE', { ch: 'nut_a', ml: '5', rate: '1', max: '10000' }],
    ['DOSE', {}],
    ['FILL', FILL],
    ['FILL', { ...FILL, ch: 'nowhere' }],
  ])('refuses %s %j with NOSESSION, ahead of the latch and every field', (verb, fields) => {
    expect(code(noSession(), verb, fields)).toBe('NOSESSION');
    expect(code(noSession(true), verb, fields)).toBe('NOSESSION');
  });

  it('still answers UNKNOWN first', () => {
    expect(code(noSession(), 'FLY', { ch: 'mixer', on: '1' })).toBe('UNKNOWN');
  });

  it('lets everything through that switches nothing on', () => {
    const ctx = noSession();
    expect(code(ctx, 'SET', { ch: 'mixer', on: '0' })).toBe('ACK');
    for (const verb of ['HELLO', 'CHANNELS', 'STATE', 'PING', 'STOP', 'RESET']) expect(code(ctx, verb)).toBe('ACK');
  });

  it('says what to do about it', () => {
    const { final } = answerCommand({ seq: 4, verb: 'DOSE', fields: { ch: 'nut_a', ml: '5', rate: '1', max: '10000' } }, noSession());
    expect(decodeDeviceLine(final.trimEnd())).toMatchObject({ type: 'nak', seq: 4, code: 'NOSESSION', fields: { msg: expect.stringContaining('send HELLO') } });
  });
});

describe('decisions the spec leaves to the device', () => {
  it('answers HELLO with its own proto, whatever the host asked for', () => {
    for (const proto of ['1.0', '1.7', '2.0', undefined]) {
      const { final } = answerCommand({ seq: 1, verb: 'HELLO', fields: proto === undefined ? {} : { proto } }, station());
      expect(decodeDeviceLine(final.trimEnd())).toMatchObject({ type: 'ack', fields: { proto: '1.2' } });
    }
  });

  it('takes any relay as the valve of a FILL, but only a relay', () => {
    expect(code(station(), 'FILL', { ...FILL, ch: 'drain' })).toBe('ACK');
    expect(code(station(), 'FILL', { ...FILL, ch: 'nut_a' })).toBe('CHANNEL');
  });

  it('wants noflow from 500 ms up to max', () => {
    expect(code(station(), 'FILL', { ...FILL, noflow: '499' })).toBe('RANGE');
    expect(code(station(), 'FILL', { ...FILL, noflow: '500' })).toBe('ACK');
    expect(code(station(), 'FILL', { ...FILL, noflow: '10000' })).toBe('ACK');
    expect(code(station(), 'FILL', { ...FILL, noflow: '10001' })).toBe('RANGE');
    expect(code(station(), 'FILL', { ...FILL, noflow: '1000.5' })).toBe('RANGE');
  });
});
