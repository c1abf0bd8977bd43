/**
 * Live fan-out on the LAN: a station's change stream delivered to N screens over loopback,
 * through the real LAN server (store → LiveFeed → Socket.IO rooms), against a bare `ws`
 * broadcast of the same stream to the same number of plain `ws` clients.
 *
 *   stream (timer) → StationStore → LiveFeed (telemetry window) → Socket.IO → N clients
 *   stream (timer) → StationStore → JSON.stringify once → ws.send × N   → N clients
 *
 * Each run uses fresh processes: one for the server and its stream, one for the crowd of
 * clients and one for ten probe clients that join last, so client work does not show up as
 * server CPU. The figures:
 *  - delivered: messages received by all clients together per second, counting those whose
 *    change was applied within the measured span and that arrived before the report;
 *  - latency: from the store change to the client's receipt, stamped in the change itself
 *    (readings and alerts carry their time; relays carry it in their reason), read on the
 *    machine's monotonic clock that all processes share. All changes of one burst carry the
 *    burst's time, so a change that waits behind its burst-mates' fan-out counts that wait. The
 *    headline is the probes' (what one phone sees); the crowd's includes its own process
 *    decoding for hundreds of screens;
 *  - server CPU (user + system, % of one core) and peak RSS of the server process.
 *
 * With --workers N (a list, 0 being one process), the LAN server also runs as headless --workers
 * does: the station in the server process, the screens on N cluster workers fed through a
 * private redis-server. Server CPU is then the station's process; each worker's and Redis's are
 * reported beside it. The load generator (the crowd and the probes) shares the same cores.
 *
 * Run: npm run bench:fanout [-- --clients 100,1000 --seconds 10 --windows 100,0 --workers 0,2 --hz 5 --profile DIR]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { LAN_WINDOW_MS } from '../src/main/lan/http-server';
import { monotonicMs, type FromClients, type FromServer, type Latencies, type ServerSpec, type ToClients, type ToServer } from './fanout-shared';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '100,1000' },
    seconds: { type: 'string', default: '10' },
    // The product's window first; 0 shows the fan-out alone, with nothing waiting in the feed.
    windows: { type: 'string', default: `${LAN_WINDOW_MS},0` },
    // Read cycles per second; every cycle reads all eight sensors, as the controller does.
    hz: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1.5' },
    // Worker processes for the Socket.IO runs; 0 is one process (the default).
    workers: { type: 'string', default: '0' },
    // Writes a .cpuprofile of each server's measured span into this folder (it costs some CPU).
    profile: { type: 'string' },
  },
});
const CLIENT_COUNTS = values.clients.split(',').map(Number);
const SECONDS = Number(values.seconds);
const WINDOWS = values.windows.split(',').map(Number);
const WORKER_COUNTS = values.workers.split(',').map(Number);
const READ_HZ = Number(values.hz);
const WARMUP_MS = Number(values.warmup) * 1000;
/** After the span, late messages still count for this long; anything later counts as lost. */
const DRAIN_MS = 2000 + Math.max(0, ...WINDOWS);
/**
 * Screens in a process of their own that measure latency. One process decoding for a thousand
 * screens queues messages that a real phone, decoding only its own, would not.
 */
const PROBE_SCREENS = 10;
/** Descriptors a process needs besides one per socket: listener, IPC, stdio, node's own. */
const SPARE_FDS = 100;

/** Eight readings per cycle, a relay a second, an alert every five seconds. */
const NOMINAL_CHANGES_PER_SECOND = 8 * READ_HZ + 1 + 0.2;

const P99_TARGET_MS = 100;
const P99_TARGET_CLIENTS = 1000;
const THROUGHPUT_TARGET = 0.5;

/** One child process and the messages it sent, taken in order. */
class Child<Out, In extends { kind: string }> {
  private readonly child: ChildProcess;
  private readonly inbox: In[] = [];
  private wake: (() => void) | null = null;
  private exited = false;
  private readonly exit: Promise<void>;

