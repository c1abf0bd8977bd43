/**
 * What the station's process tells each worker it starts, through the worker's environment:
 * the headless entry sees it there and serves screens instead of starting a station.
 */
import type { RedisAddress } from './redis-link';

export const WORKER_ENV = 'TENDRIL_LAN_WORKER';

export interface WorkerConfig {
  /** Names this worker in the station's count of screens, unique across hosts. */
  id: string;
  host: string;
  port: number;
  /** Where the screens reach this host's workers (the pool's process listens and hands on). */
  url: string;
  webRoot: string | null;
  hostNames: string[];
  allowedOrigins: string[];
  redis: RedisAddress;
  /**
   * The worker that stopped before this one was started in its place: the station forgets its
   * screens, which a station on another host would not learn otherwise.
   */
  replaces?: string;
}

/** The worker's configuration, or null in any process that is not a worker. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig | null {
  const text = env[WORKER_ENV];
  return text ? (JSON.parse(text) as WorkerConfig) : null;
}
