/**
 * bench:mqtt: what publishing to a broker costs a station, and how late a change reaches a
 * subscriber.
 *
 * Three stations, each headless Tendril in its own process on a controller of its own (the
 * station simulator on a real pty, in a bench process that stamps every line just before it
 * writes it, as bench:latency's controller does). Each controller has seven probes (a second EC,
 * pH and temperature probe beside the usual four) read five times a second, and a relay
 * switched by its own button every second. A Mosquitto of the bench's own runs on a loopback
 * port; one MQTT client subscribes to every station's readings and relays.
 *
 * The same stations run twice on the same controllers: first without MQTT, then publishing to
 * the broker. Each station process's CPU (user + system, from /proc) over the span and its RSS
 * at the end, with and without, give what MQTT adds; the span with MQTT also gives the messages
 * published per second and the time from the controller's write to the subscriber's receipt.
 * Each channel's readings go out at most once a window (100 ms): a read that follows another of
 * its channel within the window (the bench's reads and the simulator's own once-a-second read
 * fall close together now and then) waits for the window's end by design, and is counted apart.
 *
 *   npm run bench:mqtt [-- --seconds 20]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { MQTT_WINDOW_MS } from '../src/main/mqtt/publisher';
import { startBroker, type Broker } from '../src/main/mqtt/test-support/mosquitto';
import { startHeadless, stopHeadless, type HeadlessProcess } from '../src/test-support/main/headless-process';
import { Child, linkReady } from './bench-child';
import { spread, spreadText, type FromController, type ToController } from './latency-shared';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });
const SECONDS = Number(values.seconds);
const STATIONS = 3;
const READ_HZ = 5;
const RELAY = 'lights';
const SWITCH_EVERY_MS = 1_000;
/** Until the stations' first rounds of reads and the subscriber's retained messages are past. */
const WARM_UP_MS = 3_000;
/** Changes written in the last moments of the span still get this long to arrive. */
const LATE_MS = 1_000;
const VIEWER = 'bench-mqtt-viewer-0123456789abcdef';
const OPERATOR = 'bench-mqtt-operator-0123456789abcdef';
const USER = { name: 'tendril', password: 'bench-mqtt-password' };
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A write, and whether it came within a window of the last of its channel (so it is paced). */
type Wrote = Extract<FromController, { kind: 'wrote' }> & { paced: boolean };

interface Usage {
  /** CPU seconds (user + system) used so far. */
  cpu: number;
  rssMiB: number;
}

