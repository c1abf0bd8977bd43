/**
 * How long to wait before trying again after a failure: the serial link to the controller and
 * every screen's way to the station retry on this one curve, each with its own base and cap.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a room full
 * of hosts (or phones, all dropped by the same restart) never retries in step, and no retry comes
 * sooner than half the nominal delay. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
