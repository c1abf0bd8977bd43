/**
 * The screens' workers of one host, started and kept running: by the station's process, or
 * on another host that only serves screens (`--screens-only`).
 *
 * cluster, not a plain fork: the workers all listen on the one port the screens know, and
 * Node's cluster hands each new connection to one of them in turn (the pool's process accepts
 * and passes it on, which costs little next to serving a screen). Each worker runs the headless
 * entry again, so a built app and the sources alike start their own kind of worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WORKER_ENV, type WorkerConfig } from './worker-config';

/** A worker that died is started again after this long, so one that dies at once does not spin. */
const RESTART_AFTER_MS = 1_000;

export interface WorkerPoolOptions {
  count: number;
  /** Every worker's configuration but its id. */
  config: Omit<WorkerConfig, 'id' | 'replaces'>;
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

export function workerPool(options: WorkerPoolOptions): WorkerPool {
  const { log } = options;
  const workers = new Set<Worker>();
  let closing = false;
  let listening = false;

  const fork = (replaces?: string): Promise<string> => {
    const id = `${hostname()}:${randomUUID()}`;
    const config: WorkerConfig = { ...options.config, id, ...(replaces ? { replaces } : {}) };
    const worker = cluster.fork({ [WORKER_ENV]: JSON.stringify(config) });
    workers.add(worker);
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
      // All with the same address and port, 0 included: cluster opens it once and shares it.
      const [first] = await Promise.all(Array.from({ length: options.count }, () => fork()));
      listening = true;
      return first!;
    },
    async close() {
      closing = true;
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
