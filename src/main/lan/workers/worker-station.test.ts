/**
 * The LAN's doors when a worker process serves the screens (`--workers 1`, with its private
 * Redis): headless Tendril on the simulated station, with settings.json's lan section, and real
 * HTTP and Socket.IO clients on loopback. The names it answers to, what a dropped session's
 * replay gives a client without a valid token, its caps on live connections, the snapshots one
 * connection may ask for, and what the worker writes to the log about a screen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../../../shared/plain-text';
import { waitFor } from '../../../test-support/main/sim-process';
import { redisServerFor } from '../../../test-support/main/redis';

const ROOT = join(__dirname, '../../../..');
const VIEWER = 'viewer-token-for-the-worker-doors';
const OPERATOR = 'operator-token-for-the-worker-doors';
const PER_TOKEN = 3;

const haveRedis = redisServerFor('the worker doors test');

let station: ChildProcess | null = null;
let folder = '';
let url = '';
let stderr = '';
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
  if (station && station.exitCode === null && station.signalCode === null) {
    const exited = new Promise<void>((resolve) => station!.once('exit', () => resolve()));
    // SIGTERM: the station stops its worker and its private Redis with it.
    station.kill('SIGTERM');
    await exited;
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
}, 30_000);

type Refusal = { code?: string; limit?: number; message: string };

/** A client that records the name of every event packet it is sent, before and after it is connected. */
function watch(auth: Record<string, unknown>): { socket: Socket; events: string[]; outcome: Promise<Refusal | null> } {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  const events: string[] = [];
  socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
    if (packet.type === 2 || packet.type === 5) events.push(String(packet.data?.[0]));
  });
  const outcome = new Promise<Refusal | null>((resolve) => {
    socket.once('connect', () => resolve(null));
    socket.once('connect_error', (err: Error & { data?: { code?: string; limit?: number } }) => resolve({ ...err.data, message: err.message }));
  });
  return { socket, events, outcome };
}

async function connected(token: string, name: string): Promise<{ socket: Socket; events: string[] }> {
  const screen = watch({ token, name });
  expect(await screen.outcome, name).toBeNull();
  await waitFor(() => screen.events.includes('initial_state'), 10_000, `the initial state of ${name}`);
  return screen;
}

