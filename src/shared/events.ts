/**
 * The station's changes, as every screen receives them. Main stamps each with a sequence
 * number and the epoch of its process; the one reducer below applies them, in main and in
 * every client, so all of them hold the same state.
 *
 * The names are the LAN API's (docs/lan-api.md); payload fields are camelCase.
 */
import { withAcks, withAlert } from './alerts';
import type { Recipe } from './jobs';
import type { SafetyLimits } from './limits';
import type { ReadingAlarmSettings, ReadingBand } from './reading-alarms';
import {
  FINISHED_JOB_STATES,
  type BrokerLinkState,
  type FleetStation,
  MAX_ALERTS,
  MAX_FINISHED_JOBS,
  type Alert,
  type Calibration,
  type Channel,
  type DeviceIdentity,
  type FlowState,
  type Job,
  type LinkState,
  type LinkStats,
  type PumpState,
  type Reading,
  type RelayState,
  type SensorHealth,
  type ScheduleStatus,
  type StationState,
  type Tank,
  type ScreenCount,
  type Viewer,
} from './station';

/** The most joins, and the most departures, one `presence` change names. */
export const PRESENCE_CHANGES_LISTED = 20;

/** Screens on the LAN: the count now and who joined (whole) and left (by id) since the last. */
export interface Presence {
  screens: ScreenCount;
  joined: Viewer[];
  left: string[];
  unlisted: number;
}

export type StationChange =
  | { type: 'link_update'; link: LinkState }
  | { type: 'link_stats'; stats: LinkStats }
  | {
      /** A handshake finished: who the controller is and everything it reported. */
      type: 'device_update';
      device: DeviceIdentity;
      channels: Channel[];
      relays: Record<string, RelayState>;
      pumps: Record<string, PumpState>;
      flows: Record<string, FlowState>;
      readings: Record<string, Reading>;
      estop: boolean;
      alarm: string | null;
      at: number;
    }
  | { type: 'relay_update'; relayId: string; on: boolean; why: string }
  | { type: 'pump_progress'; pumpId: string; ml: number; targetMl: number; done: boolean; why: string | null }
  | { type: 'fill_progress'; valveId: string; pulses: number; targetPulses: number; done: boolean; why: string | null }
  | { type: 'flow_update'; meterId: string; pulses: number; rate: number }
  /** `raw` is what the controller sent, when a probe calibration changed `value`. */
  | { type: 'ecph_reading'; sensorId: string; value: number; at: number; raw?: number }
  | { type: 'estop_update'; latched: boolean; source: string | null }
  | { type: 'alert'; alert: Alert }
  /** A person acknowledged these alerts: the same on every screen. */
  | { type: 'alerts_ack'; ids: number[]; by: string; at: number }
  | { type: 'tanks_update'; tanks: Tank[] }
  | { type: 'job_update'; job: Job }
  /**
   * Screens came or went: the count now, and who joined and left since the last one, at most
   * PRESENCE_CHANGES_LISTED of each; `unlisted` says how many more changes there were. Its size
   * does not grow with the number of screens, so a room full of phones costs no more than one.
   */
  | ({ type: 'presence' } & Presence)
  | { type: 'recipes_update'; recipes: Recipe[] }
  | { type: 'schedules_update'; schedules: ScheduleStatus[] }
  | { type: 'calibration_update'; calibration: Calibration }
  /** A reading crossed into another band, after its hold time; see main/alarms. */
  | { type: 'reading_band'; sensorId: string; band: ReadingBand }
  /** An operator changed the reading alarm limits. */
  | { type: 'reading_alarms_update'; settings: ReadingAlarmSettings }
  | { type: 'limits_update'; limits: SafetyLimits }
  /** A sensor became suspect or is trusted again; see main/health. */
  | { type: 'sensor_health'; sensorId: string; health: SensorHealth }
  /** The MQTT broker link changed (connected, lost, trying again); null once MQTT is switched off. See main/mqtt. */
  | { type: 'broker_update'; broker: BrokerLinkState | null }
  /** The stations seen on the broker changed (one came, went offline, or published); null once MQTT is switched off. See main/mqtt/fleet. */
  | { type: 'fleet_update'; fleet: FleetStation[] | null };

export type StationEventType = StationChange['type'];

/** Every event name a live connection may receive besides the snapshots. */
export const STATION_EVENT_TYPES: readonly StationEventType[] = [
  'link_update',
  'link_stats',
  'device_update',
  'relay_update',
  'pump_progress',
  'fill_progress',
  'flow_update',
  'ecph_reading',
  'estop_update',
  'alert',
  'alerts_ack',
  'tanks_update',
  'job_update',
  'presence',
  'recipes_update',
  'schedules_update',
  'calibration_update',
  'reading_band',
  'reading_alarms_update',
  'limits_update',
  'sensor_health',
  'broker_update',
  'fleet_update',
];

/** Keeps every unfinished job and the latest finished ones, so months of schedules stay small. */
function trimFinishedJobs(jobs: Job[]): Job[] {
  let finished = 0;
  for (const job of jobs) if (FINISHED_JOB_STATES.includes(job.state)) finished++;
  if (finished <= MAX_FINISHED_JOBS) return jobs;
  let drop = finished - MAX_FINISHED_JOBS;
  return jobs.filter((job) => !(drop > 0 && FINISHED_JOB_STATES.includes(job.state) && drop-- > 0));
}

/** A change as sent: numbered within its epoch, without gaps. */
export type StationEvent = StationChange & { seq: number; epoch: string };

