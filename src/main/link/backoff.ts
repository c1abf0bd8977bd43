export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** Serial reconnects: quick enough that a replugged cable is back within seconds. */
export const SERIAL_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 5000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a room full
 * of hosts never retries in step, and no retry comes sooner than half the nominal delay.
 * `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
