/**
 * The screens of the fan-out benchmark, in a process of their own so that their work does not
 * count as the server's: N Socket.IO clients (WebSocket only, as phones connect) or N plain
 * `ws` clients, each noting when every message arrived.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { STATE_HASH_EVENT } from '../src/shared/state-hash';
import { makeClock, stampOf, type FromClients, type Latencies, type ServerKind, type ToClients } from './fanout-shared';

/** Connections opened at once; a thousand handshakes in one go only measures the listen backlog. */
const CONNECT_BATCH = 50;
const CONNECT_TIMEOUT_MS = 30_000;
/**
 * Every connection changes who is watching, which every screen receives (at most once a second,
 * as the count and a few of the latest comings and goings). The crowd is ready once that has been
 * quiet for this long.
 */
const SETTLED_AFTER_MS = 750;
const SETTLE_TIMEOUT_MS = 180_000;

/** Every stamped message as it arrived: when its change was applied, how long it took, what kind. */
class Receipts {
  private stamps = new Float64Array(1 << 16);
  private latencies = new Float64Array(1 << 16);
  private discrete = new Uint8Array(1 << 16);
  private length = 0;
  gaps = 0;

  record(stamp: number, latency: number, discrete: boolean): void {
    if (this.length === this.stamps.length) this.grow();
    this.stamps[this.length] = stamp;
    this.latencies[this.length] = latency;
    this.discrete[this.length] = discrete ? 1 : 0;
    this.length++;
  }

  /** Messages whose change was applied in [from, to), wherever in time they arrived. */
  report(from: number, to: number): Omit<Extract<FromClients, { kind: 'report' }>, 'kind' | 'cpuMicros' | 'loopDelayP99Ms'> {
    const all: number[] = [];
    const telemetry: number[] = [];
    const discrete: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const stamp = this.stamps[i] ?? 0;
      if (stamp < from || stamp >= to) continue;
      const latency = this.latencies[i] ?? 0;
      all.push(latency);
      (this.discrete[i] ? discrete : telemetry).push(latency);
    }
    return {
      delivered: { telemetry: telemetry.length, discrete: discrete.length },
      all: percentiles(all),
      telemetry: percentiles(telemetry),
      discrete: percentiles(discrete),
      gaps: this.gaps,
    };
  }

  private grow(): void {
    const size = this.stamps.length * 2;
    const stamps = new Float64Array(size);
    const latencies = new Float64Array(size);
    const discrete = new Uint8Array(size);
    stamps.set(this.stamps);
    latencies.set(this.latencies);
    discrete.set(this.discrete);
    this.stamps = stamps;
    this.latencies = latencies;
    this.discrete = discrete;
  }
}

function percentiles(values: number[]): Latencies {
  if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

interface Screen {
  /** Resolves once the screen holds its first state. */
  ready: Promise<void>;
  close(): void;
}

/**
 * Follows one screen's numbering: every message after the snapshot should be the next number.
 * The time is read first, before any work of the benchmark's own.
 */
function receiver(receipts: Receipts, now: () => number): { snapshot(seq: number): void; message(type: string, payload: unknown): void } {
  let seq: number | null = null;
  return {
    snapshot: (at) => void (seq = at),
    message(type, payload) {
      const arrived = now();
      lastArrival = arrived;
      const numbered = (payload as { seq?: unknown }).seq;
      if (typeof numbered === 'number' && seq !== null) {
        // A state hash names the number of the last message it covers; it takes none of its own.
        if (type === STATE_HASH_EVENT) {
          if (numbered !== seq) receipts.gaps++;
        } else {
          if (numbered !== seq + 1) receipts.gaps++;
          seq = numbered;
        }
      }
      const stamp = stampOf(type, payload);
      if (stamp) receipts.record(stamp.at, arrived - stamp.at, stamp.kind === 'discrete');
    },
  };
}

function socketIoScreen(url: string, token: string, index: number, receipts: Receipts, now: () => number): Screen {
  const socket: Socket = io(url, { auth: { token, name: `bench screen ${index}` }, transports: ['websocket'], forceNew: true, reconnection: false });
  const follow = receiver(receipts, now);
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('initial_state', (snapshot: { seq: number }) => {
      follow.snapshot(snapshot.seq);
      resolve();
    });
    socket.once('connect_error', reject);
  });
  socket.onAny((type: string, payload: unknown) => {
    if (type !== 'initial_state') follow.message(type, payload);
  });
  return { ready, close: () => void socket.disconnect() };
}

function wsScreen(url: string, receipts: Receipts, now: () => number): Screen {
  const socket = new WebSocket(url);
  const follow = receiver(receipts, now);
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    // Kept for the socket's life: an 'error' with no listener would end the process.
    socket.on('error', reject);
  });
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; seq: number };
    if (message.type === 'initial_state') {
      follow.snapshot(message.seq);
      resolveReady();
    } else {
      follow.message(message.type, message);
    }
  });
  return { ready, close: () => socket.close() };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let lastArrival = 0;
/** Set by 'connect': the run's shared clock. */
let clock: () => number = () => 0;
const receipts = new Receipts();
const screens: Screen[] = [];
let cpuFrom: NodeJS.CpuUsage | null = null;
let cpuMicros = 0;
/** A busy client process delays receipts too; this says whether it was. */
let loop: IntervalHistogram | null = null;
let loopDelayP99Ms = NaN;

async function connect(server: ServerKind, url: string, token: string, count: number, now: () => number): Promise<void> {
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch: Screen[] = [];
    for (let index = start; index < Math.min(count, start + CONNECT_BATCH); index++) {
      batch.push(server === 'socket.io' ? socketIoScreen(url, token, index, receipts, now) : wsScreen(url, receipts, now));
    }
    screens.push(...batch);
    await withTimeout(Promise.all(batch.map((screen) => screen.ready)), CONNECT_TIMEOUT_MS, `connecting screens ${start}..${start + batch.length - 1}`);
  }
}

/** Resolves once no message has arrived for SETTLED_AFTER_MS. */
async function settle(now: () => number): Promise<void> {
  const deadline = now() + SETTLE_TIMEOUT_MS;
  while (now() - lastArrival < SETTLED_AFTER_MS) {
    if (now() > deadline) throw new Error(`messages kept arriving for ${SETTLE_TIMEOUT_MS} ms after connecting`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function send(message: FromClients): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const message = raw as ToClients;
  switch (message.kind) {
    case 'connect': {
      clock = makeClock(message.clockOffsetMs);
      const started = clock();
      connect(message.server, message.url, message.token, message.clients, clock).then(
        () => send({ kind: 'connected', ms: clock() - started }),
        (err: unknown) => send({ kind: 'failed', message: (err as Error).message }),
      );
      return;
    }
    case 'settle': {
      const started = clock();
      settle(clock).then(
        () => send({ kind: 'settled', ms: clock() - started }),
        (err: unknown) => send({ kind: 'failed', message: (err as Error).message }),
      );
      return;
    }
    case 'cpu-start':
      cpuFrom = process.cpuUsage();
      loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      return;
    case 'cpu-stop': {
      const used = process.cpuUsage(cpuFrom ?? undefined);
      cpuMicros = used.user + used.system;
      loop?.disable();
      loopDelayP99Ms = (loop?.percentile(99) ?? NaN) / 1e6;
      return;
    }
    case 'report':
      send({ kind: 'report', ...receipts.report(message.from, message.to), cpuMicros, loopDelayP99Ms });
      return;
    case 'close':
      for (const screen of screens) screen.close();
      process.disconnect();
      return;
  }
});