function usageOf(pid: number): Usage {
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { cpu: ticks / TICKS_PER_SECOND, rssMiB: rssKiB / 1024 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Station {
  id: string;
  controller: Child<FromController>;
  serialPath: string;
}

interface RunResult {
  /** CPU per station process over the span, as a share of one core. */
  cpuShare: number[];
  rssMiB: number[];
}

/** Starts the three stations, lets them settle, and measures them over the span. */
async function run(stations: Station[], broker: Broker | null, during: (spanMs: number) => Promise<void>): Promise<RunResult> {
  const dirs: string[] = [];
  const started: HeadlessProcess[] = [];
  try {
    for (const station of stations) {
      const dataDir = mkdtempSync(join(tmpdir(), `tendril-bench-mqtt-${station.id}-`));
      dirs.push(dataDir);
      const url = broker ? `mqtt://${USER.name}:${USER.password}@127.0.0.1:${broker.port}` : null;
      if (url) writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ mqtt: { url, stationId: station.id } }));
      const headless = await startHeadless({ dataDir, serialPath: station.serialPath, port: '0', viewerToken: VIEWER, operatorToken: OPERATOR });
      started.push(headless);
      await linkReady(headless.url, VIEWER);
    }
    await sleep(WARM_UP_MS);
    const before = started.map((headless) => usageOf(headless.process.pid!));
    const span = Date.now();
    await during(SECONDS * 1000);
    const spanMs = Date.now() - span;
    const after = started.map((headless) => usageOf(headless.process.pid!));
    return { cpuShare: after.map((usage, i) => (usage.cpu - before[i]!.cpu) / (spanMs / 1000)), rssMiB: after.map((usage) => usage.rssMiB) };
  } finally {
    for (const headless of started) await stopHeadless(headless.process);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Switches every station's relay by its button, once a second, for the span. */
async function switching(stations: Station[], spanMs: number): Promise<void> {
  let on = true;
  const end = Date.now() + spanMs;
  while (Date.now() < end) {
    for (const station of stations) station.controller.send({ kind: 'relay', ch: RELAY, on } satisfies ToController);
    on = !on;
    await sleep(Math.min(SWITCH_EVERY_MS, Math.max(0, end - Date.now())));
  }
  for (const station of stations) station.controller.send({ kind: 'relay', ch: RELAY, on: false } satisfies ToController);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

async function main(): Promise<void> {
  console.log(
    `mqtt: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}; ${STATIONS} stations, 7 probes each read ${READ_HZ} times a second` +
      ` and a relay switched every ${SWITCH_EVERY_MS} ms; ${SECONDS} s measured per run`,
  );
  const broker = await startBroker([{ name: USER.name, password: USER.password, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] }]);
  const stations: Station[] = [];
  try {
    for (let i = 1; i <= STATIONS; i++) {
      const controller = new Child<FromController>('latency-controller.ts', ['--more-sensors', '--read-hz', String(READ_HZ)]);
      const ready = await controller.next((m): m is Extract<FromController, { kind: 'ready' }> => m.kind === 'ready');
      stations.push({ id: `bench-${i}`, controller, serialPath: ready.serialPath });
    }

    const without = await run(stations, null, (spanMs) => switching(stations, spanMs));

    // What the controllers wrote while measured, and what the subscriber received.
    const wrote = new Map<string, Wrote[]>();
    const lastWrite = new Map<string, number>();
    let measuring = false;
    const offs = stations.map((station) =>
      station.controller.on((message) => {
        if (!measuring || message.kind !== 'wrote') return;
        const key = `${station.id}/${message.ch}`;
        const list = wrote.get(key) ?? [];
        const last = lastWrite.get(key);
        lastWrite.set(key, message.at);
        list.push({ ...message, paced: last !== undefined && message.at - last < MQTT_WINDOW_MS });
        wrote.set(key, list);
      }),
    );
    const readings: number[] = [];
    const pacedReadings: number[] = [];
    const relays: number[] = [];
    let received = 0;
    const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { username: USER.name, password: USER.password, reconnectPeriod: 0 });
    subscriber.on('message', (topic, payload) => {
      const at = Date.now();
      if (!measuring) return;
      const [, station, kind, ch] = topic.split('/');
      if (!station || !ch || (kind !== 'readings' && kind !== 'relays')) return;
      received++;
      const body = JSON.parse(payload.toString()) as { value?: number; on?: boolean };
      // The latest write this message can stand for: coalescing keeps the newest of a window.
      const candidates = wrote.get(`${station}/${ch}`) ?? [];
      for (let i = candidates.length - 1; i >= 0; i--) {
        const write = candidates[i]!;
        const same = write.what === 'read' ? write.value === body.value : write.on === body.on;
        if (!same) continue;
        (write.what === 'relay' ? relays : write.paced ? pacedReadings : readings).push(at - write.at);
        candidates.splice(0, i + 1);
        break;
      }
    });
    await subscriber.subscribeAsync(['tendril/+/readings/+', 'tendril/+/relays/+'], { qos: 0 });

    let measuredMs = 0;
    const withMqtt = await run(stations, broker, async (spanMs) => {
      measuring = true;
      const start = Date.now();
      await switching(stations, spanMs);
      measuredMs = Date.now() - start;
      await sleep(LATE_MS);
      measuring = false;
    });
    for (const off of offs) off();
    await subscriber.endAsync();

    console.log(`published and received: ${(received / (measuredMs / 1000)).toFixed(0)} messages/s (readings and relays of ${STATIONS} stations)`);
    console.log(`  readings (controller write → subscriber):  ${spreadText(spread(readings))}`);
    console.log(`  readings within ${MQTT_WINDOW_MS} ms of the last of their channel, paced by design:  ${spreadText(spread(pacedReadings))}`);
    console.log(`  relays   (controller write → subscriber):  ${spreadText(spread(relays))}`);
    const cpuAdded = mean(withMqtt.cpuShare) - mean(without.cpuShare);
    const rssAdded = mean(withMqtt.rssMiB) - mean(without.rssMiB);
    console.log(
      `station process, mean of ${STATIONS}: CPU ${(mean(without.cpuShare) * 100).toFixed(1)}% of a core without MQTT, ${(mean(withMqtt.cpuShare) * 100).toFixed(1)}% with` +
        ` (MQTT adds ${(cpuAdded * 100).toFixed(1)} points); RSS ${mean(without.rssMiB).toFixed(1)} MiB without, ${mean(withMqtt.rssMiB).toFixed(1)} MiB with (adds ${rssAdded.toFixed(1)} MiB)`,
    );
    const p99 = spread([...readings, ...relays]).p99;
    console.log('targets (reported, not asserted):');
    console.log(`  p99 <= 50 ms on loopback: ${p99 <= 50 ? 'PASS' : 'MISS'} (${p99.toFixed(1)} ms over relays and the readings that were not paced)`);
    console.log(`  MQTT under 5% CPU: ${cpuAdded < 0.05 ? 'PASS' : 'MISS'} (${(cpuAdded * 100).toFixed(1)} points of a core per station)`);
    console.log(`load average after the runs: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  } finally {
    for (const station of stations) await station.controller.stop({ kind: 'stop' } satisfies ToController);
    await broker.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:mqtt: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
