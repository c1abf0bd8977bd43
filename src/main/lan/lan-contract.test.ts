/**
 * The LAN API's contract, kept by a client written from docs/lan-api.md alone: the algorithm of
 * 5.4 and a reducer with one case per row of its table, not the station's own reducer. Over a
 * real Socket.IO connection to the real LAN server it follows 1,000 and more events (recipes,
 * schedules, more than 50 finished jobs, more than 100 alerts, every event type there is) and
 * its copy hashes to the station's at every `state_hash` on the way and at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { STATION_EVENT_TYPES, type StationChange } from '../../shared/events';
import { stateHash } from '../../shared/state-hash';
import type { Alert, Calibration, Channel, Job, JobState, ScheduleStatus } from '../../shared/station';
import type { Recipe } from '../../shared/jobs';
import { DEFAULT_LIMITS } from '../../shared/limits';
import { createStationControl } from '../control';
import { standInCore, type StandInCore } from '../../test-support/main/stand-in-core';
import { waitFor } from '../../test-support/main/sim-process';
import { TokenStore } from './access';
import { createLanServer, type LanServer } from './http-server';

const lanApi = readFileSync(join(__dirname, '../../../docs/lan-api.md'), 'utf8');
const VIEWER = 'viewer-token-for-contract-01';

/** The event names of 5.4's reducer table, in its order. */
function reducerRows(): string[] {
  const table = /The reducer, by event type:\n\n\| event \| change to the state \|\n\| --- \| --- \|\n((?:\|.*\n)+)/.exec(lanApi)?.[1] ?? '';
  return [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]!);
}

// The client works on plain JSON, as a client in any language would.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];
const waits = (alert: Json) => alert.level !== 'info' && !alert.ack;

/** One case per row of the table in 5.4, worded as the row is. */
function reduce(state: Json, e: Json): Json {
  const s = { ...state };
  switch (e.type) {
    case 'link_update':
      s.link = e.link;
      break;
    case 'link_stats':
      s.stats = e.stats;
      break;
    case 'device_update':
      for (const key of ['device', 'channels', 'relays', 'pumps', 'flows', 'readings']) s[key] = e[key];
      s.estop = { latched: e.estop, source: e.estop ? state.estop.source : null };
      s.alarm = e.alarm ? { code: e.alarm, message: 'the controller reports alarm ' + e.alarm, at: e.at } : null;
      break;
    case 'relay_update':
      s.relays = { ...state.relays, [e.relayId]: { on: e.on, why: e.why } };
      break;
    case 'pump_progress':
      s.pumps = { ...state.pumps, [e.pumpId]: { running: !e.done, ml: e.ml, target: e.targetMl } };
      break;
    case 'fill_progress':
      break;
    case 'flow_update':
      s.flows = { ...state.flows, [e.meterId]: { pulses: e.pulses, rate: e.rate } };
      break;
    case 'ecph_reading':
      s.readings = { ...state.readings, [e.sensorId]: 'raw' in e ? { value: e.value, at: e.at, raw: e.raw } : { value: e.value, at: e.at } };
      break;
    case 'estop_update':
      s.estop = { latched: e.latched, source: e.latched ? e.source : null };
      break;
    case 'alert': {
      const alerts: Json[] = state.alerts.filter((alert: Json) => alert.id !== e.alert.id);
      alerts.push(e.alert);
      while (alerts.length > 100) {
        const oldest = alerts.findIndex((alert) => alert !== e.alert && !waits(alert));
        if (oldest < 0) break;
        alerts.splice(oldest, 1);
      }
      s.alerts = alerts.slice(-100);
      if (e.alert.source === 'controller') s.alarm = { code: e.alert.code, message: e.alert.message, at: e.alert.lastAt ?? e.alert.at };
      break;
    }
    case 'alerts_ack':
      s.alerts = state.alerts.map((alert: Json) => (e.ids.includes(alert.id) && !alert.ack ? { ...alert, ack: { by: e.by, at: e.at } } : alert));
      break;
    case 'tanks_update':
      s.tanks = e.tanks;
      break;
    case 'job_update': {
      const jobs: Json[] = state.jobs.filter((job: Json) => job.id !== e.job.id);
      jobs.push(e.job);
      while (jobs.filter((job) => FINISHED.includes(job.state)).length > 50) jobs.splice(jobs.findIndex((job) => FINISHED.includes(job.state)), 1);
      s.jobs = jobs;
      break;
    }
    case 'presence':
      s.screens = e.screens;
      break;
    case 'recipes_update':
      s.recipes = e.recipes;
      break;
    case 'schedules_update':
      s.schedules = e.schedules;
      break;
    case 'calibration_update':
      s.calibration = e.calibration;
      break;
    case 'limits_update':
      s.limits = e.limits;
      break;
    case 'reading_band':
      s.readingBands = { ...state.readingBands, [e.sensorId]: e.band };
      break;
    case 'reading_alarms_update':
      s.readingAlarms = e.settings;
      break;
    case 'sensor_health':
      s.sensorHealth = { ...state.sensorHealth, [e.sensorId]: e.health };
      break;
    case 'broker_update':
      s.broker = e.broker;
      break;
    case 'fleet_update':
      s.fleet = e.fleet;
      break;
    default:
      throw new Error(`the table in 5.4 has no row for ${String(e.type)}`);
  }
  return s;
}

