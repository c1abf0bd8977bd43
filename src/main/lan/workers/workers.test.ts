/**
 * Screens served by worker processes (`--workers 3`), as a grower runs it: headless Tendril on
 * the simulated station, a real redis-server started here on a free loopback port, and real
 * Socket.IO clients on the port the workers share. Every screen follows the feed with the
 * shared reducer, and converging means holding, at the core's seq, the state whose hash the
 * core gives.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { CommandAck } from '../../../shared/commands';
import { applyEvent, type Replica, type StationEvent, type StationSnapshot } from '../../../shared/events';
import { stateHash } from '../../../shared/state-hash';
import type { StationState } from '../../../shared/station';
import { waitFor, withTimeout } from '../../../test-support/main/sim-process';
import { redisServerFor } from '../../../test-support/main/redis';

const ROOT = join(__dirname, '../../../..');
const VIEWER = 'viewer-token-for-the-workers-test';
const OPERATOR = 'operator-token-for-the-workers-test';
const WORKERS = 3;
const SCREENS = 200;

const haveRedis = redisServerFor('the workers tests');
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Redis {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A redis-server of the test's own, ready once it says so; stopped by its pid. */
async function startRedis(port: number): Promise<Redis> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      void exited.then(() => reject(new Error(`redis-server stopped: ${output}`)));
    }),
    10_000,
    'redis-server to start',
  );
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

interface Station {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr(): string;
  exit: Promise<number | null>;
}

function runStation(args: string[]): Omit<Station, 'url'> {
  const data = mkdtempSync(join(tmpdir(), 'tendril-workers-'));
  // Two hundred screens on two tokens from one address: above the caps one phone room needs.
  writeFileSync(join(data, 'settings.json'), JSON.stringify({ lan: { maxScreensPerToken: 1000, maxScreensPerAddress: 1000 } }));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--simulate', '--data', data, '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TENDRIL_VIEWER_TOKEN: VIEWER, TENDRIL_OPERATOR_TOKEN: OPERATOR },
  });
  let errText = '';
  child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => errText, exit };
}

async function startStation(args: string[]): Promise<Station> {
  const run = runStation(args);
  const lines = createInterface({ input: run.child.stdout });
  const url = await withTimeout(
    new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const found = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (found) resolve(found);
      });
      void run.exit.then((code) => reject(new Error(`serve exited with ${code}: ${run.stderr()}`)));
    }),
    60_000,
    'the station to listen',
  );
  return { ...run, url };
}

/**
 * Another host serving screens for the station (`--screens-only`) through the same Redis, and
 * where it listens. `detached` puts it in a process group of its own, to be killed whole.
 */
async function screensHost(redisPort: number, detached = false): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--screens-only', '--workers', '1', '--redis', `redis://127.0.0.1:${redisPort}`, '--data', mkdtempSync(join(tmpdir(), 'tendril-other-host-')), '--host', '127.0.0.1', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const url = await withTimeout(
    new Promise<string>((resolve) =>
      lines.on('line', (line) => {
        const found = /serving screens on (http:\/\/\S+)/.exec(line)?.[1];
        if (found) resolve(found);
      }),
    ),
    60_000,
    'the other host to listen',
  ).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { child, url, exited };
}

