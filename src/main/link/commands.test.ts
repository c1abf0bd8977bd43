import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandChannel, CommandError } from './commands';
import { backoffDelay } from './backoff';
import { HandshakeError, parseChannelRows, parseIdentity, parseStateRows } from './handshake';
import { stationEventFromDevice } from './device-events';

function channel(attempts = 3) {
  const written: string[] = [];
  const retries: string[] = [];
  const commands = new CommandChannel(
    { write: (line) => written.push(line), onRetry: (_verb, _seq, why) => retries.push(why), onTimeout: () => {} },
    { timeoutMs: 500, attempts },
  );
  return { commands, written, retries };
}

describe('CommandChannel', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => vi.useRealTimers());

  it('numbers commands and resolves on ACK with the rows that came before', async () => {
    const { commands, written } = channel();
    const result = commands.send('CHANNELS');
    expect(written).toEqual([expect.stringMatching(/^1 CHANNELS\*[0-9A-F]{4}\n$/)]);
    commands.onRow(1, { ch: 'fill' });
    commands.onAck(1, { count: '1' });
    await expect(result).resolves.toEqual({ fields: { count: '1' }, rows: [{ ch: 'fill' }] });
  });

  it('keeps to the send window', async () => {
    const { commands, written } = channel();
    const first = commands.send('PING');
    const second = commands.send('PING');
    expect(written).toHaveLength(1);
    commands.onAck(1, {});
    await first;
    await Promise.resolve();
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/^2 PING/);
    commands.onAck(2, {});
    await second;
  });

  it('re-sends the same line on timeout, then gives up after the bound', async () => {
    const { commands, written, retries } = channel(3);
    const result = commands.send('PING').catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(1500);
    const err = await result;
    expect(written).toHaveLength(3);
    expect(new Set(written).size).toBe(1);
    expect(retries).toEqual(['timeout', 'timeout']);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).code).toBe('TIMEOUT');
  });

  it('re-sends on a CRC rejection, by number or for everything waiting', async () => {
    const { commands, written } = channel();
    const result = commands.send('SET', { ch: 'fill', on: 0 });
    commands.onNak(1, 'CRC', {});
    commands.onNak(0, 'CRC', {});
    expect(written).toHaveLength(3);
    commands.onAck(1, {});
    await expect(result).resolves.toBeTruthy();
  });

  it('passes other rejections to the caller with the device message', async () => {
    const { commands, written } = channel();
    const result = commands.send('DOSE', { ch: 'nut_a', ml: 900 });
    commands.onNak(1, 'RANGE', { msg: 'ml above maxml 250' });
    await expect(result).rejects.toMatchObject({ code: 'RANGE', message: 'ml above maxml 250' });
    expect(written).toHaveLength(1);
  });

  it('ignores answers to numbers it is not waiting for', () => {
    const { commands } = channel();
    expect(() => {
      commands.onAck(42, {});
      commands.onNak(42, 'RANGE', {});
      commands.onRow(42, {});
    }).not.toThrow();
  });

  it('fails everything when the link drops', async () => {
    const { commands } = channel();
    const a = commands.send('PING');
    const b = commands.send('PING');
    commands.failAll('LINK_DOWN', 'unplugged');
    await expect(a).rejects.toMatchObject({ code: 'LINK_DOWN' });
    await expect(b).rejects.toMatchObject({ code: 'LINK_DOWN' });
    expect(commands.busy).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles up to the cap, with jitter within half of the delay', () => {
    const policy = { baseMs: 250, capMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(1000);
  });
});

describe('handshake answers', () => {
  const hello = { device: 'x', fw: '1.2.0', proto: '1.3', serial: 'S1', window: '2', watchdog: '2500' };

  it('reads the identity', () => {
    expect(parseIdentity(hello)).toEqual({ device: 'x', firmware: '1.2.0', protocol: '1.3', serial: 'S1', window: 2, watchdogMs: 2500 });
  });

  it('refuses another major version with a clear, permanent error', () => {
    let error: unknown;
    try {
      parseIdentity({ ...hello, proto: '2.0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).permanent).toBe(true);
    expect((error as Error).message).toMatch(/speaks protocol 2\.0, Tendril speaks 1\.x/);
  });

  it('refuses an answer without identity', () => {
    expect(() => parseIdentity({ device: 'x' })).toThrow(/identity/);
  });

  it('ignores channel kinds it does not know', () => {
    const table = parseChannelRows([
      { ch: 'fill', kind: 'relay', name: 'Fill valve', maxms: '600000' },
      { ch: 'co2', kind: 'co2', name: 'CO2' },
      { ch: 'nut_a', kind: 'pump', name: 'Nutrient A', maxml: '250', maxms: '300000' },
      { kind: 'relay' },
    ]);
    expect(table.channels).toEqual([
      { id: 'fill', kind: 'relay', name: 'Fill valve', maxMs: 600000 },
      { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250, maxMs: 300000 },
    ]);
    expect(table.ignored).toEqual(['co2 (co2)']);
  });

  it('reads channel states by kind', () => {
    const { channels } = parseChannelRows([
      { ch: 'fill', kind: 'relay', name: 'Fill' },
      { ch: 'nut_a', kind: 'pump', name: 'A' },
      { ch: 'flow1', kind: 'flow', name: 'F' },
      { ch: 'ec1', kind: 'ec', name: 'EC' },
    ]);
    expect(
      parseStateRows(channels, [
        { ch: 'fill', on: '1' },
        { ch: 'nut_a', run: '1', ml: '2.5', target: '10' },
        { ch: 'flow1', pulses: '100', rate: '3' },
        { ch: 'ec1', v: '1.4' },
        { ch: 'ghost', v: '1' },
      ]),
    ).toEqual({
      relays: { fill: { on: true, why: 'state' } },
      pumps: { nut_a: { running: true, ml: 2.5, target: 10 } },
      flows: { flow1: { pulses: 100, rate: 3 } },
      readings: { ec1: 1.4 },
    });
  });
});

describe('device events', () => {
  it('maps known events and flags unknown ones', () => {
    expect(stationEventFromDevice('read', { ch: 'ph1', v: '6.1' }, 5)).toEqual({ type: 'reading', channel: 'ph1', value: 6.1, at: 5 });
    expect(stationEventFromDevice('dose', { ch: 'nut_a', ml: '5', target: '5', done: '1', why: 'complete' }, 0)).toMatchObject({ done: true, why: 'complete' });
    expect(stationEventFromDevice('hb', { up: '1' }, 0)).toBeNull();
    expect(stationEventFromDevice('read', { ch: 'ph1', v: 'nan-ish' }, 0)).toBeNull();
    expect(stationEventFromDevice('sparkle', {}, 0)).toBeUndefined();
  });
});

describe('numbers in device events', () => {
  it('reads decimals exactly as Number() does', () => {
    for (const text of ['0', '12', '-3', '1.25', '-0.5', '6.021', '0.000001', '123456.789', '1e3', '0x10', 'abc', '-', '.', '1.2.3', '99999999999999999999']) {
      const event = stationEventFromDevice('read', { ch: 'ec1', v: text }, 0);
      const expected = Number(text);
      if (Number.isFinite(expected)) expect(event, text).toMatchObject({ value: expected });
      else expect(event, text).toBeNull();
    }
  });
});
