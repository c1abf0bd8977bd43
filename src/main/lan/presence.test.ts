/**
 * Presence on the LAN: every screen is told how many screens there are and who came and went,
 * never the whole list; the list goes to an operator who asks, a page at a time. Real
 * Socket.IO clients against the real server on loopback, with a stand-in station core.
 */
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PRESENCE_CHANGES_LISTED, type StationEvent } from '../../shared/events';
import type { Viewer } from '../../shared/station';
import { createStationControl } from '../control';
import { OPERATOR_TOKEN, TestScreen, VIEWER_TOKEN } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';
import { standInCore, type StandInCore } from '../../test-support/main/stand-in-core';
import { TokenStore } from './access';
import { createLanServer, type LanServer } from './http-server';

type Presence = Extract<StationEvent, { type: 'presence' }>;

const servers: LanServer[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const server of servers.splice(0)) await server.close();
});

/** A server whose door answers `lan.screens` from it, as the app's LAN service does. */
async function start(): Promise<{ url: string; core: StandInCore; presences: Presence[] }> {
  const core = standInCore();
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR_TOKEN, 'tests');
  tokens.preset('viewer', VIEWER_TOKEN, 'tests');
  const lan = {
    status: () => ({ enabled: true, host: '127.0.0.1', port: 0, listening: true, origins: [], configurable: false }),
    screens: (offset: number, limit: number) => server.screens(offset, limit),
  };
  const server: LanServer = createLanServer({
    core,
    control: createStationControl(core, { lan }),
    tokens,
    host: '127.0.0.1',
    port: 0,
    webRoot: null,
    maxScreensPerToken: 300,
    maxScreensPerAddress: 300,
  });
  servers.push(server);
  const presences: Presence[] = [];
  closers.push(
    core.onEvent((event) => {
      if (event.type === 'presence') presences.push(event);
    }),
  );
  return { url: await server.listen(), core, presences };
}

async function screen(url: string, token: string, name: string): Promise<TestScreen> {
  const created = new TestScreen(url, token, name);
  closers.push(() => created.close());
  return created.ready();
}

describe('presence', () => {
  it('counts screens by role and names who came and went, and lists them only to an operator who asks, a page at a time', async () => {
    const { url, core, presences } = await start();
    const operator = await screen(url, OPERATOR_TOKEN, 'Office PC');
    const phone = await screen(url, VIEWER_TOKEN, 'Phone in the veg room');
    await waitFor(() => core.state().screens.operator === 1 && core.state().screens.viewer === 1, 5_000, 'the count');
    const entry = presences.flatMap((p) => p.joined).find((v) => v.name === 'Phone in the veg room');
    expect(entry).toMatchObject({ role: 'viewer', address: expect.stringMatching(/127\.0\.0\.1/) });
    expect(entry?.since).toBeGreaterThan(0);
    await waitFor(() => phone.replica?.state.screens.viewer === 1, 5_000, 'the phone to count itself');
    expect(Object.keys(phone.replica?.state ?? {})).not.toContain('viewers');

    const all = (await operator.command({ id: 'l1', type: 'lan.screens' })) as { ok: true; result: { total: number; offset: number; screens: Viewer[] } };
    expect(all).toMatchObject({ ok: true, result: { total: 2, offset: 0 } });
    expect(all.result.screens.map((v) => v.name)).toEqual(['Office PC', 'Phone in the veg room']);
    expect(await operator.command({ id: 'l2', type: 'lan.screens', offset: 1, limit: 1 })).toEqual({ ok: true, result: { total: 2, offset: 1, screens: [all.result.screens[1]] } });
    expect(await operator.command({ id: 'l3', type: 'lan.screens', offset: 5 })).toEqual({ ok: true, result: { total: 2, offset: 5, screens: [] } });
    expect(await operator.command({ id: 'l4', type: 'lan.screens', limit: 5000 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: expect.stringMatching(/limit must be at most 200; ask for the next page with offset/) },
    });
    expect(await phone.command({ id: 'l5', type: 'lan.screens' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    phone.close();
    await waitFor(() => presences.some((p) => p.left.includes(entry!.id)), 5_000, 'presence to say the phone left');
    expect(core.state().screens).toEqual({ operator: 1, viewer: 0 });
    await waitFor(() => operator.replica?.state.screens.viewer === 0, 5_000, 'the operator to count the phone gone');
    const after = (await operator.command({ id: 'l6', type: 'lan.screens' })) as { result: { screens: Viewer[] } };
    expect(after.result.screens.map((v) => v.name)).toEqual(['Office PC']);
  });

  it('sends the first screen and the two-hundred-and-first the same initial state, and names only a few of a crowd', async () => {
    const { url, core, presences } = await start();
    const initialSize = async (name: string): Promise<number> => {
      const probe = new TestScreen(url, VIEWER_TOKEN, name);
      closers.push(() => probe.close());
      const state = await new Promise<Record<string, unknown>>((resolve) => probe.socket.once('initial_state', resolve));
      probe.close();
      // The probe's own id and name are its own; everything else is the station's.
      return JSON.stringify({ ...state, you: null }).length;
    };
    const alone = await initialSize('first');
    await waitFor(() => core.state().screens.viewer === 0, 5_000, 'the first probe to be gone from the count');

    const crowd: Socket[] = Array.from({ length: 200 }, (_, i) =>
      io(url, { auth: { token: VIEWER_TOKEN, name: `crowd ${i}` }, transports: ['websocket'], forceNew: true, reconnection: false }),
    );
    closers.push(() => crowd.forEach((socket) => socket.disconnect()));
    await Promise.all(crowd.map((socket) => new Promise((resolve) => socket.once('initial_state', resolve))));
    await waitFor(() => core.state().screens.viewer === 200, 10_000, 'the count to reach the crowd');
    const amid = await initialSize('two-hundred-and-first');
    // Only the digits of the count may differ; a list of 200 screens would add kilobytes.
    expect(Math.abs(amid - alone)).toBeLessThanOrEqual(4);

    for (const p of presences) {
      expect(p.joined.length).toBeLessThanOrEqual(PRESENCE_CHANGES_LISTED);
      expect(p.left.length).toBeLessThanOrEqual(PRESENCE_CHANGES_LISTED);
    }
    // Every coming and going is either named or counted among the unlisted.
    const told = presences.reduce((sum, p) => sum + p.joined.length + p.left.length + p.unlisted, 0);
    expect(told).toBeGreaterThanOrEqual(200);
    for (const socket of crowd) socket.disconnect();
    await waitFor(() => core.state().screens.viewer === 0, 10_000, 'the crowd to be gone from the count');
  });
});
