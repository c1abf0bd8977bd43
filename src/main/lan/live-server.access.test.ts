/**
 * Who gets onto the live connection, and what they can make it cost: real Socket.IO clients
 * against the real server on loopback, with a stand-in station core whose changes the test
 * makes. Recovery replays, caps on connections, the snapshot allowance and the names the
 * server answers to.
 */
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createStationControl } from '../control';
import { TEST_START } from '../../test-support/main/fake-time';
import { waitFor } from '../../test-support/main/sim-process';
import { standInCore, type StandInCore } from '../../test-support/main/stand-in-core';
import { FailureLimiter, TokenStore } from './access';
import { MAX_SCREENS_PAGE } from '../../shared/admin';
import { createLanServer, type LanServer, type LanServerOptions } from './http-server';
import { SNAPSHOT_BURST } from './snapshot-ration';

const OPERATOR = 'operator-token-for-tests-0001';
const VIEWER = 'viewer-token-for-tests-00001';

const servers: LanServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

interface Started {
  url: string;
  core: StandInCore;
  tokens: TokenStore;
  clock: { now: number };
}

async function start(options: Partial<LanServerOptions> = {}): Promise<Started> {
  const core = standInCore();
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR, 'tests');
  tokens.preset('viewer', VIEWER, 'tests');
  const clock = { now: TEST_START };
  const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null, now: () => clock.now, ...options });
  servers.push(server);
  return { url: await server.listen(), core, tokens, clock };
}

/** A client that records every event packet it is sent, before and after it is connected. */
interface Watcher {
  socket: Socket;
  /** The name of every event packet, as it came off the wire. */
  events: string[];
  /** Resolves with the refusal, or with null once connected. */
  outcome: Promise<{ code?: string; limit?: number; message: string } | null>;
}

function watch(url: string, auth: Record<string, unknown>, extraHeaders?: Record<string, string>): Watcher {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, ...(extraHeaders ? { extraHeaders } : {}) });
  sockets.push(socket);
  const events: string[] = [];
  // The manager sees each packet as decoded, before the socket buffers it for after connect.
  socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
    if (packet.type === 2 || packet.type === 5) events.push(String(packet.data?.[0]));
  });
  const outcome = new Promise<{ code?: string; limit?: number; message: string } | null>((resolve) => {
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', (err: Error & { data?: { code?: string; limit?: number } }) => resolve({ ...err.data, message: err.message }));
  });
  return { socket, events, outcome };
}

async function connected(url: string, token: string, name = 'tests'): Promise<Watcher> {
  const watcher = watch(url, { token, name });
  expect(await watcher.outcome).toBeNull();
  await waitFor(() => watcher.events.includes('initial_state'), 5_000, 'the initial state');
  return watcher;
}

/** The session Socket.IO lets a dropped client resume: what socket.io-client keeps for it. */
function sessionOf(socket: Socket): { pid: string; offset: string } {
  const kept = socket as unknown as { _pid?: string; _lastOffset?: string };
  if (!kept._pid || !kept._lastOffset) throw new Error('the client holds no session to resume');
  return { pid: kept._pid, offset: kept._lastOffset };
}

let alerts = 0;
/** A station event every screen is sent; resolves once `observer` has it, so it is in the replay log too. */
async function alertSeenBy(core: StandInCore, observer: Watcher): Promise<void> {
  const before = observer.events.filter((name) => name === 'alert').length;
  const id = ++alerts;
  core.apply({ type: 'alert', alert: { id, level: 'warning', code: 'WATCHDOG', message: `test alert ${id}`, at: TEST_START, source: 'controller' } });
  await waitFor(() => observer.events.filter((name) => name === 'alert').length > before, 5_000, 'the alert to reach the observer');
}

/** Drops the network under a screen and waits until the station has let go of it. */
async function drop(_core: StandInCore, watcher: Watcher, name: string): Promise<void> {
  const listed = () => servers.some((server) => server.screens(0, MAX_SCREENS_PAGE).screens.some((screen) => screen.name === name));
  await waitFor(listed, 5_000, `the station to list ${name}`);
  watcher.socket.io.engine.close();
  await waitFor(() => !listed(), 5_000, `the station to drop ${name}`);
}

