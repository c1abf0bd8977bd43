import { describe, expect, it } from 'vitest';
import type { TendrilBridge } from '../../../shared/bridge';
import type { LiveMessage, StationEvent, StationSnapshot } from '../../../shared/events';
import { initialStationState } from '../../../shared/station';
import { ipcTransport } from './ipc';
import type { ConnectionStatus, StationUpdate } from './types';

const relay = (seq: number, relayId: string): LiveMessage => ({
  name: 'relay_update',
  payload: { type: 'relay_update', relayId, on: true, why: 'cmd', seq, epoch: 'e' } as StationEvent,
});

/** A bridge whose snapshots the test hands out one by one. */
function fakeBridge() {
  let listener: ((messages: LiveMessage[]) => void) | null = null;
  const asked: Array<{ resolve: (snapshot: StationSnapshot) => void; reject: (error: Error) => void }> = [];
  const bridge: TendrilBridge = {
    snapshot: () => new Promise((resolve, reject) => asked.push({ resolve, reject })),
    onEvents: (l) => {
      listener = l;
      return () => (listener = null);
    },
    command: async (command) => (isEstop(command) ? { ok: true, result: { latched: true } } : Promise.reject(new Error('main broke'))),
    record: async () => ({ status: 200, contentType: 'application/json', body: '[]' }),
  };
  return { bridge, asked, push: (messages: LiveMessage[]) => listener?.(messages), subscribed: () => listener !== null };
}

const isEstop = (command: unknown): boolean => (command as { type?: unknown }).type === 'estop';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ipcTransport', () => {
  it('follows main from a snapshot, skips what the snapshot holds, and resyncs on a gap', async () => {
    const fake = fakeBridge();
    const updates: StationUpdate[] = [];
    const statuses: ConnectionStatus[] = [];
    const transport = ipcTransport(fake.bridge);
    transport.start((update) => updates.push(update), (status) => statuses.push(status));
    expect(fake.subscribed()).toBe(true);
    fake.push([relay(1, 'fill')]); // before the snapshot: nothing to apply it to yet
    fake.asked.shift()!.resolve({ epoch: 'e', seq: 1, state: initialStationState(true, 'simulated') });
    await flush();
    expect(statuses.at(-1)).toMatchObject({ state: 'connected', mode: 'desktop' });
    fake.push([relay(1, 'fill'), relay(2, 'lights')]);
    expect(updates.at(-1)?.state.relays.lights?.on).toBe(true);
    expect(updates.at(-1)?.state.relays.fill).toBeUndefined();

    fake.push([relay(5, 'air')]);
    expect(fake.asked).toHaveLength(1);
    const fresh = initialStationState(true, 'simulated');
    fresh.relays.air = { on: true, why: 'cmd' };
    fake.asked.shift()!.resolve({ epoch: 'e', seq: 5, state: fresh });
    await flush();
    expect(updates.at(-1)?.state.relays.air?.on).toBe(true);
    expect(updates.every((update) => update.role === 'desktop')).toBe(true);
    transport.stop();
    expect(fake.subscribed()).toBe(false);
  });

  it('carries commands over the bridge; a failure in main becomes an ack that says it may have acted', async () => {
    const transport = ipcTransport(fakeBridge().bridge);
    await expect(transport.command({ id: 'k1', type: 'estop' })).resolves.toEqual({ ok: true, result: { latched: true } });
    const broken = await transport.command({ id: 'k2', type: 'relay.set', relayId: 'air', on: true });
    expect(broken).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/may or may not have acted/) } });
  });

  it('reads the station again on reconnect after a failed read', async () => {
    const fake = fakeBridge();
    const statuses: ConnectionStatus[] = [];
    const transport = ipcTransport(fake.bridge);
    transport.start(() => {}, (status) => statuses.push(status));
    transport.reconnect(); // a read is already on its way: no second one
    expect(fake.asked).toHaveLength(1);
    fake.asked.shift()!.reject(new Error('main is busy'));
    await flush();
    expect(statuses.at(-1)?.state).toBe('disconnected');
    transport.reconnect();
    expect(fake.asked).toHaveLength(1);
    fake.asked.shift()!.resolve({ epoch: 'e', seq: 0, state: initialStationState(true, 'simulated') });
    await flush();
    expect(statuses.at(-1)?.state).toBe('connected');
    transport.stop();
  });
});
