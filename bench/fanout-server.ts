/**
 * The server side of the fan-out benchmark, in a process of its own so that its CPU time and
 * memory are the server's alone: either the LAN server (LiveFeed and Socket.IO, as the product
 * runs them) or a bare `ws` broadcast, fed by the same station stream from a timer.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { createStationControl } from '../src/main/control';
import type { JobControl } from '../src/main/jobs';
import cluster from 'node:cluster';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLanServer } from '../src/main/lan';
import { connectRedis, createWorkerLanServer, runScreenWorker, startPrivateRedis, workerConfigFromEnv } from '../src/main/lan/workers';
import { TokenStore } from '../src/main/lan/access';
import type { StationCore } from '../src/main/station';
import { StationStore } from '../src/main/store';
import { memoryAlarmKeeper, ReadingAlarmDesk } from '../src/main/alarms';
import { Refusal } from '../src/shared/refusal';
import { StationHistory } from '../src/main/history';
import { standInConnection, standInSetup } from '../src/test-support/main/stand-in-core';
import type { StationChange } from '../src/shared/events';
import { initialStationState } from '../src/shared/station';
import { makeClock, monotonicMs, RELAY_STAMP, type FromServer, type ServerSpec, type ToServer } from './fanout-shared';

const TOKEN = 'fanout-viewer-token-0001';
const SENSORS = ['ph_a', 'ec_a', 'temp_a', 'level_a', 'ph_b', 'ec_b', 'temp_b', 'level_b'];
const BASE: Record<string, number> = { ph: 5.9, ec: 1.6, temp: 21.5, level: 72 };

interface Target {
  apply(change: StationChange): void;
  close(): Promise<void>;
}

/**
 * What a controller with eight sensors sends: every sensor in one burst per read cycle, as the
 * device does, a relay switching once a second and an alert every five seconds.
 */
class StationStream {
  offered = { telemetry: 0, discrete: 0 };
  counting = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cycle = 0;
  private startedAt = 0;
  private alertId = 0;
  private readonly periodMs: number;

  constructor(
    private readonly target: Target,
    private readonly now: () => number,
    readHz: number,
  ) {
    this.periodMs = 1000 / readHz;
  }

  get cyclesPerSecond(): number {
    return Math.max(1, Math.round(1000 / this.periodMs));
  }

