import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendCommand } from '../commands';
import { connectStation, reconnectNow, useStationStore } from '../store';
import { FakeFallback, fakeConnect, relayEvent, snapshot } from '../../../test-support/renderer/transport-fakes';
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
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
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

  it('sends commands by the REST API while only polling works, the waiting stop first, and keeps the last live role', async () => {
    const { socket, fallback, store } = started();
    socket().accept(snapshot('e1', 0), 'operator');
    socket().drop();
    // Offline for a moment: both wait, the stop ahead of the relay given before it.
    const lights = sendCommand({ type: 'relay.set', relayId: 'lights', on: true });
    const waitingStop = await sendCommand({ type: 'estop' });
    expect(waitingStop).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
    expect(store()).toMatchObject({ pendingCommands: 2, estopWaiting: true });

    for (let failure = 0; failure < 3; failure++) socket().refuse();
    fallback.answer(snapshot('e1', 2).state);
    expect(store().connection).toMatchObject({ state: 'connected', mode: 'polling' });
    expect(store().role).toBe('operator');
    expect(fallback.commands.map((posted) => posted.command.type)).toEqual(['estop']);
    expect(store().estopWaiting).toBe(false);
    fallback.commands[0]!.answer({ ok: true, result: { latched: true } });
    await vi.advanceTimersByTimeAsync(0);

    // The relay's answer is lost: it waits for the next poll that gets through, then goes again
    // with the same id, so the station switches it once.
    const first = fallback.commands[1]!;
    expect(first.command).toMatchObject({ type: 'relay.set', relayId: 'lights', on: true });
    fallback.fail();
    first.lose();
    await vi.advanceTimersByTimeAsync(0);
    expect(store().pendingCommands).toBe(1);
    fallback.answer(snapshot('e1', 3).state);
    const again = fallback.commands[2]!;
    expect(again.command.id).toBe(first.command.id);
    again.answer({ ok: true, result: { relayId: 'lights', on: true } });
    await expect(lights).resolves.toEqual({ ok: true, result: { relayId: 'lights', on: true } });
    expect(socket().sentAs('command')).toHaveLength(0);

    // A stop pressed while polling goes out at once, ahead of a command still in flight.
    const dose = sendCommand({ type: 'pump.dose', pumpId: 'nut_a', ml: 3 });
    const stop = sendCommand({ type: 'estop' });
    expect(fallback.commands.slice(3).map((posted) => posted.command.type)).toEqual(['pump.dose', 'estop']);
    fallback.commands[4]!.answer({ ok: true, result: { latched: true } });
    await expect(stop).resolves.toEqual({ ok: true, result: { latched: true } });
    fallback.commands[3]!.answer({ ok: false, error: { code: 'ESTOP', message: 'the emergency stop is latched' } });
    await expect(dose).resolves.toMatchObject({ ok: false, error: { code: 'ESTOP' } });

    // Live again: commands go over the socket.
    socket().accept(snapshot('e1', 5));
    const reset = sendCommand({ type: 'estop.reset' });
    const [sent, ack] = socket().sentAs('command')[0] as Sent;
    expect(sent).toMatchObject({ type: 'estop.reset' });
    ack({ ok: true, result: { latched: false } });
    await expect(reset).resolves.toEqual({ ok: true, result: { latched: false } });
    expect(fallback.commands).toHaveLength(5);
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
