/**
 * How long a screen waits before trying the station again, for every way it reaches it
 * (live reconnects and polling alike): exponential from 1 s, capped at 30 s, on the same
 * jittered curve as the station's own serial reconnects (shared/backoff.ts).
 */
import { backoffDelay, type BackoffPolicy } from '../../../shared/backoff';

export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  return backoffDelay(failures - 1, RECONNECT_BACKOFF, random);
}