/** The workers are the station's children (cluster); redis-server is not, with --redis. */
function workerPids(station: Station): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(station.child.pid)]).toString();
  return out
    .split('\n')
    .filter((line) => line.includes('headless.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** A screen following the feed as the web UI does: snapshot, numbered events, resync on a gap. */
class Screen {
  readonly socket: Socket;
  replica: Replica | null = null;
  /** The states it held at each recent seq, to compare with the core's at one of them. */
  private readonly held = new Map<number, StationState>();
  resyncs = 0;
  /** The last refusal of a connection, and why it last dropped, for a failing test to show. */
  refusal = '';
  dropped = '';
  /** What its connection manager did last, for a failing test to show. */
  readonly trail: string[] = [];
  /** `polling` starts on long-polling and upgrades, as the web UI does; else WebSocket only. */
  constructor(url: string, token: string, name: string, transport: 'websocket' | 'polling' = 'websocket') {
    this.socket = io(url, { auth: { token, name }, ...(transport === 'websocket' ? { transports: ['websocket'] } : {}), reconnectionDelay: 50, reconnectionDelayMax: 500 });
    const start = (snapshot: StationSnapshot): void => {
      this.replica = { state: snapshot.state, seq: snapshot.seq, epoch: snapshot.epoch };
      this.keep();
    };
    // As the web UI does: a refusal that is not about the token is tried again.
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      this.refusal = `${error.data?.code ?? 'transport'}: ${error.message}`;
      if (error.data?.code && error.data.code !== 'UNAUTHORIZED') setTimeout(() => this.socket.connect(), 100);
    });
    this.socket.on('disconnect', (reason) => (this.dropped = reason));
    const manager = this.socket.io;
    const mark = (what: string) => {
      this.trail.push(`${new Date().toISOString().slice(17, 23)} ${what}`);
      if (this.trail.length > 8) this.trail.shift();
    };
    manager.on('open', () => mark('open'));
    manager.on('close', (reason) => mark(`close ${reason}`));
    manager.on('error', (err) => mark(`error ${err.message}`));
    manager.on('reconnect_attempt', (n) => mark(`attempt ${n}`));
    this.socket.on('initial_state', start);
    this.socket.on('status_update', start);
    this.socket.onAny((name: string, payload: StationEvent) => {
      if (name === 'initial_state' || name === 'status_update' || name === 'state_hash' || this.replica === null) return;
      const next = applyEvent(this.replica, payload);
      if (next === 'resync') {
        this.replica = null;
        this.resyncs++;
        this.socket.emit('resync');
        return;
      }
      this.replica = next;
      this.keep();
    });
  }

  private keep(): void {
    if (!this.replica) return;
    this.held.set(this.replica.seq, this.replica.state);
    if (this.held.size > 500) this.held.delete(this.held.keys().next().value!);
  }

  /** Whether it is connected and held the core's state at the core's seq (or holds it now). */
  agrees(core: { epoch: string; seq: number; stateHash: string }): boolean {
    // One cut off since would still hold the state it had; it agrees again once it is back.
    if (!this.socket.connected || this.replica?.epoch !== core.epoch) return false;
    const state = this.held.get(core.seq);
    return state !== undefined && stateHash(state) === core.stateHash;
  }

  command(payload: unknown): Promise<CommandAck> {
    return withTimeout(new Promise<CommandAck>((resolve) => this.socket.emit('command', payload, resolve)), 15_000, 'a command ack').catch((err: Error) => {
      throw new Error(`${err.message} (connected: ${this.socket.connected}, last dropped: ${this.dropped || 'never'}, refused: ${this.refusal || 'never'})`);
    });
  }

  /** Sends it again while the token's allowance is spent: a grower's screen would wait too. */
  async commandWhenAllowed(payload: unknown): Promise<CommandAck> {
    let ack: CommandAck = await this.command(payload);
    await waitFor(
      async () => {
        if (ack.ok || ack.error.code !== 'RATE_LIMITED') return true;
        ack = await this.command(payload);
        return false;
      },
      15_000,
      'the allowance to refill',
    );
    return ack;
  }

  close(): void {
    this.socket.close();
  }
}

/** The core's state as a poller gets it; asked again while the station cannot be reached (503). */
async function coreState(station: Station): Promise<{ epoch: string; seq: number; stateHash: string }> {
  // A request handed to a worker as it is killed gets no answer: a poller gives up on it and asks again.
  const ask = (): Promise<Response | null> =>
    fetch(`${station.url}/api/state`, { headers: { authorization: `Bearer ${VIEWER}` }, signal: AbortSignal.timeout(5_000) }).catch(() => null);
  let res = await ask();
  await waitFor(
    async () => {
      if (res && res.status !== 503) return true;
      res = await ask();
      return false;
    },
    60_000,
    'the station to answer through the workers',
  );
  expect(res!.status).toBe(200);
  return (await res!.json()) as { epoch: string; seq: number; stateHash: string };
}