  constructor(
    private readonly name: string,
    file: string,
  ) {
    this.child = fork(join(__dirname, file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message) => {
      this.inbox.push(message as In);
      this.wake?.();
    });
    this.exit = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.exited = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  send(message: Out): void {
    this.child.send(message as object);
  }

  async next<K extends In['kind']>(kind: K, timeoutMs: number): Promise<Extract<In, { kind: K }>> {
    const deadline = monotonicMs() + timeoutMs;
    for (;;) {
      const message = this.inbox.shift();
      if (message?.kind === kind) return message as Extract<In, { kind: K }>;
      if (message) throw new Error(`${this.name}: ${(message as { message?: string }).message ?? `sent ${message.kind} while ${kind} was expected`}`);
      if (this.exited) throw new Error(`${this.name} exited while ${kind} was expected`);
      const left = deadline - monotonicMs();
      if (left <= 0) throw new Error(`${this.name} sent no ${kind} within ${timeoutMs} ms`);
      await race(new Promise<void>((resolve) => (this.wake = resolve)), left);
      this.wake = null;
    }
  }

  /** Asks it to close; true when it then ended by itself, with no handle left open. */
  async close(message: Out, timeoutMs: number): Promise<boolean> {
    if (this.exited) return true;
    this.send(message);
    const ended = (await race(this.exit.then(() => true), timeoutMs, false)) === true;
    if (!ended) this.child.kill();
    return ended;
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }
}

/** The promise's value, or `fallback` once `ms` have passed; the timer never outlives it. */
function race<T>(promise: Promise<T>, ms: number, fallback?: T): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T | undefined>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface RunResult {
  spec: ServerSpec;
  clients: number;
  probes: number;
  offeredPerSecond: number;
  deliveredPerSecond: number;
  /** As a few otherwise idle screens see it: the server's fan-out without the crowd's decoding. */
  probe: { all: Latencies; telemetry: Latencies; discrete: Latencies };
  /** Over the crowd, whose one process decodes for all of them and adds queueing of its own. */
  crowd: Latencies;
  /** Share of the span in which some task on the machine waited for a CPU, in %. */
  cpuStall: number | null;
  serverCpu: number;
  /** With workers: each worker's CPU and Redis's, % of one core. */
  workersCpu: number[] | null;
  redisCpu: number | null;
  clientCpu: number;
  rssPeakMiB: number;
  rssIdleMiB: number;
  loopDelayP99Ms: number;
  crowdLoopDelayP99Ms: number;
  connectMs: number;
  settleMs: number;
  gaps: number;
  cleanExit: boolean;
}

const clockOffsetMs = Date.now() - monotonicMs();

async function run(spec: ServerSpec, clients: number): Promise<RunResult> {
  const probes = Math.min(PROBE_SCREENS, Math.floor(clients / 2));
  const server = new Child<ToServer, FromServer>('server process', 'fanout-server.ts');
  const crowd = new Child<ToClients, FromClients>('crowd process', 'fanout-client.ts');
  const probe = new Child<ToClients, FromClients>('probe process', 'fanout-client.ts');
  const screens = [crowd, probe];
  try {
    const profileFile = values.profile ? join(resolvePath(values.profile), `${label(spec).replace(/[^\w.]+/g, '-')}-${clients}.cpuprofile`) : null;
    server.send({ kind: 'listen', spec, clockOffsetMs, readHz: READ_HZ, profileFile });
    const { url, token } = await server.next('listening', 30_000);
    const connect = { kind: 'connect', server: spec.kind, url, token, clockOffsetMs } as const;
    crowd.send({ ...connect, clients: clients - probes });
    const crowdConnected = await crowd.next('connected', 400_000);
    // The probes join last, so every broadcast reaches them last: the slow end of the fan-out.
    probe.send({ ...connect, clients: probes });
    const probeConnected = await probe.next('connected', 60_000);
    // Each connection changes the presence every screen is sent; the crowd digests the last ones.
    for (const group of screens) group.send({ kind: 'settle' });
    const settled = await Promise.all(screens.map((group) => group.next('settled', 400_000)));
    server.send({ kind: 'measure', warmupMs: WARMUP_MS, seconds: SECONDS });
    await server.next('measuring', WARMUP_MS + 30_000);
    for (const group of screens) group.send({ kind: 'cpu-start' });
    const stallFrom = cpuStallMicros();
    const measured = await server.next('measured', SECONDS * 1000 + 30_000);
    const stallTo = cpuStallMicros();
    for (const group of screens) group.send({ kind: 'cpu-stop' });
    await sleep(DRAIN_MS);
    for (const group of screens) group.send({ kind: 'report', from: measured.from, to: measured.to });
    const [crowdReport, probeReport] = await Promise.all(screens.map((group) => group.next('report', 60_000)));
    if (!crowdReport || !probeReport) throw new Error('a client process sent no report');
    const screensClosed = await Promise.all(screens.map((group) => group.close({ kind: 'close' }, 15_000)));
    const serverClosed = await server.close({ kind: 'close' }, 15_000);

    const spanS = (measured.to - measured.from) / 1000;
    const offered = measured.offered.telemetry + measured.offered.discrete;
    const delivered = [crowdReport, probeReport].reduce((sum, report) => sum + report.delivered.telemetry + report.delivered.discrete, 0);
    return {
      spec,
      clients,
      probes,
      offeredPerSecond: offered / spanS,
      deliveredPerSecond: delivered / spanS,
      probe: { all: probeReport.all, telemetry: probeReport.telemetry, discrete: probeReport.discrete },
      crowd: crowdReport.all,
      cpuStall: stallFrom === null || stallTo === null ? null : (stallTo - stallFrom) / 1e4 / spanS,
      serverCpu: measured.cpuMicros / 1e4 / spanS,
      workersCpu: measured.workerCpuMicros ? measured.workerCpuMicros.map((micros) => micros / 1e4 / spanS) : null,
      redisCpu: measured.redisCpuMicros === undefined ? null : measured.redisCpuMicros / 1e4 / spanS,
      clientCpu: (crowdReport.cpuMicros + probeReport.cpuMicros) / 1e4 / spanS,
      rssPeakMiB: measured.rssPeakBytes / 2 ** 20,
      rssIdleMiB: measured.rssIdleBytes / 2 ** 20,
      loopDelayP99Ms: measured.loopDelayP99Ms,
      crowdLoopDelayP99Ms: crowdReport.loopDelayP99Ms,
      connectMs: crowdConnected.ms + probeConnected.ms,
      settleMs: Math.max(...settled.map((group) => group.ms)),
      gaps: crowdReport.gaps + probeReport.gaps,
      cleanExit: screensClosed.every(Boolean) && serverClosed,
    };
  } finally {
    for (const group of screens) group.kill();
    server.kill();
  }
}

function label(spec: ServerSpec): string {
  if (spec.kind === 'ws') return 'bare ws';
  return `socket.io window=${spec.windowMs}ms${spec.workers ? ` workers=${spec.workers}` : ''}`;
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 2 : 1);
}

