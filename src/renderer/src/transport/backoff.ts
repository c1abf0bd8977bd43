/**
 * How long a screen waits before trying the station again, for every way it reaches it
 * (live reconnects and polling alike): exponential from 1 s, capped at 30 s.
 *
 * The wait is drawn between half the ceiling and the ceiling. The randomness keeps a room full
 * of phones, all dropped by the same server restart, from coming back in step; the floor keeps
 * each wait at least half as long as the policy says.
 */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_CAP_MS = 30_000;

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function reconnectDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}
