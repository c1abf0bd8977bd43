import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeFallback, fakeConnect, relayEvent, snapshot } from '../../../test-support/renderer/transport-fakes';
import { socketTransport } from './socket';
import { CommandNotDelivered, type ConnectionStatus, type StationTransport, type StationUpdate } from './types';

function live(options: { token?: string | null; attemptsBeforeFallback?: number } = {}) {
  const net = fakeConnect();
  const fallback = new FakeFallback();
  const transport = socketTransport({
    origin: 'http://10.0.0.5:4545',
    token: options.token === undefined ? 'secret' : options.token,
    name: 'Android phone, Chrome',
    fallback,
    attemptsBeforeFallback: options.attemptsBeforeFallback,
    connect: net.connect,
    // The longest wait of each step, so the timings below read as the policy's ceilings.
    random: () => 1,
  });
  const updates: StationUpdate[] = [];
  const statuses: ConnectionStatus[] = [];
  transport.start((update) => updates.push(update), (status) => statuses.push(status));
  return { transport, socket: net.socket, fallback, updates, statuses, last: () => statuses.at(-1) };
}

let open: StationTransport[] = [];
// From a fixed instant, so no run depends on the moment it starts.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});
afterEach(() => {
  for (const transport of open) transport.stop();
  open = [];
  vi.useRealTimers();
});
function started(options?: Parameters<typeof live>[0]) {
  const station = live(options);
  open.push(station.transport);
  return station;
}

describe('socketTransport', () => {
  it('connects with the pairing token and drives its own reconnects', () => {
    const { socket } = started();
    expect(socket().options).toEqual({ auth: { token: 'secret', name: 'Android phone, Chrome' }, reconnection: false });
  });

  it('is live once the snapshot is in, with the role the station gave this screen', () => {
    const { socket, updates, last } = started();
    expect(last()).toMatchObject({ state: 'connecting', mode: 'live' });
    socket().connected = true;
    socket().fire('connect');
    expect(last()?.state).toBe('connecting');
    socket().fire('initial_state', { ...snapshot('e1', 4), you: { id: 'sock-1', name: 'phone', role: 'viewer' } });
    expect(last()).toMatchObject({ state: 'connected', mode: 'live' });
    expect(updates.at(-1)?.role).toBe('viewer');
  });

  it('applies events with the shared reducer; a gap or a new epoch asks for a snapshot', () => {
    const { socket, updates } = started();
    socket().accept(snapshot('e1', 4));
    socket().fire('relay_update', relayEvent('e1', 5, 'lights'));
    expect(updates.at(-1)?.state.relays.lights?.on).toBe(true);
    expect(updates.at(-1)?.role).toBeUndefined();

    socket().fire('relay_update', relayEvent('e1', 7, 'air'));
    expect(socket().sentAs('resync')).toHaveLength(1);
    expect(updates.at(-1)?.state.relays.air).toBeUndefined();
    socket().fire('relay_update', relayEvent('e1', 8, 'air')); // while the snapshot is on its way
    expect(socket().sentAs('resync')).toHaveLength(1);
    socket().fire('status_update', snapshot('e1', 8, (state) => (state.relays.air = { on: true, why: 'cmd' })));
    expect(updates.at(-1)?.state.relays.air?.on).toBe(true);

    socket().fire('relay_update', relayEvent('e2', 1, 'fill'));
    expect(socket().sentAs('resync')).toHaveLength(2);
  });

  it('reconnects after a drop with backoff: 1 s, 1 s, 2 s, 4 s … up to 30 s', async () => {
    const { socket, last } = started({ attemptsBeforeFallback: 99 });
    socket().accept(snapshot('e1', 0));
    socket().drop();
    expect(last()).toMatchObject({ state: 'reconnecting', mode: 'live' });
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = socket().connectCalls;
      let waited = 0;
      while (socket().connectCalls === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      waits.push(waited);
      socket().refuse();
    }
    expect(waits).toEqual([1000, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(last()?.state).toBe('reconnecting');
  });

  it('tries again at once on reconnect', async () => {
    const { transport, socket } = started();
    socket().refuse();
    expect(socket().connectCalls).toBe(0);
    transport.reconnect();
    expect(socket().connectCalls).toBe(1);
    // The backoff's own try was replaced, not added to.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket().connectCalls).toBe(1);
  });

  it('polls after three failed attempts, keeps trying live, and goes back to live when it connects', async () => {
    const { transport, socket, fallback, updates, statuses, last } = started();
    socket().accept(snapshot('e1', 0), 'operator');
    socket().drop();
    socket().refuse();
    socket().refuse();
    expect(fallback.running).toBe(false);
    socket().refuse();
    expect(fallback.running).toBe(true);
    fallback.answer(snapshot('e1', 3).state);
    expect(last()).toMatchObject({ state: 'connected', mode: 'polling' });
    // While polling, failed live attempts do not speak over the polling status.
    const before = statuses.length;
    socket().refuse();
    expect(statuses).toHaveLength(before);
    transport.reconnect();
    expect(fallback.reconnects).toBe(1);

    await vi.advanceTimersByTimeAsync(30_000);
    expect(socket().connectCalls).toBeGreaterThan(0);
    socket().accept(snapshot('e1', 9, (state) => (state.relays.fill = { on: true, why: 'cmd' })));
    expect(fallback.running).toBe(false);
    expect(last()).toMatchObject({ state: 'connected', mode: 'live' });
    expect(updates.at(-1)?.state.relays.fill?.on).toBe(true);
  });

  it('resumes a recovered session without a snapshot', () => {
    const { socket, last } = started();
    socket().accept(snapshot('e1', 0));
    socket().drop();
    socket().connected = true;
    socket().recovered = true;
    socket().fire('connect');
    expect(last()).toMatchObject({ state: 'connected', mode: 'live' });
    expect(socket().sentAs('resync')).toHaveLength(0);
  });

  it('stops on a refused token and says how to pair', async () => {
    const { socket, last } = started();
    socket().refuse('this token is not valid (mistyped, or revoked)', { code: 'UNAUTHORIZED' });
    expect(last()).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/this token is not valid.*pairing link/) });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(socket().connectCalls).toBe(0);
  });

  it('waits as long as a rate limit asks', async () => {
    const { socket } = started();
    socket().refuse('too many failed pairing attempts; wait 55 s', { code: 'RATE_LIMITED', retryAfterMs: 55_000 });
    await vi.advanceTimersByTimeAsync(54_999);
    expect(socket().connectCalls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket().connectCalls).toBe(1);
  });

  it('refused for too many screens, polls at once, says why beside "connected", and goes live when a place frees', async () => {
    const { socket, fallback, updates, last } = started();
    const why = 'this token already has 1 live connection, the most one token may hold; close a tab or a screen using it, pair this screen with a token of its own, or raise lan.maxScreensPerToken in settings.json';
    socket().refuse(why, { code: 'TOO_MANY_SCREENS', limit: 1 });
    expect(fallback.running).toBe(true);
    fallback.answer(snapshot('e1', 3).state);
    expect(last()).toMatchObject({ state: 'connected', mode: 'polling', detail: `live updates refused: ${why}; polling meanwhile` });
    expect(updates).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(socket().connectCalls).toBe(1);
    socket().accept(snapshot('e1', 4));
    expect(fallback.running).toBe(false);
    expect(last()).toMatchObject({ state: 'connected', mode: 'live', detail: null });
  });

  it('asks for pairing without connecting when it has no token', () => {
    const { last } = started({ token: null });
    expect(last()).toMatchObject({ state: 'disconnected', detail: expect.stringMatching(/not paired/) });
  });
});