  start(): void {
    this.startedAt = monotonicMs();
    this.schedule('readings');
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Timers are aimed at the ideal instants, so a late one does not slow the stream down. Discrete
   * changes come three quarters into the cycle, between bursts. Where they fall matters to the
   * feed: one inside a telemetry window sends it early, and one shortly before a burst counts as
   * a send, so the burst waits out the rest of that window.
   */
  private schedule(step: 'readings' | 'discrete'): void {
    const due = this.startedAt + this.cycle * this.periodMs + (step === 'readings' ? 0 : this.periodMs * 0.75);
    this.timer = setTimeout(
      () => {
        if (step === 'readings') {
          this.readings();
          this.schedule('discrete');
        } else {
          this.discrete();
          this.cycle++;
          this.schedule('readings');
        }
      },
      Math.max(0, due - monotonicMs()),
    );
  }

  /**
   * Every change of one burst carries the burst's time. A server that sends each change before
   * the next is applied would otherwise stamp the later ones after their wait behind the earlier.
   */
  private readings(): void {
    const at = this.now();
    for (const [index, sensorId] of SENSORS.entries()) {
      const base = BASE[sensorId.split('_')[0] ?? ''] ?? 1;
      const value = Math.round(base * (1 + 0.01 * Math.sin(this.cycle / 7 + index)) * 1000) / 1000;
      this.offer('telemetry', { type: 'ecph_reading', sensorId, value, at });
    }
  }

  private discrete(): void {
    const at = this.now();
    const perSecond = this.cyclesPerSecond;
    if (this.cycle % perSecond === 0) {
      const on = (this.cycle / perSecond) % 2 === 0;
      this.offer('discrete', { type: 'relay_update', relayId: 'mixer', on, why: `schedule${RELAY_STAMP}${at}` });
    }
    if (this.cycle % (5 * perSecond) === Math.floor(perSecond / 2)) {
      this.offer('discrete', {
        type: 'alert',
        alert: { id: ++this.alertId, level: 'warning', code: 'EC_DRIFT', message: 'tank A EC is drifting above its target band', at, source: 'host' },
      });
    }
  }

  private offer(kind: 'telemetry' | 'discrete', change: StationChange): void {
    this.target.apply(change);
    if (this.counting) this.offered[kind]++;
  }
}

/** The real store and LAN server, with no link behind them: the stream is the only source. */
async function lanTarget(windowMs: number, workers: number): Promise<Target & { url: string }> {
  const store = new StationStore(initialStationState(true, 'simulated'));
  const jobs: JobControl = {
    start: () => ({ ok: false, error: { code: 'REFUSED', message: 'the fan-out benchmark runs no jobs' } }),
    cancel: () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no jobs here' } }),
    pause: () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no jobs here' } }),
    resume: () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no jobs here' } }),
    holding: () => undefined,
  };
  const setup = standInSetup(store, jobs);
  // One record of readings, as the real core keeps and hands to its LAN server.
  const history = new StationHistory({ changes: (listener) => store.subscribe(listener) });
  history.start();
  const core: StationCore = {
    state: () => store.state,
    subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    start: async () => {},
    shutdown: async () => {},
    connection: standInConnection(),
    setRelay: async () => {},
    dose: async () => {
      throw new Error('the fan-out benchmark does not dose');
    },
    jobs,
    recipes: setup.recipes,
    schedules: setup.schedules,
    calibration: setup.calibration,
    history,
    // As the real core does: who is watching is itself a change every screen receives.
    setPresence: (presence) => void store.apply({ type: 'presence', ...presence }),
    setBrokerLink: (broker) => void store.apply({ type: 'broker_update', broker }),
    setFleet: (fleet) => void store.apply({ type: 'fleet_update', fleet }),
    alarms: new ReadingAlarmDesk({ keeper: memoryAlarmKeeper(), state: () => store.state, apply: (change) => void store.apply(change), alert: () => {} }),
    caps: {
      configure: () => {
        throw new Refusal('NOT_READY', 'this stand-in station keeps its caps');
      },
    },
    tankSettings: {
      configure: () => {
        throw new Refusal('NOT_READY', 'this stand-in station keeps its tanks');
      },
    },
    emergencyStop: () => {},
    resetEmergencyStop: async () => {},
    alerts: { acknowledge: () => [], raise: () => {} },
  };
  const tokens = await TokenStore.open(null);
  tokens.preset('viewer', TOKEN, 'fan-out benchmark');
  // Every benchmark client shares one token and one address: lift the caps meant for a grow room.
  const lan = { core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null, windowMs, history, maxScreensPerToken: 100_000, maxScreensPerAddress: 100_000 };
  if (workers > 0) {
    // As headless --workers runs it: a private redis-server, the station here, the screens on workers.
    const redis = await startPrivateRedis(mkdtempSync(join(tmpdir(), 'tendril-fanout-redis-')), () => {});
    redisPid = redis.pid;
    const client = await connectRedis(redis.address, () => {});
    const server = createWorkerLanServer({ ...lan, workers, redis: client, redisAddress: redis.address });
    const url = await server.listen();
    return {
      url,
      apply: (change) => void store.apply(change),
      close: async () => {
        await server.close();
        client.destroy();
        await redis.stop();
      },
    };
  }
  const server = createLanServer(lan);
  const url = await server.listen();
  return { url, apply: (change) => void store.apply(change), close: () => server.close() };
}

/**
 * The baseline: the same store and changes, each encoded once as JSON and written to every
 * client at once. No tokens, no rooms, no numbering per audience, no coalescing.
 */
async function bareTarget(): Promise<Target & { url: string }> {
  const store = new StationStore(initialStationState(true, 'simulated'));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => socket.send(JSON.stringify({ type: 'initial_state', ...store.snapshot() })));
  store.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    apply: (change) => void store.apply(change),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function send(message: FromServer): void {
  process.send?.(message);
}

let target: (Target & { url: string }) | null = null;
let stream: StationStream | null = null;
let now: () => number = () => 0;
let rssIdle = 0;
let profileFile: string | null = null;
let redisPid: number | null = null;

/** The screens' workers this process started (cluster), in a fixed order. */
function workerPids(): number[] {
  return Object.values(cluster.workers ?? {})
    .map((worker) => worker?.process.pid)
    .filter((pid): pid is number => pid !== undefined)
    .sort((a, b) => a - b);
}

/** A process's user + system CPU so far, from /proc (Linux), in microseconds. */
function cpuMicrosOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

/** Profiles only the measured span: connecting a crowd would otherwise dominate the profile. */
async function startProfile(): Promise<(() => Promise<void>) | null> {
  const file = profileFile;
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function listen(spec: ServerSpec, clockOffsetMs: number, readHz: number): Promise<void> {
  now = makeClock(clockOffsetMs);
  target = spec.kind === 'socket.io' ? await lanTarget(spec.windowMs, spec.workers ?? 0) : await bareTarget();
  stream = new StationStream(target, now, readHz);
  rssIdle = process.memoryUsage().rss;
  send({ kind: 'listening', url: target.url, token: TOKEN });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function measure(warmupMs: number, seconds: number): Promise<void> {
  if (!stream) throw new Error('measure before listen');
  const running = stream;
  running.start();
  await sleep(warmupMs);

  const stopProfile = await startProfile();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
  const cpu = process.cpuUsage();
  const workersFrom = workerPids().map(cpuMicrosOf);
  const redisFrom = redisPid === null ? 0 : cpuMicrosOf(redisPid);
  const from = now();
  running.counting = true;
  send({ kind: 'measuring' });
  await sleep(seconds * 1000);

  const to = now();
  // No change after the span: the clients' late messages are all from within it.
  running.stop();
  running.counting = false;
  const used = process.cpuUsage(cpu);
  const workerCpu = workerPids().map((pid, i) => cpuMicrosOf(pid) - (workersFrom[i] ?? 0));
  const redisCpu = redisPid === null ? 0 : cpuMicrosOf(redisPid) - redisFrom;
  clearInterval(sampler);
  loop.disable();
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  await stopProfile?.();
  send({
    kind: 'measured',
    from,
    to,
    offered: running.offered,
    cpuMicros: used.user + used.system,
    ...(redisPid === null ? {} : { workerCpuMicros: workerCpu, redisCpuMicros: redisCpu }),
    rssIdleBytes: rssIdle,
    rssPeakBytes: rssPeak,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
  });
}

// A screens' worker of a --workers run: this file again, started by cluster.
const workerConfig = workerConfigFromEnv();
if (workerConfig) void runScreenWorker(workerConfig, (line) => process.stderr.write(`${line}\n`));
else process.on('message', (raw) => {
  const message = raw as ToServer;
  switch (message.kind) {
    case 'listen':
      profileFile = message.profileFile;
      void listen(message.spec, message.clockOffsetMs, message.readHz);
      return;
    case 'measure':
      void measure(message.warmupMs, message.seconds);
      return;
    case 'close':
      stream?.stop();
      // Nothing is forced: a handle left open keeps this process alive, and the orchestrator says so.
      void (target?.close() ?? Promise.resolve()).then(() => process.disconnect());
      return;
  }
});
