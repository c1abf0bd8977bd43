import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Refusal } from '../../shared/refusal';
import { asRefusal, CommandChannel, CommandError } from './commands';
import { TEST_START } from '../../test-support/main/fake-time';

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
    vi.setSystemTime(TEST_START);
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

describe('CommandChannel priorities', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(TEST_START);
  });
  afterEach(() => vi.useRealTimers());

  it('puts a command marked first ahead of the queue', async () => {
    const { commands, written } = channel();
    const a = commands.send('PING');
    const b = commands.send('SET', { ch: 'lights', on: 1 });
    const stop = commands.send('STOP', {}, { first: true });
    commands.onAck(1, {});
    await a;
    await Promise.resolve();
    expect(written[1]).toMatch(/^2 STOP/);
    commands.onAck(2, {});
    await stop;
    await Promise.resolve();
    commands.onAck(3, {});
    await b;
  });

  it('fails just the matching commands, waiting or queued', async () => {
    const { commands } = channel();
    const on = commands.send('SET', { ch: 'lights', on: 1 });
    const ping = commands.send('PING');
    const dose = commands.send('DOSE', { ch: 'nut_a', ml: 1 });
    commands.failWhere((verb) => verb !== 'PING', 'ESTOP', 'stopped');
    await expect(on).rejects.toMatchObject({ code: 'ESTOP' });
    await expect(dose).rejects.toMatchObject({ code: 'ESTOP' });
    await Promise.resolve();
    commands.onAck(2, {});
    await expect(ping).resolves.toBeTruthy();
  });
});

describe('a command error leaving the link', () => {
  it('becomes a Refusal in the API\'s codes with the same words', () => {
    const table: Array<[string, string]> = [
      ['LINK_DOWN', 'NOT_READY'],
      ['ESTOP', 'ESTOP'],
      ['TIMEOUT', 'TIMEOUT'],
      ['NOT_READY', 'NOT_READY'],
      ['INVALID', 'INVALID'],
      ['NOT_FOUND', 'NOT_FOUND'],
      ['CHANNEL', 'REFUSED'],
      ['RANGE', 'REFUSED'],
      ['BUSY', 'REFUSED'],
      ['REFUSED', 'REFUSED'],
      ['FLOW', 'REFUSED'],
    ];
    for (const [linkCode, apiCode] of table) {
      const refusal = asRefusal(new CommandError(linkCode, `because ${linkCode}`));
      expect(refusal).toBeInstanceOf(Refusal);
      expect(refusal).toMatchObject({ code: apiCode, message: `because ${linkCode}` });
    }
    const fault = new Error('port closed');
    expect(asRefusal(fault)).toBe(fault);
  });
});