function printRun(result: RunResult): void {
  const offeredMessages = result.offeredPerSecond * result.clients;
  const { probe } = result;
  const indent = ''.padEnd(23);
  console.log(
    `${label(result.spec).padEnd(23)} clients=${result.clients}  delivered=${result.deliveredPerSecond.toFixed(0)} msg/s ` +
      `(offered ${result.offeredPerSecond.toFixed(1)} changes/s x ${result.clients} = ${offeredMessages.toFixed(0)}, ` +
      `${(100 * deliveredShare(result)).toFixed(1)}%)  p50=${ms(probe.all.p50)} ms  p99=${ms(probe.all.p99)} ms  ` +
      `serverCpu=${result.serverCpu.toFixed(1)}%  rss=${result.rssPeakMiB.toFixed(1)} MiB`,
  );
  if (result.workersCpu) {
    console.log(
      `${indent} per process: station ${result.serverCpu.toFixed(1)}%, workers ${result.workersCpu.map((cpu) => `${cpu.toFixed(1)}%`).join(' ')}, ` +
        `redis ${result.redisCpu?.toFixed(1) ?? '-'}%, load generator ${result.clientCpu.toFixed(1)}% (of one core each)`,
    );
  }
  console.log(
    `${indent} probe screens (${result.probes}, joined last): telemetry p50/p99=${ms(probe.telemetry.p50)}/${ms(probe.telemetry.p99)} ms  ` +
      `discrete p50/p99=${ms(probe.discrete.p50)}/${ms(probe.discrete.p99)} ms  max=${ms(probe.all.max)} ms  ` +
      `server loop delay p99=${ms(result.loopDelayP99Ms)} ms  idle rss=${result.rssIdleMiB.toFixed(1)} MiB` +
      (result.cpuStall === null ? '' : `  machine cpu pressure=${result.cpuStall.toFixed(0)}% of the span`),
  );
  console.log(
    `${indent} crowd (${result.clients - result.probes} screens in one process): p50/p99=${ms(result.crowd.p50)}/${ms(result.crowd.p99)} ms  ` +
      `crowd loop delay p99=${ms(result.crowdLoopDelayP99Ms)} ms  clientCpu=${result.clientCpu.toFixed(1)}%  ` +
      `connect=${(result.connectMs / 1000).toFixed(1)} s (+${(result.settleMs / 1000).toFixed(1)} s until quiet)  seq gaps=${result.gaps}` +
      (result.cleanExit ? '' : '  (a process kept a handle open after closing and was killed)'),
  );
  if (Math.abs(result.offeredPerSecond / NOMINAL_CHANGES_PER_SECOND - 1) > 0.02) {
    console.log(
      `${indent} the stream was off its nominal ${NOMINAL_CHANGES_PER_SECOND.toFixed(1)} changes/s (behind, or catching up): ` +
        `its timer shares the server's event loop, which was busy`,
    );
  }
}