describe('socketTransport commands', () => {
  it('emits a command and resolves with its ack', async () => {
    const { transport, socket } = started();
    socket().accept(snapshot('e1', 0));
    const answer = transport.command({ id: 'k1', type: 'relay.set', relayId: 'air', on: true });
    const [command, ack] = socket().sentAs('command')[0] as [unknown, (answer: unknown) => void];
    expect(command).toEqual({ id: 'k1', type: 'relay.set', relayId: 'air', on: true });
    ack({ ok: true, result: { relayId: 'air', on: true } });
    await expect(answer).resolves.toEqual({ ok: true, result: { relayId: 'air', on: true } });
  });

  it('says a command may or may not have acted when no ack comes in time', async () => {
    const { transport, socket } = started();
    socket().accept(snapshot('e1', 0));
    const answer = transport.command({ id: 'k1', type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT', message: expect.stringMatching(/may or may not have acted/) } });
    // A late ack changes nothing.
    const [, ack] = socket().sentAs('command')[0] as [unknown, (answer: unknown) => void];
    ack({ ok: true });
  });

  it('refuses to send before it is live, and loses the answers of a dropped connection', async () => {
    const { transport, socket } = started();
    await expect(transport.command({ id: 'k0', type: 'estop' })).rejects.toBeInstanceOf(CommandNotDelivered);
    socket().accept(snapshot('e1', 0));
    const answer = transport.command({ id: 'k1', type: 'estop' });
    socket().drop();
    await expect(answer).rejects.toBeInstanceOf(CommandNotDelivered);
  });

  it('does not re-send a command into a restarted station, which has forgotten its id', async () => {
    const { transport, socket } = started();
    socket().accept(snapshot('e1', 0));
    const first = transport.command({ id: 'k1', type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    socket().drop();
    await expect(first).rejects.toBeInstanceOf(CommandNotDelivered);
    socket().accept(snapshot('e2', 0));
    const again = await transport.command({ id: 'k1', type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    expect(again).toMatchObject({ ok: false, error: { code: 'TIMEOUT', message: expect.stringMatching(/restarted/) } });
    expect(socket().sentAs('command')).toHaveLength(1);
  });

  it('re-sends into the same station with the same id', async () => {
    const { transport, socket } = started();
    socket().accept(snapshot('e1', 0));
    const first = transport.command({ id: 'k1', type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    socket().drop();
    await expect(first).rejects.toBeInstanceOf(CommandNotDelivered);
    socket().accept(snapshot('e1', 6));
    const again = transport.command({ id: 'k1', type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    const [command, ack] = socket().sentAs('command')[1] as [{ id: string }, (answer: unknown) => void];
    expect(command.id).toBe('k1');
    ack({ ok: false, error: { code: 'REFUSED', message: 'a dose of 3 mL exceeds the daily cap' } });
    await expect(again).resolves.toEqual({ ok: false, error: { code: 'REFUSED', message: 'a dose of 3 mL exceeds the daily cap' } });
  });

  it('does not trust an answer that is not an ack', async () => {
    const { transport, socket } = started();
    socket().accept(snapshot('e1', 0));
    const answer = transport.command({ id: 'k1', type: 'estop' });
    const [, ack] = socket().sentAs('command')[0] as [unknown, (answer: unknown) => void];
    ack('done');
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
