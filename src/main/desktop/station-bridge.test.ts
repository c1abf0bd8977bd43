/**
 * The desktop IPC bridge against in-memory stand-ins for ipcMain and the window's web contents:
 * batching per frame, following with resync, commands, and who may ask.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/bridge';
import { stateHash, type LiveMessage, type StationSnapshot } from '../../shared/events';
import { FeedFollower } from '../../shared/follow';
import { createStationControl } from '../control';
import { standInCore, type StandInCore } from '../../test-support/main/stand-in-core';
import { bridgeStation, type InvokeEvent } from './station-bridge';
import { TEST_START } from '../../test-support/main/fake-time';

const APP_URL = 'app://tendril/index.html';

class StandInIpcMain {
  readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke does: the handler's result, or its error, as a promise. */
  async invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

class StandInContents {
  readonly batches: LiveMessage[][] = [];
  url = APP_URL;
  destroyed = false;
  send(channel: string, messages: LiveMessage[]): void {
    expect(channel).toBe(IPC.events);
    this.batches.push(messages);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
}

let core: StandInCore;
let ipc: StandInIpcMain;
let contents: StandInContents;
let unbridge: () => void;
const fromPage = (): InvokeEvent => ({ sender: contents, senderFrame: { url: APP_URL, parent: null } });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(TEST_START);
  core = standInCore();
  ipc = new StandInIpcMain();
  contents = new StandInContents();
  unbridge = bridgeStation({
    core,
    control: createStationControl(core),
    ipc,
    contents,
    isAppPage: (url) => url.startsWith('app://tendril/'),
  });
});

afterEach(() => {
  unbridge();
  vi.useRealTimers();
});

describe('desktop station bridge', () => {
  it('sends at most one batch per frame, telemetry coalesced, discrete changes all in order', () => {
    core.apply({ type: 'relay_update', relayId: 'lights', on: true, why: 'cmd' });
    vi.advanceTimersByTime(0);
    expect(contents.batches).toHaveLength(1);

    vi.advanceTimersByTime(4);
    core.apply({ type: 'ecph_reading', sensorId: 'ec1', value: 1.1, at: 1 });
    core.apply({ type: 'relay_update', relayId: 'fill', on: true, why: 'cmd' });
    core.apply({ type: 'ecph_reading', sensorId: 'ec1', value: 1.2, at: 2 });
    core.apply({ type: 'relay_update', relayId: 'fill', on: false, why: 'cmd' });
    vi.advanceTimersByTime(11);
    expect(contents.batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(contents.batches).toHaveLength(2);
    const batch = contents.batches[1]!;
    expect(batch.map((m) => m.name)).toEqual(['relay_update', 'ecph_reading', 'relay_update']);
    expect(batch.map((m) => m.payload.seq)).toEqual([2, 3, 4]);
  });

  it('lets the renderer follow from a snapshot and resync after a lost batch', async () => {
    const follower = new FeedFollower();
    follower.start((await ipc.invoke(IPC.snapshot, fromPage())) as StationSnapshot);
    core.apply({ type: 'relay_update', relayId: 'lights', on: true, why: 'cmd' });
    vi.advanceTimersByTime(16);
    core.apply({ type: 'relay_update', relayId: 'air', on: true, why: 'cmd' });
    vi.advanceTimersByTime(16);
    core.apply({ type: 'ecph_reading', sensorId: 'ph1', value: 6.2, at: 3 });
    vi.advanceTimersByTime(16);
    const [first, _lost, third] = contents.batches;
    expect(follower.take(first!)).toBe('changed');
    expect(follower.take(third!)).toBe('resync');
    follower.start((await ipc.invoke(IPC.snapshot, fromPage())) as StationSnapshot);
    expect(stateHash(follower.current!.state)).toBe(stateHash(core.state()));
  });

  it('runs commands from the page through the shared schema, as the station operator', async () => {
    expect(await ipc.invoke(IPC.command, fromPage(), { id: 'c1', type: 'relay.set', relayId: 'fill', on: true })).toEqual({
      ok: true,
      result: { relayId: 'fill', on: true },
    });
    expect(await ipc.invoke(IPC.command, fromPage(), { id: 'c1', type: 'relay.set', relayId: 'fill', on: true })).toMatchObject({ ok: true });
    expect(await ipc.invoke(IPC.command, fromPage(), { id: 'c2', type: 'pump.dose', pumpId: 'nut_a' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: expect.stringMatching(/ml/) },
    });
    expect(core.calls).toEqual(['relay fill on']);
  });

  it('refuses requests from anything but the app page in its own window', async () => {
    const stranger = new StandInContents();
    const requests: InvokeEvent[] = [
      { sender: stranger, senderFrame: { url: APP_URL, parent: null } },
      { sender: contents, senderFrame: { url: APP_URL, parent: {} } },
      { sender: contents, senderFrame: { url: 'https://example.com/', parent: null } },
      { sender: contents, senderFrame: null },
    ];
    for (const event of requests) {
      await expect(ipc.invoke(IPC.snapshot, event)).rejects.toThrow(/unknown page/);
      await expect(ipc.invoke(IPC.command, event, { id: 'x', type: 'estop' })).rejects.toThrow(/unknown page/);
    }
    expect(core.calls).toEqual([]);
  });

  it('sends nothing to a window that left the app page or was closed', () => {
    contents.url = 'https://example.com/';
    core.apply({ type: 'relay_update', relayId: 'fill', on: true, why: 'cmd' });
    vi.advanceTimersByTime(16);
    contents.url = APP_URL;
    contents.destroyed = true;
    core.apply({ type: 'relay_update', relayId: 'fill', on: false, why: 'cmd' });
    vi.advanceTimersByTime(16);
    expect(contents.batches).toEqual([]);
  });

  it('removes its handlers and stops sending when undone', () => {
    unbridge();
    unbridge = () => {};
    expect([...ipc.handlers.keys()]).toEqual([]);
    core.apply({ type: 'relay_update', relayId: 'fill', on: true, why: 'cmd' });
    vi.advanceTimersByTime(16);
    expect(contents.batches).toEqual([]);
  });
});