/** Every screen has held the core's state: asked again until it has, as the state moves on. */
async function converged(station: Station, screens: readonly Screen[], timeoutMs = 60_000): Promise<void> {
  let core = await coreState(station);
  let asked = Date.now();
  await waitFor(
    async () => {
      if (screens.every((screen) => screen.agrees(core))) return true;
      // A screen still short of the core's seq may get there; one past it without holding it
      // resynced over it, so ask for the core's state anew.
      if (screens.some((screen) => (screen.replica?.seq ?? 0) > core.seq + 50) || Date.now() - asked > 2_000) {
        core = await coreState(station);
        asked = Date.now();
      }
      return false;
    },
    timeoutMs,
    "every screen to hold the core's state",
  ).catch((err: Error) => {
    const behind = screens.filter((screen) => !screen.agrees(core));
    const states = behind.slice(0, 5).map((screen) => `seq ${screen.replica?.seq ?? 'none'}, connected ${screen.socket.connected}, dropped ${screen.dropped || 'never'}, refused ${screen.refusal || 'never'}, lately: ${screen.trail.join(', ')}`);
    throw new Error(`${err.message}: ${behind.length} of ${screens.length} do not (core at seq ${core.seq}; ${states.join(' | ')})`);
  });
}

/** A seeded generator, so a failing run can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe.skipIf(!haveRedis)('screens served by three workers through Redis', () => {
  let redis: Redis;
  let redisPort: number;
  let station: Station;
  const screens: Screen[] = [];

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    station = await startStation(['--workers', String(WORKERS), '--redis', `redis://127.0.0.1:${redisPort}`]);
  }, 90_000);

  afterAll(async () => {
    if (process.env.SHOW_STATION_LOG) console.log(station?.stderr());
    for (const screen of screens) screen.close();
    if (station && station.child.exitCode === null) {
      station.child.kill('SIGTERM');
      await withTimeout(station.exit, 20_000, 'the station to stop').catch(() => station.child.kill('SIGKILL'));
    }
    await redis?.stop();
  }, 30_000);

  it(`${SCREENS} screens converge on the core's state, through random disconnects`, async () => {
    expect(workerPids(station)).toHaveLength(WORKERS);
    // A quarter start on long-polling, whose requests must all reach the worker holding their session.
    for (let i = 0; i < SCREENS; i++) screens.push(new Screen(station.url, i % 10 === 0 ? OPERATOR : VIEWER, `screen ${i}`, i % 4 === 1 ? 'polling' : 'websocket'));
    await converged(station, screens);
    const next = random(16);
    for (let round = 0; round < 3; round++) {
      // Cut the transport under a fifth of them: they reconnect (to whichever worker) on their own.
      for (const screen of screens) if (next() < 0.2) screen.socket.io.engine.close();
      await converged(station, screens);
    }
    const res = await fetch(`${station.url}/api/health`);
    expect(await res.json()).toMatchObject({ ok: true, link: 'ready' });
  }, 180_000);

  it('carries commands to the core and their acks back, with the same roles, idempotency and limits', async () => {
    const operators = screens.filter((_, i) => i % 10 === 0).slice(0, 6);
    const viewer = screens[1]!;
    // The same key from screens on different workers acts once: every ack is the first one.
    const acks = await Promise.all(operators.map((screen) => screen.command({ id: 'pair-once', type: 'access.pair', role: 'viewer', label: 'kitchen tablet' })));
    const first = acks[0] as { ok: true; result: { token: { id: string } } };
    expect(first.ok).toBe(true);
    for (const ack of acks) expect(ack).toEqual(first);
    expect(await viewer.command({ id: 'v1', type: 'relay.set', relayId: 'fill', on: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // One token's allowance, spent from every worker at once.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => operators[i % operators.length]!.command({ id: `n${i}`, type: 'access.tokens' })));
    expect(burst.filter((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    // The REST road reaches the same door, its body carried to a worker by the pool's process.
    const posted = await fetch(`${station.url}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'rest-1', type: 'relay.set', relayId: 'fill', on: true }),
    });
    expect(posted.status).toBe(403);
    expect(await posted.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Stopping is never rationed.
    expect(await operators[1]!.command({ id: 'stop', type: 'estop' })).toMatchObject({ ok: true });
    expect(await operators[2]!.commandWhenAllowed({ id: 'reset', type: 'estop.reset' })).toMatchObject({ ok: true });
  }, 60_000);

  it('drops a revoked token on every worker', async () => {
    const operator = screens[0]!;
    const paired = (await operator.commandWhenAllowed({ id: 'pair-doomed', type: 'access.pair', role: 'viewer', label: 'lost phone' })) as {
      ok: true;
      result: { token: { id: string }; links: string[] };
    };
    const secret = new URL(paired.result.links[0]!).searchParams.get('token')!;
    const doomed = Array.from({ length: 9 }, (_, i) => new Screen(station.url, secret, `lost ${i}`));
    await waitFor(() => doomed.every((screen) => screen.replica !== null), 30_000, 'the lost phone screens to connect').catch((err: Error) => {
      throw new Error(`${err.message}; refusals: ${doomed.map((screen) => screen.refusal || 'none').join('; ')}`);
    });
    const refused = doomed.map(
      (screen) =>
        new Promise<string>((resolve) => {
          screen.socket.on('disconnect', (reason) => (reason === 'io server disconnect' ? resolve(reason) : undefined));
        }),
    );
    expect(await operator.commandWhenAllowed({ id: 'revoke-doomed', type: 'access.revoke', tokenId: paired.result.token.id })).toMatchObject({ ok: true });
    await withTimeout(Promise.all(refused), 15_000, 'every screen of the revoked token to be dropped');
    // And it cannot come back through any worker.
    const again = new Screen(station.url, secret, 'lost again');
    const error = await withTimeout(new Promise<Error & { data?: { code?: string } }>((resolve) => again.socket.once('connect_error', resolve)), 15_000, 'a refusal');
    expect(error.data?.code).toBe('UNAUTHORIZED');
    again.close();
    for (const screen of doomed) screen.close();
  }, 60_000);

  it('moves the screens of a killed worker to the others, where they converge; another worker takes its place', async () => {
    const [victim] = workerPids(station);
    process.kill(victim!, 'SIGKILL');
    await converged(station, screens, 40_000);
    await waitFor(() => workerPids(station).length === WORKERS && !workerPids(station).includes(victim!), 30_000, 'a new worker');
    let asked = 0;
    let total: number | undefined;
    await waitFor(
      async () => {
        const ack = (await screens[0]!.commandWhenAllowed({ id: `count-${++asked}`, type: 'lan.screens', offset: 0, limit: 1 })) as { ok: boolean; result?: { total: number } };
        total = ack.result?.total;
        return total === SCREENS;
      },
      30_000,
      'the count of screens to be the screens connected',
    ).catch((err: Error) => {
      throw new Error(`${err.message}: the station counts ${total}`);
    });
  }, 120_000);

  it('answers every request while a killed worker\'s replacement is still starting', async () => {
    const before = workerPids(station);
    process.kill(before[0]!, 'SIGKILL');
    // Forked but not yet listening: a connection handed to it would never be answered.
    await waitFor(() => workerPids(station).some((pid) => !before.includes(pid)), 30_000, 'the replacement to be forked');
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(`${station.url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then(
          (res) => `answered ${res.status}`,
          (err: Error) => (err.name === 'TimeoutError' ? 'never answered' : 'refused'),
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'never answered')).toEqual([]);
    expect(outcomes).toContain('answered 200');
    await converged(station, screens, 40_000);
  }, 60_000);

  it('lets another host serve screens for the station through the same Redis', async () => {
    const { child: other, url, exited } = await screensHost(redisPort);
    try {
      expect(url).not.toBe(station.url);
      const there = [new Screen(url, OPERATOR, 'over there'), new Screen(url, VIEWER, 'over there too')];
      screens.push(...there);
      await converged(station, there);
      expect(await there[0]!.commandWhenAllowed({ id: 'from-afar', type: 'access.tokens' })).toMatchObject({ ok: true });
      for (const screen of there) screen.close();
      screens.splice(screens.length - there.length);
    } finally {
      other.kill('SIGTERM');
      await exited;
    }
  }, 90_000);

  it('stops counting the screens of a host that vanished, from its silence', async () => {
    // Its own process group, so the host and its worker can be killed outright together, as a
    // power cut would: nothing then tells the station that its screens left.
    const { child: other, url, exited } = await screensHost(redisPort, true);
    const counted = async (): Promise<number | undefined> => {
      const ack = (await screens[0]!.commandWhenAllowed({ id: `lost-host-count-${Date.now()}-${Math.random()}`, type: 'lan.screens', offset: 0, limit: 1 })) as { result?: { total: number } };
      return ack.result?.total;
    };
    const there: Screen[] = [];
    try {
      there.push(new Screen(url, VIEWER, 'in the shed'), new Screen(url, VIEWER, 'in the shed too'));
      await converged(station, there);
      await waitFor(async () => (await counted()) === SCREENS + there.length, 30_000, 'the station to count the shed\'s screens');
      process.kill(-other.pid!, 'SIGKILL');
      await exited;
      let total: number | undefined;
      await waitFor(
        async () => {
          total = await counted();
          return total === SCREENS;
        },
        40_000,
        'the station to stop counting the vanished host\'s screens',
      ).catch((err: Error) => {
        throw new Error(`${err.message}: it counts ${total}`);
      });
    } finally {
      for (const screen of there) screen.close();
      if (other.exitCode === null && other.signalCode === null) process.kill(-other.pid!, 'SIGKILL');
    }
  }, 120_000);

  it('keeps the station running while Redis restarts; the screens resync and converge', async () => {
    await redis.stop();
    redis = await startRedis(redisPort);
    await converged(station, screens, 90_000);
    expect(station.child.exitCode).toBeNull();
    // A worker whose question was lost while Redis was away answers 503 ("try again") after its
    // deadline; the health check, asked again as a monitor would, finds the station under control.
    let health: unknown;
    await waitFor(
      async () => {
        const res = await fetch(`${station.url}/api/health`, { signal: AbortSignal.timeout(15_000) }).catch(() => null);
        health = res ? await res.json() : null;
        return res?.status === 200;
      },
      40_000,
      'the health check to answer through the workers',
    );
    expect(health).toMatchObject({ ok: true, link: 'ready' });
  }, 120_000);
});

describe.skipIf(!haveRedis)('a Redis that cannot be reached', () => {
  it('stops the start with the address and exit code 2', async () => {
    const port = await freePort();
    const run = runStation(['--workers', '1', '--redis', `redis://127.0.0.1:${port}`]);
    expect(await withTimeout(run.exit, 30_000, 'the station to give up')).toBe(2);
    expect(run.stderr()).toContain(`redis://127.0.0.1:${port}`);
  }, 40_000);
});

describe.skipIf(!haveRedis)('a private Redis', () => {
  it('is started in the data folder when --workers comes without --redis, and stopped with the station', async () => {
    const station = await startStation(['--workers', '1']);
    // SIGTERM, so a failed run does not leave its private redis-server behind either.
    onTestFinished(async () => {
      if (station.child.exitCode !== null) return;
      station.child.kill('SIGTERM');
      await withTimeout(station.exit, 20_000, 'the station to stop').catch(() => station.child.kill('SIGKILL'));
    });
    const data = /--data (\S+)/.exec((station.child.spawnargs ?? []).join(' '))?.[1] ?? '';
    const socket = join(data, 'redis.sock');
    expect(existsSync(socket)).toBe(true);
    const redisPid = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(station.child.pid)])
      .toString()
      .split('\n')
      .find((line) => line.includes('redis-server'))
      ?.trim()
      .split(/\s+/)[0];
    expect(redisPid).toBeDefined();
    const screen = new Screen(station.url, VIEWER, 'private', 'polling');
    await converged(station, [screen]);
    screen.close();
    station.child.kill('SIGTERM');
    expect(await withTimeout(station.exit, 20_000, 'the station to stop')).toBe(0);
    await waitFor(() => !processAlive(Number(redisPid)), 10_000, 'the private redis-server to stop');
    expect(existsSync(socket)).toBe(false);
  }, 60_000);
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