describe('connection state recovery', () => {
  it('replays nothing, not one event, to a client without a valid token, however it names the session', async () => {
    const { url, core, tokens } = await start();
    const observer = await connected(url, OPERATOR, 'observer');
    const { token: lost } = tokens.create('viewer', 'a phone that will be lost');
    const phone = await connected(url, lost, 'phone');
    await alertSeenBy(core, observer);
    await waitFor(() => phone.events.includes('alert'), 5_000, 'the phone to see the first alert');
    const session = sessionOf(phone.socket);
    const phoneId = phone.socket.id;
    await drop(core, phone, 'phone');
    // What the phone missed while away: the replay a resumed session would get.
    await alertSeenBy(core, observer);
    await alertSeenBy(core, observer);

    for (const auth of [{ ...session }, { ...session, token: null }, { ...session, token: '' }, { ...session, token: 'a-guess-at-some-token' }]) {
      const intruder = watch(url, auth);
      expect(await intruder.outcome).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(intruder.events, JSON.stringify(auth)).toEqual([]);
    }

    // Nor to someone else's valid token: a session goes on with the token that made it.
    const other = watch(url, { ...session, token: VIEWER, name: 'another screen' });
    expect(await other.outcome).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/another token.*without "pid" and "offset"/) });
    expect(other.events).toEqual([]);

    // The phone itself gets exactly what it missed, proving the watch above would have seen it.
    const back = watch(url, { ...session, token: lost, name: 'phone' });
    expect(await back.outcome).toBeNull();
    // The same connection as before (a client that did not hold the session cannot tell).
    expect(back.socket.id).toBe(phoneId);
    await waitFor(() => back.events.filter((name) => name === 'alert').length === 2, 5_000, 'the two missed alerts');
    expect(back.events).not.toContain('initial_state');
  });

  it('replays nothing to a screen whose token was revoked while it was away', async () => {
    const { url, core, tokens } = await start();
    const observer = await connected(url, OPERATOR, 'observer');
    const { token: lost, info } = tokens.create('viewer', 'a phone that was lost');
    const phone = await connected(url, lost, 'phone');
    await alertSeenBy(core, observer);
    await waitFor(() => phone.events.includes('alert'), 5_000, 'the phone to see the first alert');
    const session = sessionOf(phone.socket);
    await drop(core, phone, 'phone');
    tokens.revoke(info.id);
    await alertSeenBy(core, observer);
    await alertSeenBy(core, observer);

    const revoked = watch(url, { ...session, token: lost, name: 'phone' });
    expect(await revoked.outcome).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/not valid/) });
    expect(revoked.events).toEqual([]);
  });
});

describe('tokens on the live connection', () => {
  it('takes a null, empty or blank token as none, never as a guess, and lets the right one in during a lockout', async () => {
    const clock = { now: TEST_START };
    const { url } = await start({ limiter: new FailureLimiter({ maxFailures: 2, lockoutMs: 60_000, now: () => clock.now }) });
    for (const token of [null, '', '   ', undefined]) {
      for (let i = 0; i < 3; i++) {
        expect(await watch(url, { token, name: 'unpaired' }).outcome, JSON.stringify(token)).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/^no token/) });
      }
    }
    const guesses = [];
    for (let i = 0; i < 3; i++) guesses.push((await watch(url, { token: `guess-${i}`, name: 'guesser' }).outcome)?.code);
    expect(guesses).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'RATE_LIMITED']);
    await connected(url, VIEWER, 'the grower');
  });
});

describe('caps on live connections', () => {
  it('refuses a token or an address over its cap, says which and why, and lets one in when another leaves', async () => {
    const { url, core } = await start({ maxScreensPerToken: 2, maxScreensPerAddress: 3 });
    const first = await connected(url, VIEWER, 'viewer 1');
    await connected(url, VIEWER, 'viewer 2');
    const third = watch(url, { token: VIEWER, name: 'viewer 3' });
    expect(await third.outcome).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: 2, message: expect.stringMatching(/this token already has 2 live connections.*pair this screen with a token of its own, or raise lan\.maxScreensPerToken in settings\.json$/) });
    expect(third.events).toEqual([]);

    await connected(url, OPERATOR, 'operator 1');
    const fourth = watch(url, { token: OPERATOR, name: 'operator 2' });
    expect(await fourth.outcome).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: 3, message: expect.stringMatching(/127\.0\.0\.1 already has 3 live connections.*lan\.maxScreensPerAddress/) });

    await drop(core, first, 'viewer 1');
    await connected(url, VIEWER, 'viewer 3');
  });

  it('has room by default for a grow room of phones on one printed token', async () => {
    const { url } = await start();
    const crowd = await Promise.all(Array.from({ length: 60 }, (_, i) => connected(url, VIEWER, `phone ${i}`)));
    expect(crowd.every((phone) => phone.socket.connected)).toBe(true);
  });
});

