/**
 * The screens' workers of one host, started and kept running: by the station's process, or
 * on another host that only serves screens (`--screens-only`).
 *
 * cluster, not a plain fork, with Socket.IO's sticky sessions: this process listens on the one
 * port the screens know and hands each new connection to a worker in turn, except that a
 * request naming a Socket.IO session goes to the worker that holds it. A screen on WebSocket
 * needs none of that, but the web UI starts on long-polling, which is several requests for
 * one session. Reading the first bytes of each connection costs this
 * process little next to serving a screen. Each worker runs the headless entry again, so a
 * built app and the sources alike start their own kind of worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { setupMaster } from '@socket.io/sticky';
import { WORKER_ENV, type WorkerConfig } from './worker-config';

/** A worker that died is started again after this long, so one that dies at once does not spin. */
const RESTART_AFTER_MS = 1_000;

export interface WorkerPoolOptions {
  count: number;
  /** Every worker's configuration but its id. */
  config: Omit<WorkerConfig, 'id' | 'replaces' | 'url'>;
  log(line: string): void;
  /** A worker has stopped, with the id it had. */
  onExit?(id: string): void;
}

export interface WorkerPool {
  /** Starts the workers; resolves with where they listen, or rejects if one cannot start. */
  listen(): Promise<string>;
  /** Stops every worker and waits for them. */
  close(): Promise<void>;
}

/**
 * Sticky reads the first bytes of a connection here and then sends the socket to a worker. Until
 * the worker's receipt comes back (later under load) Node keeps the socket open in this process
 * too, still reading, and drops what it reads: a screen's first message after the worker answered
 * its handshake can be read here and lost, and the screen waits for an answer to it until the
 * server gives it up 45 s later. So this process stops reading a socket as it hands it on; what
 * the screen sends next waits in the kernel for the worker.
 */
function stopReadingWhenHanded(worker: Worker): void {
  const send = worker.send.bind(worker) as (...args: unknown[]) => boolean;
  worker.send = ((...args: unknown[]) => {
    const handle = args[1] as { _handle?: { readStop?: () => number } } | undefined;
    if (handle instanceof Socket) handle._handle?.readStop?.();
    return send(...args);
  }) as Worker['send'];
}

/**
 * Sticky hands each new connection to one of `cluster.workers`, which holds a worker from the
 * moment it is forked. A worker still starting (loading, reaching Redis) has nobody listening for
 * connections yet: one handed to it is dropped on the floor and the screen waits for an answer
 * that never comes. So a worker is kept out of that list until it says it listens. Node's cluster
 * uses the list only to find its workers again (and to forget one that died), which holds for a
 * worker added later too.
 */
function hideUntilListening(worker: Worker): void {
  const all = cluster.workers!;
  delete all[worker.id];
  const shown = (message: { listening?: string }): void => {
    if (!message?.listening) return;
    worker.off('message', shown);
    if (!worker.isDead() && worker.isConnected()) all[worker.id] = worker;
  };
  worker.on('message', shown);
}

export function workerPool(options: WorkerPoolOptions): WorkerPool {
  const { log } = options;
  const workers = new Set<Worker>();
  let closing = false;
  let listening = false;
  let url = '';
  // Only handed on: the workers answer every request.
  const server = createServer();
  // In turn, not to the least busy: a worker that stops taking connections would keep the
  // fewest screens and draw every new one.
  setupMaster(server, { loadBalancingMethod: 'round-robin' });
  // The first bytes of each connection go to its worker as a Buffer, which JSON would not keep.
  cluster.setupPrimary({ serialization: 'advanced' });

  const fork = (replaces?: string): Promise<string> => {
    const id = `${hostname()}:${randomUUID()}`;
    const config: WorkerConfig = { ...options.config, id, url, ...(replaces ? { replaces } : {}) };
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(config) });
    workers.add(worker);
    hideUntilListening(worker);
    stopReadingWhenHanded(worker);
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      options.onExit?.(id);
      if (closing || !listening) return;
      log(`lan: a screens' worker stopped (${signal ?? `code ${code}`}); starting another`);
      setTimeout(() => {
        if (!closing) fork(id).catch((err: unknown) => log(`lan: a screens' worker could not start: ${(err as Error).message}`));
      }, RESTART_AFTER_MS);
    });
    return new Promise((resolve, reject) => {
      worker.on('message', (message: { listening?: string; failed?: string }) => {
        if (message?.listening) resolve(message.listening);
        if (message?.failed) reject(new Error(message.failed));
      });
      worker.once('exit', (code) => reject(new Error(`a screens' worker stopped before it listened (code ${code})`)));
    });
  };

  return {
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.config.port, options.config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      try {
        await Promise.all(Array.from({ length: options.count }, () => fork()));
      } catch (err) {
        await this.close();
        throw err;
      }
      listening = true;
      return url;
    },
    async close() {
      closing = true;
      server.close();
      server.closeAllConnections();
      await Promise.all(
        [...workers].map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
