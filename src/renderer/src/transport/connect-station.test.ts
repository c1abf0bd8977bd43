import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendCommand } from '../commands';
import { connectStation, reconnectNow, useStationStore } from '../store';
import { FakeFallback, fakeConnect, relayEvent, snapshot } from './fakes';
import { socketTransport } from './socket';

/** A LAN screen: the store fed by the live transport over a socket the test plays the server for. */
function lanScreen() {
  const net = fakeConnect();
  const fallback = new FakeFallback();
  const transport = socketTransport({ origin: 'http://10.0.0.5:4545', token: 'secret', name: 'phone', fallback, connect: net.connect, random: () => 1 });
  const stop = connectStation(transport);
  return { socket: net.socket, fallback, stop, store: () => useStationStore.getState() };
}

type Sent = [{ id: string; type: string }, (answer: unknown) => void];

let stops: Array<() => void> = [];
beforeEach(() => {
  vi.useFakeTimers();
  useStationStore.setState({ station: null, role: null, clockOffsetMs: 0 });
});
afterEach(() => {
  // The outbox lives as long as the page: a test must not leave commands in it for the next.
  expect(useStationStore.getState().pendingCommands).toBe(0);
  for (const stop of stops) stop();
  stops = [];
  vi.useRealTimers();
});
function started() {
  const screen = lanScreen();
  stops.push(screen.stop);
  return screen;
}

describe('connectStation', () => {
  it('feeds the store from the events, and resyncs on a gap or a new epoch', () => {
    const { socket, store } = started();
    expect(store().connection).toMatchObject({ state: 'connecting', mode: 'live' });
    socket().accept(snapshot('e1', 10), 'viewer');
    expect(store().connection).toMatchObject({ state: 'connected', mode: 'live' });
    expect(store().role).toBe('viewer');
    socket().fire('relay_update', relayEvent('e1', 11, 'lights'));
    expect(store().station?.relays.lights?.on).toBe(true);

    socket().fire('relay_update', relayEvent('e1', 13, 'air'));
    expect(socket().sentAs('resync')).toHaveLength(1);
    socket().fire('status_update', snapshot('e1', 13, (state) => (state.relays.air = { on: true, why: 'cmd' })));
    expect(store().station?.relays.air?.on).toBe(true);

    socket().fire('relay_update', relayEvent('e2', 1, 'fill'));
    expect(socket().sentAs('resync')).toHaveLength(2);
    expect(store().station?.relays.fill).toBeUndefined();
  });

  it('queues commands while only polling works, keeps the last live role, and flushes them when live is back', async () => {
    const { socket, fallback, store } = started();
    socket().accept(snapshot('e1', 0), 'operator');
    socket().drop();
    for (let failure = 0; failure < 3; failure++) socket().refuse();
    fallback.answer(snapshot('e1', 2).state);
    expect(store().connection).toMatchObject({ state: 'connected', mode: 'polling' });
    expect(store().role).toBe('operator');

    const lights = sendCommand({ type: 'relay.set', relayId: 'lights', on: true });
    const dose = sendCommand({ type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    expect(store().pendingCommands).toBe(2);
    expect(socket().sentAs('command')).toHaveLength(0);

    socket().accept(snapshot('e1', 5));
    const first = socket().sentAs('command')[0] as Sent;
    expect(first[0]).toMatchObject({ type: 'relay.set' });
    expect(first[0].id).toMatch(/^[0-9a-f]{32}$/);
    first[1]({ ok: true });
    await vi.advanceTimersByTimeAsync(0);
    const second = socket().sentAs('command')[1] as Sent;
    expect(second[0]).toMatchObject({ type: 'pump.dose' });
    second[1]({ ok: true, result: { jobId: 12 } });
    await expect(lights).resolves.toEqual({ ok: true });
    await expect(dose).resolves.toEqual({ ok: true, result: { jobId: 12 } });
    expect(store().pendingCommands).toBe(0);
  });

  it('re-sends a command with the same id when the connection drops before its ack', async () => {
    const { socket, store } = started();
    socket().accept(snapshot('e1', 0));
    const answer = sendCommand({ type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    const [sent] = socket().sentAs('command')[0] as Sent;
    socket().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(store().pendingCommands).toBe(1);

    socket().accept(snapshot('e1', 4));
    const [again, ack] = socket().sentAs('command')[1] as Sent;
    expect(again.id).toBe(sent.id);
    ack({ ok: true, result: { jobId: 7 } });
    await expect(answer).resolves.toEqual({ ok: true, result: { jobId: 7 } });
  });

  it('shows a waiting emergency stop, and sends it the moment the connection is back', async () => {
    const { socket, store } = started();
    socket().accept(snapshot('e1', 0));
    socket().drop();
    const stop = await sendCommand({ type: 'estop' });
    expect(stop).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    expect(store()).toMatchObject({ pendingCommands: 1, estopWaiting: true });
    socket().accept(snapshot('e1', 1));
    const [sent, ack] = socket().sentAs('command')[0] as Sent;
    expect(sent).toMatchObject({ type: 'estop' });
    expect(store()).toMatchObject({ pendingCommands: 0, estopWaiting: false });
    ack({ ok: true, result: { latched: true } });
  });

  it('reconnects at once on request', () => {
    const { socket } = started();
    socket().refuse();
    reconnectNow();
    expect(socket().connectCalls).toBe(1);
  });
});
