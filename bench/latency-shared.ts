/** Messages between the latency bench and its child processes, and the figures it prints. */

/** Bench → controller process. */
export type ToController = { kind: 'relay'; ch: string; on: boolean } | { kind: 'stop' };

/** Controller process → bench. */
export type FromController =
  | { kind: 'ready'; serialPath: string }
  /** A line the controller wrote to the pty, stamped just before the write (Date.now(), ms). */
  | { kind: 'wrote'; at: number; what: 'relay'; ch: string; on: boolean }
  | { kind: 'wrote'; at: number; what: 'read'; ch: string; value: number };

/** Bench → screens process. */
export type ToScreens = { kind: 'connect'; url: string; token: string; count: number } | { kind: 'stop' };

/** Screens process → bench. */
export type FromScreens = { kind: 'connected'; count: number } | { kind: 'failed'; why: string };

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export function spreadText(s: Spread): string {
  if (s.n === 0) return 'no samples';
  return `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (n=${s.n})`;
}