function deliveredShare(result: RunResult): number {
  return result.deliveredPerSecond / (result.offeredPerSecond * result.clients);
}

/**
 * Socket.IO's delivered throughput over bare ws's. The stream runs on each server's own event
 * loop, so a busy run is offered fewer changes (or more, catching up): the verdict compares what
 * each delivered of what it was offered, which equals the plain ratio when both were offered
 * the same.
 */
function throughputRatio(socketIo: RunResult, bare: RunResult): { plain: number; fair: number } {
  return { plain: socketIo.deliveredPerSecond / bare.deliveredPerSecond, fair: deliveredShare(socketIo) / deliveredShare(bare) };
}

function printRatio(socketIo: RunResult, bare: RunResult): void {
  const ratio = throughputRatio(socketIo, bare);
  console.log(
    `ratio ${label(socketIo.spec)} / bare ws  clients=${socketIo.clients}  throughput=${ratio.plain.toFixed(3)} ` +
      `(per change offered ${ratio.fair.toFixed(3)}; target >= ${THROUGHPUT_TARGET.toFixed(2)}: ${ratio.fair >= THROUGHPUT_TARGET ? 'PASS' : 'MISS'})  ` +
      `p50 ${ms(socketIo.probe.all.p50)} vs ${ms(bare.probe.all.p50)} ms  p99 ${ms(socketIo.probe.all.p99)} vs ${ms(bare.probe.all.p99)} ms  ` +
      `discrete p99 ${ms(socketIo.probe.discrete.p99)} vs ${ms(bare.probe.discrete.p99)} ms  ` +
      `crowd p99 ${ms(socketIo.crowd.p99)} vs ${ms(bare.crowd.p99)} ms  serverCpu ${socketIo.serverCpu.toFixed(1)}% vs ${bare.serverCpu.toFixed(1)}%  ` +
      `rss ${socketIo.rssPeakMiB.toFixed(0)} vs ${bare.rssPeakMiB.toFixed(0)} MiB`,
  );
}

/**
 * Microseconds that some runnable task waited for a CPU (Linux pressure stall information), or
 * null where the kernel does not say. Other work on the machine shows up here, and as latency.
 */
function cpuStallMicros(): number | null {
  try {
    const total = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1];
    return total === undefined ? null : Number(total);
  } catch {
    return null;
  }
}

/** The soft and hard limits on open files, from the kernel's view of this process. */
function openFileLimit(): { soft: number; hard: number } | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((value) => (value === 'unlimited' ? Infinity : Number(value)));
    return soft !== undefined && hard !== undefined ? { soft, hard } : null;
  } catch {
    return null;
  }
}

