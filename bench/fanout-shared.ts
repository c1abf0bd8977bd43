/**
 * What the fan-out benchmark's three processes agree on: one clock, the messages they pass each
 * other, and where a received change carries the time the stream applied it.
 */

/**
 * Epoch milliseconds with sub-millisecond resolution, the same in every process of one run.
 * process.hrtime reads the system's monotonic clock, which all processes on a machine share;
 * the orchestrator picks the offset that turns it into epoch time and hands it to the others, so
 * no process's own idea of its start time can skew the latencies.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function makeClock(offsetMs: number): () => number {
  return () => offsetMs + monotonicMs();
}

export type ServerKind = 'socket.io' | 'ws';

/** The LAN server, or the bare broadcast it is measured against. */
export interface ServerSpec {
  kind: ServerKind;
  /** LiveFeed's telemetry window; the bare server sends every change at once. */
  windowMs: number;
  /** Screens served by this many worker processes through a private Redis; 0 or absent: one process. */
  workers?: number;
}

export type ToServer =
  | {
      kind: 'listen';
      spec: ServerSpec;
      clockOffsetMs: number;
      readHz: number;
      /** Where to write a CPU profile of the measured span, if anywhere. */
      profileFile: string | null;
    }
  | { kind: 'measure'; warmupMs: number; seconds: number }
  | { kind: 'close' };

export type FromServer =
  | { kind: 'listening'; url: string; token: string }
  | { kind: 'measuring' }
  | {
      kind: 'measured';
      from: number;
      to: number;
      offered: { telemetry: number; discrete: number };
      cpuMicros: number;
      /** With workers: each worker's CPU over the span, and the Redis server's. */
      workerCpuMicros?: number[];
      redisCpuMicros?: number;
      rssIdleBytes: number;
      rssPeakBytes: number;
      loopDelayP99Ms: number;
    };

export type ToClients =
  | { kind: 'connect'; server: ServerKind; url: string; token: string; clients: number; clockOffsetMs: number }
  | { kind: 'settle' }
  | { kind: 'cpu-start' }
  | { kind: 'cpu-stop' }
  | { kind: 'report'; from: number; to: number }
  | { kind: 'close' };

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export type FromClients =
  | { kind: 'connected'; ms: number }
  | { kind: 'settled'; ms: number }
  | { kind: 'failed'; message: string }
  | {
      kind: 'report';
      /** Messages whose change was applied within the measured span, as all clients received them. */
      delivered: { telemetry: number; discrete: number };
      all: Latencies;
      telemetry: Latencies;
      discrete: Latencies;
      cpuMicros: number;
      loopDelayP99Ms: number;
      /** Socket.IO numbers each audience without gaps: a jump means a screen missed something. */
      gaps: number;
    };

/** Telemetry waits in LiveFeed's window; discrete changes go out on the next turn. */
export type ChangeKind = 'telemetry' | 'discrete';

/** Where a relay change, which has no time field of its own, carries it in its free-text reason. */
export const RELAY_STAMP = ' @';

/**
 * When the stream applied the change a message carries (its burst's time), or null for
 * messages the stream does not produce.
 */
export function stampOf(type: string, payload: unknown): { at: number; kind: ChangeKind } | null {
  const change = payload as { at?: number; alert?: { at?: number }; why?: string };
  switch (type) {
    case 'ecph_reading':
      return typeof change.at === 'number' ? { at: change.at, kind: 'telemetry' } : null;
    case 'alert':
      return typeof change.alert?.at === 'number' ? { at: change.alert.at, kind: 'discrete' } : null;
    case 'relay_update': {
      const marker = change.why?.lastIndexOf(RELAY_STAMP) ?? -1;
      return marker >= 0 && change.why ? { at: Number(change.why.slice(marker + RELAY_STAMP.length)), kind: 'discrete' } : null;
    }
    default:
      return null;
  }
}
