/**
 * The recovery guard on a bare Socket.IO server over loopback, with real clients: what a
 * recovered connection is sent before and after the server's own check, and a session it was
 * told to forget. Also on the Redis streams adapter the screens' workers use, with a real
 * redis-server, where sessions and missed events live in Redis.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type Socket as Client } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-support/main/sim-process';
import { guardRecovery, type RecoveryGuard } from './recovery-guard';
import { connectRedis, startPrivateRedis, type PrivateRedis, type RedisClient } from './workers/redis-link';
import { redisServerFor } from '../../test-support/main/redis';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server whose middleware admits `auth.owner === 'grower'` and replays only to it. */
async function start(adapter?: ServerOptions['adapter']): Promise<{ url: string; io: Server; guard: RecoveryGuard }> {
  const http: HttpServer = createServer();
  const io = new Server(http, { connectionStateRecovery: { maxDisconnectionDuration: 60_000, skipMiddlewares: false }, ...(adapter ? { adapter } : {}) });
  const guard = guardRecovery(io.of('/'));
  const replays = new WeakMap<object, unknown[][]>();
  io.use((socket, next) => {
    const missed = guard.take(socket);
    if ((socket.handshake.auth as { owner?: string }).owner !== 'grower') return next(new Error('refused'));
    socket.data = { owner: 'grower' };
    if (missed) replays.set(socket, missed);
    next();
  });
  io.on('connection', (socket) => {
    const missed = replays.get(socket);
    if (missed) guard.replay(socket, missed);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, io, guard };
}

function client(url: string, auth: Record<string, unknown>): { socket: Client; events: string[] } {
  const socket = connect(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  closers.push(() => void socket.disconnect());
  const events: string[] = [];
  socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
    if (packet.type === 2) events.push(String(packet.data?.[0]));
  });
  return { socket, events };
}

/** A grower's connection that saw one event, then lost its network; its session and what it missed. */
async function droppedSession(url: string, io: Server, stored: () => Promise<void> = async () => {}): Promise<{ pid: string; offset: string }> {
  const first = client(url, { owner: 'grower' });
  await new Promise<void>((resolve) => first.socket.once('connect', () => resolve()));
  io.emit('reading', 1);
  await waitFor(() => first.events.includes('reading'), 5_000, 'the first reading');
  const kept = first.socket as unknown as { _pid: string; _lastOffset: string };
  const session = { pid: kept._pid, offset: kept._lastOffset };
  first.socket.io.engine.close();
  await waitFor(() => io.of('/').sockets.size === 0, 5_000, 'the server to see the drop');
  io.emit('missed', 2);
  io.emit('missed', 3);
  await stored();
  return session;
}

describe('the recovery guard', () => {
  it('sends a refused connection nothing of the session, and the admitted one exactly what it missed', async () => {
    const { url, io } = await start();
    const session = await droppedSession(url, io);
    const stranger = client(url, { ...session, owner: 'someone else' });
    await new Promise<void>((resolve) => stranger.socket.once('connect_error', () => resolve()));
    expect(stranger.events).toEqual([]);
    const grower = client(url, { ...session, owner: 'grower' });
    await waitFor(() => grower.events.length === 2, 5_000, 'the missed readings');
    expect(grower.events).toEqual(['missed', 'missed']);
  });

  it('forgets the sessions it is told to: the next connection starts afresh', async () => {
    const { url, io, guard } = await start();
    const session = await droppedSession(url, io);
    guard.forget((data) => (data as { owner?: string }).owner === 'grower');
    const grower = client(url, { ...session, owner: 'grower' });
    await new Promise<void>((resolve) => grower.socket.once('connect', () => resolve()));
    const [server] = io.of('/').sockets.values();
    expect(server?.recovered).toBe(false);
    io.emit('after', 4);
    await waitFor(() => grower.events.includes('after'), 5_000, 'a reading after the reconnect');
    expect(grower.events).toEqual(['after']);
  });
});

const haveRedis = redisServerFor('the recovery guard on Redis');

describe.skipIf(!haveRedis)('the recovery guard on the Redis streams adapter of the screens\' workers', () => {
  let folder: string;
  let redis: PrivateRedis;
  const clients: RedisClient[] = [];
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tendril-recovery-'));
    redis = await startPrivateRedis(folder, () => {});
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => {});
    await redis?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /**
   * A server on a stream of its own, and a wait until what it broadcast is in Redis: the adapter
   * writes each broadcast on the client's one connection as it is emitted, so a PING answered
   * after it was written comes after them.
   */
  async function startOnRedis(name: string): Promise<{ url: string; io: Server; stored: () => Promise<void> }> {
    const client = await connectRedis(redis.address, () => {});
    clients.push(client);
    const { url, io } = await start(createAdapter(client, { streamName: `recovery-${name}`, sessionKeyPrefix: `recovery-${name}:` }));
    return { url, io, stored: async () => void (await client.ping()) };
  }

  it('sends a refused connection nothing, though Redis gave it the session, and the admitted one exactly what it missed', async () => {
    const { url, io, stored } = await startOnRedis('refused');
    const session = await droppedSession(url, io, stored);
    const stranger = client(url, { ...session, owner: 'someone else' });
    await new Promise<void>((resolve) => stranger.socket.once('connect_error', () => resolve()));
    expect(stranger.events).toEqual([]);
    // Redis hands a session out once: the stranger spent it, so the grower starts afresh, sent
    // nothing of the session either.
    const grower = client(url, { ...session, owner: 'grower' });
    await new Promise<void>((resolve) => grower.socket.once('connect', () => resolve()));
    expect([...io.of('/').sockets.values()].map((socket) => socket.recovered)).toEqual([false]);
    expect(grower.events).toEqual([]);
    grower.socket.disconnect();
    await waitFor(() => io.of('/').sockets.size === 0, 5_000, 'the grower to leave');

    const again = await droppedSession(url, io, stored);
    const back = client(url, { ...again, owner: 'grower' });
    await waitFor(() => back.events.length === 2, 5_000, 'the missed readings');
    expect(back.events).toEqual(['missed', 'missed']);
    expect([...io.of('/').sockets.values()].map((socket) => socket.recovered)).toEqual([true]);
  });
});