/** The client counts this machine can open, with a clear word about those it cannot. */
function feasibleCounts(): number[] {
  const limit = openFileLimit();
  if (!limit) {
    console.log('open files: the limit could not be read (no /proc); if connections fail with EMFILE, raise it with `ulimit -n`');
    return CLIENT_COUNTS;
  }
  const largest = Math.max(...CLIENT_COUNTS);
  console.log(
    `open files: limit ${limit.soft} (hard ${limit.hard}); ${largest} clients need about ${largest + SPARE_FDS} in the server process ` +
      `and as many in the client process (each inherits this limit)`,
  );
  return CLIENT_COUNTS.filter((clients) => {
    if (clients + SPARE_FDS <= limit.soft) return true;
    console.log(
      `open files: SKIPPING clients=${clients}: the limit of ${limit.soft} is too low. Raise it in this shell with ` +
        `\`ulimit -n ${Math.min(limit.hard, Math.max(4096, 2 * (clients + SPARE_FDS)))}\` and run again.`,
    );
    return false;
  });
}

async function main(): Promise<void> {
  console.log(
    `fan-out: 8 sensors at ${READ_HZ} Hz (one burst per cycle) + 1 relay_update/s + 1 alert/5 s = ${NOMINAL_CHANGES_PER_SECOND.toFixed(1)} changes/s; ` +
      `${SECONDS} s measured per run after ${WARMUP_MS / 1000} s warm-up; loopback; ` +
      `server, crowd and ${PROBE_SCREENS} probe screens in separate processes (latency is the probes'); ` +
      `late messages count for ${DRAIN_MS} ms after the span`,
  );
  console.log(
    `socket.io: the LAN server as shipped (LiveFeed coalesces telemetry within its window, so it may deliver fewer messages ` +
      `than offered); bare ws: every change JSON-encoded once and sent to every client`,
  );
  // Other work on a two-core machine shows up as latency here; say how busy it was.
  console.log(`load average before the runs: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const counts = feasibleCounts();
  if (values.profile) mkdirSync(values.profile, { recursive: true });
  const specs: ServerSpec[] = [
    { kind: 'ws', windowMs: 0 },
    ...WORKER_COUNTS.flatMap((workers) => WINDOWS.map((windowMs): ServerSpec => ({ kind: 'socket.io', windowMs, ...(workers > 0 ? { workers } : {}) }))),
  ];
  const results: RunResult[] = [];
  for (const clients of counts) {
    console.log('');
    console.log(`clients=${clients}  (load average ${loadavg()[0]?.toFixed(2)})`);
    let bare: RunResult | null = null;
    for (const spec of specs) {
      try {
        const result = await run(spec, clients);
        results.push(result);
        printRun(result);
        if (spec.kind === 'ws') bare = result;
        else if (bare) printRatio(result, bare);
      } catch (err) {
        console.log(`${label(spec).padEnd(23)} clients=${clients}  FAILED: ${(err as Error).message}`);
      }
    }
  }

  console.log('');
  console.log('targets (reported, not asserted):');
  if (!results.some((result) => result.spec.kind === 'socket.io' && result.clients === P99_TARGET_CLIENTS)) {
    console.log(`  none measured: the targets are for ${P99_TARGET_CLIENTS} clients`);
  }
  for (const result of results) {
    if (result.spec.kind !== 'socket.io' || result.clients !== P99_TARGET_CLIENTS) continue;
    const verdict = result.probe.all.p99 <= P99_TARGET_MS ? 'PASS' : 'MISS';
    const why =
      result.spec.windowMs > 0 ? `; telemetry may wait up to the ${result.spec.windowMs} ms window by design, discrete p99=${ms(result.probe.discrete.p99)} ms` : '';
    console.log(`  p99 <= ${P99_TARGET_MS} ms at ${P99_TARGET_CLIENTS} clients, ${label(result.spec)}: ${verdict} (probe p99=${ms(result.probe.all.p99)} ms, crowd p99=${ms(result.crowd.p99)} ms${why})`);
    const bare = results.find((other) => other.spec.kind === 'ws' && other.clients === result.clients);
    if (bare) {
      const ratio = throughputRatio(result, bare);
      console.log(
        `  throughput >= ${THROUGHPUT_TARGET * 100}% of bare ws at ${result.clients} clients, ${label(result.spec)}: ` +
          `${ratio.fair >= THROUGHPUT_TARGET ? 'PASS' : 'MISS'} (${(ratio.fair * 100).toFixed(1)}% per change offered, ${(ratio.plain * 100).toFixed(1)}% plain)`,
      );
    }
  }
}

void main();