/** 5.4's client algorithm, and 5.7's check. */
class DocClient {
  readonly socket: Socket;
  epoch: string | null = null;
  seq = 0;
  state: Json | null = null;
  waiting = true;
  events = 0;
  checks = 0;
  mismatches = 0;
  resyncs = 0;
  readonly seen = new Set<string>();

  constructor(url: string, names: string[]) {
    this.socket = io(url, { auth: { token: VIEWER, name: 'contract' }, transports: ['websocket'], forceNew: true, reconnection: false });
    const snapshot = (snap: Json) => {
      this.epoch = snap.epoch;
      this.seq = snap.seq;
      this.state = snap.state;
      this.waiting = false;
      this.check(snap.stateHash);
    };
    this.socket.on('initial_state', snapshot);
    this.socket.on('status_update', snapshot);
    this.socket.on('state_hash', (note: Json) => {
      if (!this.waiting && note.epoch === this.epoch && note.seq === this.seq) this.check(note.stateHash);
    });
    for (const name of names) this.socket.on(name, (e: Json) => this.event(e));
  }

  private event(e: Json): void {
    if (this.waiting || this.state === null) return;
    if (e.epoch !== this.epoch || e.seq > this.seq + 1) return this.resync();
    if (e.seq <= this.seq) return;
    this.state = reduce(this.state, e);
    this.seq = e.seq;
    this.events++;
    this.seen.add(e.type);
  }

  private check(expected: string): void {
    this.checks++;
    if (stateHash(this.state) !== expected) {
      this.mismatches++;
      this.resync();
    }
  }

  private resync(): void {
    this.waiting = true;
    this.resyncs++;
    this.socket.emit('resync');
  }
}

const relays: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve', maxMs: 900000 },
  { id: 'air', kind: 'relay', name: 'Air pump' },
  { id: 'lights', kind: 'relay', name: 'Lights' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250 },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
  { id: 'ec1', kind: 'ec', name: 'EC', unit: 'mS/cm' },
  { id: 'ph1', kind: 'ph', name: 'pH', unit: 'pH' },
];

function job(id: number, state: JobState, at: number): Job {
  const finished = FINISHED.includes(state);
  return {
    id,
    kind: 'mix',
    spec: { kind: 'mix', relayId: 'air', seconds: 30 },
    state,
    tankId: id % 3 === 0 ? null : 'veg',
    progress: finished ? 1 : state === 'running' ? 0.25 : 0,
    etaMs: finished ? null : 30_000,
    detail: `${state}: run air for 30 s`,
    requestedBy: id % 2 === 0 ? 'Pixel 7' : 'schedule Nightly',
    createdAt: at,
    startedAt: state === 'queued' ? null : at + 1,
    endedAt: finished ? at + 2 : null,
  };
}

function recipe(n: number): Recipe {
  return { id: `recipe-${n}`, name: `Recipe ${n}`, steps: [{ kind: 'wait', seconds: n + 1 }, { kind: 'notify', message: `step ${n} — ½ dose` }] } as Recipe;
}

function schedule(n: number, at: number): ScheduleStatus {
  return {
    schedule: {
      id: `schedule-${n}`,
      name: `Schedule ${n}`,
      enabled: n % 2 === 0,
      timezone: 'Europe/Berlin',
      trigger: { kind: 'cron', expression: `${n % 60} 2 * * *`, action: { kind: 'recipe', recipeId: `recipe-${n}` } },
      missedRun: { policy: 'skip' },
    },
    lastRunAt: n % 3 === 0 ? null : at,
    nextRunAt: n % 2 === 0 ? at + 86_400_000 : null,
  } as ScheduleStatus;
}

