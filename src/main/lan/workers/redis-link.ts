/**
 * The Redis server that carries the LAN feed between the station's process and the processes
 * that serve screens: the grower's own (`--redis URL`), or a private one Tendril starts on a unix
 * socket in its data folder and stops when it stops.
 *
 * Redis only carries messages; nothing the station needs to run lives there. A Redis that goes
 * away while the station runs costs the screens a resync when it is back, never a dose or a
 * reading: the clients reconnect by themselves and the core never waits on them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'redis';

/** Where Redis is: a URL as the grower writes it, or the private server's socket. */
export type RedisAddress = { url: string } | { socket: string };

export type RedisClient = ReturnType<typeof createClient>;

/** The file name of the private server's socket in the data folder. */
export const PRIVATE_REDIS_SOCKET = 'redis.sock';

/** How long a first connection may take before the address is called unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Once connected, a lost connection is retried this often at most, for as long as it takes. */
const RECONNECT_MAX_MS = 2_000;

export class RedisUnreachable extends Error {}

/** The address as the grower gave it, for messages: a password in the URL is not repeated. */
export function describeRedis(address: RedisAddress): string {
  if ('socket' in address) return `unix:${address.socket}`;
  try {
    const url = new URL(address.url);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return address.url;
  }
}

/** What is wrong with a --redis URL, or null when it can be used. */
export function redisUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be a URL such as redis://127.0.0.1:6379, not "${text}"`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `must start with redis:// or rediss://, not "${url.protocol}//"`;
  if (!url.hostname) return `needs a host, as in redis://127.0.0.1:6379`;
  return null;
}

/**
 * A connected client. The first connection must succeed within a few seconds, or this throws a
 * RedisUnreachable naming the address; after that, a lost connection is retried for ever, and
 * commands wait for it.
 */
export async function connectRedis(address: RedisAddress, log: (line: string) => void): Promise<RedisClient> {
  let connectedOnce = false;
  const name = describeRedis(address);
  const client = createClient({
    ...('url' in address ? { url: address.url } : {}),
    socket: {
      ...('socket' in address ? { path: address.socket } : {}),
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number, cause: Error) =>
        connectedOnce ? Math.min(100 * 2 ** Math.min(retries, 5), RECONNECT_MAX_MS) : cause,
    },
  });
  // Said once per outage, not once per retry.
  let down = false;
  client.on('error', (err: Error) => {
    if (!connectedOnce || down) return;
    down = true;
    log(`lan: lost Redis at ${name} (${err.message}); screens keep what they have and resync when it is back`);
  });
  client.on('ready', () => {
    if (down) log(`lan: Redis at ${name} is back`);
    down = false;
  });
  try {
    await client.connect();
  } catch (err) {
    // A client that gave up is closed already.
    if (client.isOpen) client.destroy();
    throw new RedisUnreachable(`Redis at ${name} cannot be reached (${(err as Error).message})`);
  }
  connectedOnce = true;
  return client;
}

export interface PrivateRedis {
  address: RedisAddress;
  /** The server's process, for measuring what it costs. */
  pid: number;
  /** Stops the server and waits for it; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Debian's redis-server on a unix socket in the data folder (itself the owner's alone), with
 * nothing saved to disk: every message it carries is also held by the station, and a stale
 * stream from an earlier run must not be replayed to anyone. It is stopped with Tendril, also on
 * SIGINT and SIGTERM and on a crash of the station's process (the 'exit' hook below); only a
 * SIGKILL of the station can leave it running, and the next start replaces its socket.
 */
export async function startPrivateRedis(dataDir: string, log: (line: string) => void): Promise<PrivateRedis> {
  const socket = join(dataDir, PRIVATE_REDIS_SOCKET);
  rmSync(socket, { force: true });
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'];
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new RedisUnreachable(`redis-server could not be started (${(err as Error).message}); install it (apt-get install redis-server) or pass --redis URL`);
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  // A redis-server that could not be started at all never exits: its error ends it too.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const killOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(socket, { force: true });
  };

  // Ready when it answers on its socket; an early exit (not installed, socket path not usable) says why.
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new RedisUnreachable(`redis-server could not be started (${err.message}); install it (apt-get install redis-server) or pass --redis URL`)));
    void exited.then(() => reject(new RedisUnreachable(`redis-server stopped at once: ${output.trim().split('\n').pop() ?? 'no output'}`)));
  });
  failed.catch(() => {});
  const deadline = Date.now() + CONNECT_TIMEOUT_MS * 2;
  for (;;) {
    try {
      const probe = await Promise.race([connectRedis({ socket }, () => {}), failed]);
      await probe.close();
      break;
    } catch (err) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await stop();
        throw err instanceof RedisUnreachable ? err : new RedisUnreachable(String(err));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  log(`lan: started a private Redis for the screens' workers on ${socket}`);
  return { address: { socket }, pid: child.pid!, stop };
}