/** A request naming `host` in the Host header, as a browser that asked for that name would send it. */
function requestAs(path: string, host: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: { host, authorization: `Bearer ${VIEWER}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!haveRedis)('a station whose screens a worker serves', () => {
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'tendril-worker-doors-'));
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ lan: { hostNames: ['grow.example.com'], maxScreensPerToken: PER_TOKEN } }));
    station = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--simulate', '--workers', '1', '--host', '127.0.0.1', '--port', '0', '--data', folder], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TENDRIL_VIEWER_TOKEN: VIEWER, TENDRIL_OPERATOR_TOKEN: OPERATOR },
    });
    let stdout = '';
    station.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    station.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => /listening on http:\/\/\S+/.test(stdout) || station!.exitCode !== null, 60_000, 'the station and its worker to listen');
    url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
    expect(url, stderr).not.toBe('');
  }, 90_000);

  it('answers only to its own names and the configured ones, on the API and the live connection', async () => {
    const port = new URL(url).port;
    expect((await requestAs('/api/state', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await requestAs('/api/state', 'grow.example.com')).status).toBe(200);
    const rebound = await requestAs('/api/state', `evil.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HOST' } });
    const handshake = await requestAs('/socket.io/?EIO=4&transport=polling', `evil.example:${port}`);
    expect(handshake.status).toBe(403);
    expect(JSON.parse(handshake.body).message).toMatch(/does not answer to the name "evil\.example:\d+"/);
    expect((await requestAs('/socket.io/?EIO=4&transport=polling', 'grow.example.com')).status).toBe(200);
  });

  it('replays nothing of a dropped session to a client without a valid token, or with one revoked while it was away', async () => {
    const observer = await connected(OPERATOR, 'observer');
    const joiners: string[] = [];
    const leavers: string[] = [];
    observer.socket.on('presence', (event: { joined: Array<{ id: string }>; left: string[] }) => {
      joiners.push(...event.joined.map((screen) => screen.id));
      leavers.push(...event.left);
    });
    const command = (body: Record<string, unknown>) => observer.socket.timeout(10_000).emitWithAck('command', { id: `doors-${Math.random()}`, ...body }) as Promise<{ ok: boolean; result: Record<string, unknown> }>;
    const paired = await command({ type: 'access.pair', role: 'viewer', label: 'a phone that was lost' });
    const lostToken = new URL((paired.result['links'] as string[])[0]!).searchParams.get('token')!;
    const lostId = (paired.result['token'] as { id: string }).id;

    for (const [token, name] of [
      [VIEWER, 'phone'],
      [lostToken, 'lost phone'],
      [VIEWER, 'returning phone'],
    ] as const) {
      const phone = await connected(token, name);
      // Readings come every second: one carries the offset a resumed session starts from.
      const kept = phone.socket as unknown as { _pid?: string; _lastOffset?: string };
      await waitFor(() => kept._lastOffset !== undefined, 10_000, `${name} to hold a session`);
      const id = phone.socket.id!;
      // Counted first: a screen that comes and goes between two presence notes is named in neither.
      await waitFor(() => joiners.includes(id), 10_000, `the station to count ${name}`);
      const session = { pid: kept._pid!, offset: kept._lastOffset! };
      phone.socket.io.engine.close();
      await waitFor(() => leavers.includes(id), 10_000, `the station to let go of ${name}`);
      // Events the phone missed while away, as a resumed session would be sent them.
      const seen = observer.events.length;
      await waitFor(() => observer.events.length >= seen + 2, 10_000, 'events while the phone is away');

      if (name === 'returning phone') {
        // The phone itself resumes and is sent what it missed, not a snapshot: the sessions above
        // could have been resumed, and were refused.
        const back = watch({ ...session, token, name });
        expect(await back.outcome).toBeNull();
        await waitFor(() => back.events.length >= 2, 10_000, 'the missed events');
        expect(back.events).not.toContain('initial_state');
        continue;
      }
      const intruder = name === 'phone' ? watch({ ...session }) : watch({ ...session, token, name });
      if (token === lostToken) expect((await command({ type: 'access.revoke', tokenId: lostId })).ok).toBe(true);
      expect(await intruder.outcome, name).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(intruder.events, name).toEqual([]);
    }
  });

  it('caps the live connections of one token as settings.json says', async () => {
    // A token of its own, which no screen of another test may still be counted on.
    const pairer = await connected(OPERATOR, 'pairer');
    const paired = (await pairer.socket.timeout(10_000).emitWithAck('command', { id: 'doors-crowd', type: 'access.pair', role: 'viewer', label: 'the crowd' })) as { result: { links: string[] } };
    const crowd = new URL(paired.result.links[0]!).searchParams.get('token')!;
    for (let i = 0; i < PER_TOKEN; i++) await connected(crowd, `phone ${i}`);
    expect(await watch({ token: crowd, name: 'one too many' }).outcome).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: PER_TOKEN });
  });

  it('rations the snapshots one connection asks for, as the station itself does', async () => {
    const screen = await connected(VIEWER, 'flooder');
    // Sent at once and read in one go: only the allowance's burst is answered, whatever else it
    // refills while they are read.
    const answers = (await Promise.all(Array.from({ length: 20 }, () => screen.socket.timeout(10_000).emitWithAck('unsubscribe_tank')))) as Array<{ ok: boolean; error?: { code: string } }>;
    const refused = answers.filter((answer) => !answer.ok);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(new Set(refused.map((answer) => answer.error?.code))).toEqual(new Set(['RATE_LIMITED']));
    expect(answers.slice(0, 10).every((answer) => answer.ok)).toBe(true);
    expect(screen.socket.connected).toBe(true);
  });

  it('writes a line separator in a screen’s name as an escape in the log, never as a line of its own', async () => {
    const screen = await connected(VIEWER, 'Ana\u2028command: desktop (operator) estop');
    // A frame that is no Engine.IO packet: the worker drops the screen and logs why, by name.
    (screen.socket.io.engine as unknown as { transport: { ws: { send(data: string): void } } }).transport.ws.send('not a packet');
    await waitFor(() => stderr.includes('dropped (parse error)'), 10_000, 'the worker to log the drop');
    const dropped = stderr.split('\n').find((line) => line.includes('dropped (parse error)'))!;
    expect(dropped).toContain('lan: Ana\\u2028command: desktop (operator) estop at ');
    expect(stderr.split('\n').filter((line) => hasControlCharacters(line))).toEqual([]);
  });
});