/** A long, busy life of a station: every event type, in the order a station could send them. */
function* stationLife(): Generator<StationChange> {
  const t0 = 1795313812457;
  yield { type: 'tanks_update', tanks: [{ id: 'veg', name: 'Veg', capacityL: 100, channelIds: ['fill', 'air', 'nut_a', 'flow1', 'ec1', 'ph1'] }] };
  const handshake = (at: number, estop: boolean, alarm: string | null): StationChange => ({
    type: 'device_update',
    device: { device: 'tendril-sim', firmware: '0.3.1', protocol: '1.0', serial: 'SIM-0001', window: 1, watchdogMs: 3000 },
    channels: relays,
    relays: { fill: { on: false, why: 'state' }, air: { on: false, why: 'state' }, lights: { on: false, why: 'state' } },
    pumps: { nut_a: { running: false, ml: 0, target: 0 } },
    flows: { flow1: { pulses: 0, rate: 0 } },
    readings: { ec1: { value: 1.2, at }, ph1: { value: 6.01, at } },
    estop,
    alarm,
    at,
  });
  yield handshake(t0, false, null);
  // One job stays queued throughout: however many finish, it is never dropped.
  yield { type: 'job_update', job: job(1, 'queued', t0) };
  const recipes: Recipe[] = [];
  const schedules: ScheduleStatus[] = [];
  let alertId = 0;
  for (let round = 0; round < 170; round++) {
    const at = t0 + round * 1000;
    const id = round + 2;
    yield { type: 'job_update', job: job(id, 'queued', at) };
    yield { type: 'job_update', job: job(id, 'running', at) };
    yield { type: 'relay_update', relayId: 'air', on: true, why: 'cmd' };
    yield { type: 'job_update', job: job(id, FINISHED[round % 4] as JobState, at) };
    yield { type: 'relay_update', relayId: 'air', on: false, why: round % 2 ? 'stop' : 'cmd' };
    yield { type: 'ecph_reading', sensorId: 'ec1', value: 1.2 + (round % 17) / 100, at };
    // A calibrated probe's reading carries what the controller sent beside it.
    if (round % 5 === 2) yield { type: 'ecph_reading', sensorId: 'ph1', value: 6.1 + (round % 7) / 100, at, raw: 6.02 + (round % 7) / 100 };
    if (round % 2 === 0) {
      recipes.push(recipe(round));
      yield { type: 'recipes_update', recipes: [...recipes] };
    }
    if (round % 3 === 0) {
      schedules.push(schedule(round, at));
      yield { type: 'schedules_update', schedules: [...schedules] };
    }
    if (round % 2 === 1) {
      const level = (['info', 'warning', 'error'] as const)[round % 3]!;
      const alert: Alert = { id: ++alertId, level, code: level === 'info' ? 'RECIPE_NOTE' : 'LINK_QUALITY', message: `round ${round}`, at, source: round % 5 === 0 ? 'controller' : 'host' };
      yield { type: 'alert', alert };
      // A repeat folds into the same id.
      if (round % 7 === 1) yield { type: 'alert', alert: { ...alert, count: 2, lastAt: at + 500, message: `round ${round}, again` } };
    }
    if (round % 11 === 10) yield { type: 'alerts_ack', ids: [alertId - 1, alertId, alertId + 50], by: 'Kitchen tablet', at };
    if (round % 13 === 0) {
      yield { type: 'pump_progress', pumpId: 'nut_a', ml: 1.5, targetMl: 3, done: false, why: null };
      yield { type: 'pump_progress', pumpId: 'nut_a', ml: 3, targetMl: 3, done: true, why: 'complete' };
      yield { type: 'fill_progress', valveId: 'fill', pulses: 450, targetPulses: 450, done: true, why: 'complete' };
      yield { type: 'flow_update', meterId: 'flow1', pulses: 450 * (round + 1), rate: 0 };
      yield { type: 'link_stats', stats: { linesIn: round * 10, linesOut: round, badChecksum: 0, garbage: 0, syntax: 0, overlong: 0, unknownEvents: 0, retries: 0, timeouts: 0, reconnects: 0 } };
      const calibration: Calibration = { pumps: { nut_a: { mlPerSecond: 1.25 + round / 1000, source: 'measured', at } }, flowMeters: { flow1: { pulsesPerLiter: 450, source: 'default', at: null } } };
      yield { type: 'calibration_update', calibration };
      yield { type: 'limits_update', limits: { ...DEFAULT_LIMITS, pump: { ...DEFAULT_LIMITS.pump, maxMlPerDose: 50 + round } } };
      yield { type: 'reading_band', sensorId: 'ph1', band: { zone: round % 2 ? 'in_band' : 'warning_high', limit: round % 2 ? null : 6.5, since: at } };
      yield { type: 'sensor_health', sensorId: 'ec1', health: round % 2 ? { status: 'ok' } : { status: 'suspect', reason: 'stuck', detail: 'reading has not moved for 20 min', since: at } };
      yield { type: 'estop_update', latched: round % 2 === 0, source: round % 2 === 0 ? 'button' : null };
      yield { type: 'link_update', link: { status: 'ready', reason: `ready, round ${round}`, port: 'simulated', simulated: true, since: at, attempt: 0 } };
      // A handshake while the controller's button holds the stop keeps who latched it; the
      // next one, unlatched, forgets it.
      if (round === 130) yield handshake(at, true, 'E_WATCHDOG');
      if (round === 143) yield handshake(at, false, null);
    }
    if (round === 100) {
      yield { type: 'reading_alarms_update', settings: { kinds: { ph: { warningLow: 5.5, warningHigh: 6.5, hysteresis: 0.05, holdSeconds: 30 } }, sensors: {} } as never };
      yield { type: 'presence', screens: { operator: 1, viewer: 0 }, joined: [{ id: 'other', name: 'Pixel 7', role: 'operator', address: '192.168.1.20', since: at }], left: [], unlisted: 0 };
      yield { type: 'broker_update', broker: { status: 'disconnected', broker: 'mqtt://tendril@192.168.1.5:1883', reason: 'nothing answers at that address; trying again in 4 s', since: at } };
      yield { type: 'fleet_update', fleet: [{ id: 'gh1', name: 'gh1', online: false, link: 'ready', estop: false, ec: 1.6, ph: 5.9, levelL: 40, capacityL: 60, runningJob: null, unreadAlerts: 0, url: null, seenAt: at }] };
    }
  }
}

