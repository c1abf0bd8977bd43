/**
 * A screens' worker process from start to end: it connects to the station's Redis, listens on
 * the shared port, tells the station's process where, and stops with it.
 */
import { plainText } from '../../../shared/plain-text';
import { connectRedis } from './redis-link';
import { createScreenWorker } from './screen-worker';
import type { WorkerConfig } from './worker-config';

export async function runScreenWorker(config: WorkerConfig, printLine: (line: string) => void): Promise<void> {
  // Screens name themselves, and their names reach these lines: one plain line each, as the
  // station's own log writes them.
  const log = (line: string): void => printLine(plainText(line));
  const tell = (message: unknown): void => void process.send?.(message);
  let redis;
  try {
    redis = await connectRedis(config.redis, log);
  } catch (err) {
    tell({ failed: (err as Error).message });
    process.exit(2);
  }
  const worker = createScreenWorker(config, redis, log);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void worker
      .close()
      .finally(() => redis.destroy())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  // Ctrl-C reaches the whole process group: the station's process stops the workers itself.
  process.on('SIGINT', () => {});
  // The station's process is gone: nobody is left to answer the screens.
  process.on('disconnect', stop);
  if (config.replaces) worker.forget(config.replaces);
  try {
    tell({ listening: await worker.listen() });
  } catch (err) {
    tell({ failed: (err as Error).message });
    process.exit(2);
  }
}