describe('snapshots asked for by a connection', () => {
  it('rations tank switches, and folds a flood of resyncs into one snapshot', async () => {
    const { url, clock, core } = await start();
    core.apply({ type: 'tanks_update', tanks: [{ id: 'veg', name: 'Veg', capacityL: 100, channelIds: [] }, { id: 'bloom', name: 'Bloom', capacityL: 80, channelIds: [] }] });
    const screen = await connected(url, VIEWER, 'flooder');
    const ask = (event: string, payload?: unknown) =>
      (payload === undefined ? screen.socket.timeout(5_000).emitWithAck(event) : screen.socket.timeout(5_000).emitWithAck(event, payload)) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
    const snapshots = new Set<unknown>();
    screen.socket.on('status_update', (snapshot: { state: { tanks: Array<{ id: string }> } }) => snapshots.add(snapshot.state.tanks.map((tank) => tank.id).join()));
    // Following a tank and the whole station again spend one allowance.
    for (let i = 0; i < SNAPSHOT_BURST; i++) expect(await (i % 2 ? ask('unsubscribe_tank') : ask('subscribe_tank', { tankId: 'veg' }))).toEqual({ ok: true });
    const message = expect.stringMatching(/too many snapshots.*at most 10 at once, then 2 per second\); wait 1 s and try again/);
    expect(await ask('subscribe_tank', { tankId: 'bloom' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message } });
    const refused = await ask('unsubscribe_tank');
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message } });
    await waitFor(() => screen.events.filter((name) => name === 'status_update').length === SNAPSHOT_BURST, 5_000, 'the allowed snapshots');
    // The refused switch to bloom changed nothing: the connection still follows the whole station.
    expect([...snapshots].sort()).toEqual(['veg', 'veg,bloom']);

    // A flood of resyncs: every one is acked, and one snapshot answers them all once the
    // allowance has one again.
    const acks = await Promise.all(Array.from({ length: 50 }, () => ask('resync')));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    clock.now += 500;
    await waitFor(() => screen.events.filter((name) => name === 'status_update').length === SNAPSHOT_BURST + 1, 5_000, 'the one snapshot for the resyncs');
    // The next resync is a new one, answered by a snapshot of its own.
    expect(await ask('resync')).toEqual({ ok: true });
    clock.now += 500;
    await waitFor(() => screen.events.filter((name) => name === 'status_update').length === SNAPSHOT_BURST + 2, 5_000, 'the next snapshot');
    expect(await ask('unsubscribe_tank')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(screen.events.filter((name) => name === 'status_update')).toHaveLength(SNAPSHOT_BURST + 2);
    expect([...snapshots].sort()).toEqual(['veg', 'veg,bloom']);
    expect(screen.socket.connected).toBe(true);
  });
});

/** A Socket.IO handshake over long-polling, with the Host header given. */
function pollingHandshake(url: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/socket.io/?EIO=4&transport=polling', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the names the live connection answers to', () => {
  it('refuses a foreign Host over a websocket and over long-polling, before any token is looked at', async () => {
    const { url } = await start({ hostNames: ['grow.example.com'] });
    const port = new URL(url).port;
    const rebound = watch(url, { token: OPERATOR, name: 'rebound page' }, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` });
    expect(await rebound.outcome).toMatchObject({ message: expect.stringMatching(/websocket error/i) });
    expect(rebound.events).toEqual([]);
    const polled = await pollingHandshake(url, `evil.example:${port}`);
    expect(polled.status).toBe(403);
    expect(JSON.parse(polled.body).message).toMatch(/does not answer to the name "evil\.example:\d+".*"hostNames" in the "lan" section of settings\.json/);

    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'grow.example.com', 'GROW.example.com:8443']) {
      expect((await pollingHandshake(url, host)).status, host).toBe(200);
    }
    const named = watch(url, { token: OPERATOR, name: 'through the proxy' }, { host: 'grow.example.com', origin: 'https://grow.example.com' });
    expect(await named.outcome).toBeNull();
  });
});