let server: LanServer | null = null;
let client: DocClient | null = null;
afterEach(async () => {
  client?.socket.disconnect();
  await server?.close();
});

async function serverSnapshot(url: string): Promise<Json> {
  const response = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${VIEWER}` } });
  return (await response.json()) as Json;
}

describe('a client that follows docs/lan-api.md to the letter', () => {
  it('has a reducer row for every event type the station sends, once each', () => {
    const rows = reducerRows();
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual([...STATION_EVENT_TYPES].sort());
  });

  it('keeps a state whose hash is the station’s through 1,000 events, checked at every state_hash', async () => {
    const core: StandInCore = standInCore();
    const tokens = await TokenStore.open(null);
    tokens.preset('viewer', VIEWER, 'tests');
    server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null });
    const url = await server.listen();
    client = new DocClient(url, reducerRows());
    await waitFor(() => client!.state !== null, 10_000, 'the initial state');

    let applied = 0;
    for (const change of stationLife()) {
      core.apply(change);
      // A turn of the event loop now and then, so the feed sends batches of every size.
      if (++applied % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Polled until the client holds what the station holds now: /api/state flushes the feed first.
    // The station itself may still move on a timer (presence goes out at most once a second, so a
    // slow machine can see it land after the last event), so the station's own state is part of it.
    let last = await serverSnapshot(url);
    const behind = () => client!.waiting || last.seq !== client!.seq || last.epoch !== client!.epoch || last.stateHash !== stateHash(core.state());
    for (const deadline = Date.now() + 10_000; behind(); last = await serverSnapshot(url)) {
      if (Date.now() > deadline) throw new Error(`the client stopped at ${client.seq}; the station is at ${String(last.seq)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(client.events).toBeGreaterThanOrEqual(1000);
    expect([...client.seen].sort()).toEqual([...STATION_EVENT_TYPES].sort());
    expect(client.mismatches).toBe(0);
    expect(client.resyncs).toBe(0);
    // The snapshot's, and one at least every 100 events.
    expect(client.checks).toBeGreaterThanOrEqual(1 + Math.floor((client.events - 100) / 100));
    expect(client.state!.jobs.filter((j: Json) => FINISHED.includes(j.state))).toHaveLength(50);
    expect(client.state!.jobs[0].id).toBe(1);
    expect(client.state!.recipes.length).toBe(85);
    expect(client.state!.alerts).toHaveLength(85);
    expect(stateHash(client.state)).toBe(last.stateHash);
    expect(last.stateHash).toBe(stateHash(core.state()));
    expect(client.state).toEqual(JSON.parse(JSON.stringify(core.state())));
  }, 30_000);
});