/**
 * A shallow copy spelled out field by field. V8 copies an object literal like this many times
 * faster than `{ ...state, key: value }`, and the reducer runs for every line the device sends.
 */
function copy(state: StationState): StationState {
  return {
    link: state.link,
    device: state.device,
    channels: state.channels,
    relays: state.relays,
    pumps: state.pumps,
    flows: state.flows,
    readings: state.readings,
    estop: state.estop,
    alarm: state.alarm,
    stats: state.stats,
    tanks: state.tanks,
    jobs: state.jobs,
    alerts: state.alerts,
    screens: state.screens,
    recipes: state.recipes,
    schedules: state.schedules,
    calibration: state.calibration,
    limits: state.limits,
    readingBands: state.readingBands,
    readingAlarms: state.readingAlarms,
    sensorHealth: state.sensorHealth,
    broker: state.broker,
    fleet: state.fleet,
  };
}

function withEntry<T>(map: Record<string, T>, key: string, value: T): Record<string, T> {
  const next = Object.assign({}, map);
  next[key] = value;
  return next;
}

export function applyChange(state: StationState, change: StationChange): StationState {
  const next = copy(state);
  switch (change.type) {
    case 'link_update':
      next.link = change.link;
      return next;
    case 'link_stats':
      next.stats = change.stats;
      return next;
    case 'device_update':
      next.device = change.device;
      next.channels = change.channels;
      next.relays = change.relays;
      next.pumps = change.pumps;
      next.flows = change.flows;
      next.readings = change.readings;
      next.estop = { latched: change.estop, source: change.estop ? state.estop.source : null };
      next.alarm = change.alarm ? { code: change.alarm, message: `the controller reports alarm ${change.alarm}`, at: change.at } : null;
      return next;
    case 'relay_update':
      next.relays = withEntry(state.relays, change.relayId, { on: change.on, why: change.why });
      return next;
    case 'pump_progress':
      next.pumps = withEntry(state.pumps, change.pumpId, { running: !change.done, ml: change.ml, target: change.targetMl });
      return next;
    case 'fill_progress':
      // The valve and the count have their own changes; jobs follow fills through this one.
      return state;
    case 'flow_update':
      next.flows = withEntry(state.flows, change.meterId, { pulses: change.pulses, rate: change.rate });
      return next;
    case 'ecph_reading':
      next.readings = withEntry(state.readings, change.sensorId, change.raw === undefined ? { value: change.value, at: change.at } : { value: change.value, at: change.at, raw: change.raw });
      return next;
    case 'estop_update':
      next.estop = { latched: change.latched, source: change.latched ? change.source : null };
      return next;
    case 'alert': {
      next.alerts = withAlert(state.alerts, change.alert, MAX_ALERTS);
      if (change.alert.source === 'controller') {
        next.alarm = { code: change.alert.code, message: change.alert.message, at: change.alert.lastAt ?? change.alert.at };
      }
      return next;
    }
    case 'alerts_ack':
      next.alerts = withAcks(state.alerts, change.ids, change.by, change.at);
      return next;
    case 'tanks_update':
      next.tanks = change.tanks;
      return next;
    case 'job_update': {
      const jobs = state.jobs.filter((job) => job.id !== change.job.id);
      jobs.push(change.job);
      next.jobs = trimFinishedJobs(jobs);
      return next;
    }
    case 'presence':
      next.screens = change.screens;
      return next;
    case 'recipes_update':
      next.recipes = change.recipes;
      return next;
    case 'schedules_update':
      next.schedules = change.schedules;
      return next;
    case 'calibration_update':
      next.calibration = change.calibration;
      return next;
    case 'reading_band':
      next.readingBands = withEntry(state.readingBands, change.sensorId, change.band);
      return next;
    case 'reading_alarms_update':
      next.readingAlarms = change.settings;
      return next;
    case 'limits_update':
      next.limits = change.limits;
      return next;
    case 'sensor_health':
      next.sensorHealth = withEntry(state.sensorHealth, change.sensorId, change.health);
      return next;
    case 'broker_update':
      if (change.broker) next.broker = change.broker;
      else delete next.broker;
      return next;
    case 'fleet_update':
      if (change.fleet) next.fleet = change.fleet;
      else delete next.fleet;
      return next;
  }
}

/** What a screen starts from, and where it stands in its feed's numbering. */
export interface StationSnapshot {
  epoch: string;
  seq: number;
  state: StationState;
}

/** One message of a live feed: a numbered event, or a fresh snapshot that replaces the copy. */
export type LiveMessage = { name: 'status_update'; payload: StationSnapshot } | { name: StationEventType; payload: StationEvent };

/** A client's copy of the state, and where it stands in main's sequence. */
export interface Replica {
  state: StationState;
  seq: number;
  epoch: string;
}

/**
 * Applies an event to a replica. Returns 'resync' when the event does not follow on (a gap, or
 * a new epoch after main restarted): the client must ask for a fresh snapshot. Events it has
 * already applied are ignored, so a redelivery is harmless.
 */
export function applyEvent(replica: Replica, event: StationEvent): Replica | 'resync' {
  if (event.epoch !== replica.epoch) return 'resync';
  if (event.seq <= replica.seq) return replica;
  if (event.seq !== replica.seq + 1) return 'resync';
  return { state: applyChange(replica.state, event), seq: event.seq, epoch: event.epoch };
}

/** The state hash every screen can compare with the station's: see state-hash.ts. */
export { stateHash } from './state-hash';
