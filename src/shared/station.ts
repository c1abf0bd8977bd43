/**
 * The station as every screen sees it. Pure types: this folder runs in main, in the renderer and
 * in LAN browsers alike, so nothing here may import Node, the DOM or Electron.
 */
import type { JobDelivered, JobKind, JobSpec, Recipe } from './jobs';
import { DEFAULT_LIMITS, type SafetyLimits } from './limits';
import type { ProbeCalibration } from './probe-calibration';
import type { Schedule } from './schedules';
import { DEFAULT_READING_ALARMS, type ReadingAlarmSettings, type ReadingBand } from './reading-alarms';

export type LinkStatus = 'disconnected' | 'connecting' | 'handshaking' | 'ready' | 'error';

export interface LinkState {
  status: LinkStatus;
  /** Why the link is in this state, in words a grower can act on. */
  reason: string;
  /** The serial port path, or "simulated" for the in-process station. */
  port: string | null;
  simulated: boolean;
  /** Epoch milliseconds of the last change. */
  since: number;
  /** Reconnect attempts since the link was last ready. */
  attempt: number;
}

export interface DeviceIdentity {
  device: string;
  firmware: string;
  protocol: string;
  serial: string;
  window: number;
  watchdogMs: number;
}

export type ChannelKind = 'relay' | 'pump' | 'flow' | 'ec' | 'ph' | 'temp' | 'level';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['relay', 'pump', 'flow', 'ec', 'ph', 'temp', 'level'];

export type SensorKind = 'ec' | 'ph' | 'temp' | 'level';

/** A sensor kind in words, for messages and tiles: "pH probe". */
export const SENSOR_KINDS_WORDS: Record<SensorKind, string> = { ec: 'EC probe', ph: 'pH probe', temp: 'temperature probe', level: 'level probe' };

/**
 * Whether a sensor's readings are trusted. Suspect: flat for too long (stuck), outside what it
 * can read (range), a change no tank can make (jump), or a dose it did not answer (unresponsive).
 * Closed loops will not dose on a suspect sensor.
 */
export type SensorHealth =
  | { status: 'ok' }
  | { status: 'suspect'; reason: 'stuck' | 'range' | 'jump' | 'unresponsive'; detail: string; since: number };

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  unit?: string;
  /** Device-enforced bounds from the channel table. */
  maxMl?: number;
  maxMs?: number;
  maxPulses?: number;
}

export interface RelayState {
  on: boolean;
  /** What switched it last: cmd, bound, fill, stop, estop, watchdog, or state (as read at a handshake). */
  why: string;
}

export interface PumpState {
  running: boolean;
  ml: number;
  target: number;
}

export interface FlowState {
  pulses: number;
  rate: number;
}

export interface Reading {
  /** Calibrated, for a calibrated pH or EC probe; as the controller sent it otherwise. */
  value: number;
  /** Epoch milliseconds when the host received it. */
  at: number;
  /** What the controller sent, when a probe calibration changed it (see probe-calibration.ts). */
  raw?: number;
}

/** Counters of everything the link threw away or had to repeat. */
export interface LinkStats {
  linesIn: number;
  linesOut: number;
  badChecksum: number;
  garbage: number;
  syntax: number;
  overlong: number;
  unknownEvents: number;
  retries: number;
  timeouts: number;
  reconnects: number;
}

/**
 * What each of a tank's channels does. Jobs need it: a fill opens the fill valve and counts on
 * the flow meter, a pH adjustment reads the pH probe and doses pH up or down. Anything left out
 * is worked out from the channel table (see jobs/plumbing.ts).
 */
export interface TankPlumbing {
  fillValve?: string;
  /** Opens only in a Drain job, which watches the level and stops at the tank's floor. */
  drainValve?: string;
  flowMeter?: string;
  levelSensor?: string;
  /** The relay that keeps the water moving; closed loops will not dose while it is off. */
  circulation?: string;
  phSensor?: string;
  ecSensor?: string;
  phUp?: string;
  phDown?: string;
  /** Nutrient pumps in dosing order (A, then B): an EC adjustment doses each in turn. */
  nutrients?: string[];
}

/**
 * Which channel the station uses for each part of a tank: the plumbing where settings.json gives
 * it, otherwise worked out from the controller's channel table (see shared/plumbing.ts).
 */
export interface TankRoles extends TankPlumbing {
  nutrients: string[];
}

/** A tank as configured on the host: its size and the channels that serve it. */
export interface Tank {
  id: string;
  name: string;
  capacityL: number;
  /** Every channel (relay, pump, flow meter, sensor) that belongs to this tank. */
  channelIds: string[];
  /** What settings.json says each channel does; anything left out is worked out. */
  plumbing?: TankPlumbing;
  /**
   * What the station uses each channel for, so every screen knows which relay is the fill valve,
   * the drain or the circulation without working it out again. Set by the station in the live
   * state (absent in settings.json), and renewed when the tanks or the channel table change.
   */
  roles?: TankRoles;
  /** Litres kept free below the brim; a fill never goes past capacity minus this. Default 5. */
  headroomL?: number;
  /**
   * Litres a drain always leaves in the tank, so pumps stay primed and roots stay wet. Default a
   * fifth of the capacity.
   */
  floorL?: number;
  /**
   * How the tank answers a dose: pH units per mL of pH up or down per litre, and mS/cm per mL
   * of nutrient per litre. A closed loop stops when a dose moves the reading far less than this
   * says it should. Left out, a default applies, refined by each successful adjustment.
   */
  response?: { phPerMlPerL?: number; ecPerMlPerL?: number };
}

/** error: critical, a person must act; warning: needs a look; info: a note, nothing to acknowledge. */
export type AlertLevel = 'error' | 'warning' | 'info';

/** Someone saying "seen": which screen and name, or the desktop, and when. */
export interface AlertAck {
  by: string;
  at: number;
}

/** Something a grower should know about, with a code to look up and words to act on. */
export interface Alert {
  /** Unique within the epoch that raised it. */
  id: number;
  level: AlertLevel;
  code: string;
  message: string;
  /** When it was first raised. */
  at: number;
  /** Raised by the controller itself (an alarm), or by Tendril. */
  source: 'controller' | 'host';
  /**
   * What it is about (a channel, a tank, the link), so repeats of the same trouble fold into
   * one entry even when the words change (a reading's value, say). Absent: the words are the
   * subject.
   */
  subject?: string;
  /** How many times it was raised while nobody acknowledged it; absent means once. */
  count?: number;
  /** When it was last raised; absent means at `at`. */
  lastAt?: number;
  /** Who acknowledged it; absent or null while it waits for a person. */
  ack?: AlertAck | null;
}

export type Role = 'viewer' | 'operator';

/** Someone watching the station from another screen. */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
  address: string;
  since: number;
}

/** How many screens are connected on the LAN now, by role: what every screen is told. */
export interface ScreenCount {
  operator: number;
  viewer: number;
}

export type JobState = 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface Job {
  id: number;
  kind: JobKind;
  spec: JobSpec;
  state: JobState;
  tankId: string | null;
  /** 0 to 1. */
  progress: number;
  /** Milliseconds until done, as best known; null when it cannot be told (a closed loop). */
  etaMs: number | null;
  /** What it is doing now, or why it ended, in words a grower can act on. */
  detail: string;
  /** "desktop", a LAN operator's screen name, or "schedule <name>". */
  requestedBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /**
   * What a calibration run measured: how long the pump really ran, or how many pulses the meter
   * counted. The grower's measurement of the same run turns it into a calibration.
   */
  measured?: { pumpId: string; seconds: number } | { meterId: string; pulses: number };
  /** What a failed or cancelled job had delivered before it stopped; its detail says it in words. */
  delivered?: JobDelivered;
}

/** A schedule as screens see it: the schedule, and when it last ran and runs next. */
export interface ScheduleStatus {
  schedule: Schedule;
  /** When it last ran, or came to run and was skipped; null when it never has. */
  lastRunAt: number | null;
  /** Why its last run was skipped (the station refused the job), when it was. */
  lastRunSkipped?: string;
  /** The next firing (for a light timer, the next switch), or null when disabled or never. */
  nextRunAt: number | null;
}

/**
 * Where a calibration figure comes from: measured with Tendril's calibration runs, written in
 * settings.json, or the built-in default (a pump or meter nobody has calibrated yet).
 */
export type CalibrationSource = 'measured' | 'settings' | 'default';

export interface Calibration {
  pumps: Record<string, { mlPerSecond: number; source: CalibrationSource; at: number | null }>;
  flowMeters: Record<string, { pulsesPerLiter: number; source: CalibrationSource; at: number | null }>;
  /** Each calibrated pH or EC probe's calibration, by channel id; absent while none is calibrated. */
  probes?: Record<string, ProbeCalibration>;
}

export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

/** Finished jobs kept in the live state; the full history is in the database. */
export const MAX_FINISHED_JOBS = 50;

export interface StationState {
  link: LinkState;
  device: DeviceIdentity | null;
  channels: Channel[];
  relays: Record<string, RelayState>;
  pumps: Record<string, PumpState>;
  flows: Record<string, FlowState>;
  readings: Record<string, Reading>;
  estop: { latched: boolean; source: string | null };
  /** The latest alarm the device raised, until the next handshake (which reads it afresh). */
  alarm: { code: string; message: string; at: number } | null;
  stats: LinkStats;
  tanks: Tank[];
  jobs: Job[];
  /** The most recent alerts, newest last, at most MAX_ALERTS. */
  alerts: Alert[];
  /** Screens on the LAN now; who they are is asked for (`lan.screens`), never pushed. */
  screens: ScreenCount;
  /** Saved recipes, by id order. */
  recipes: Recipe[];
  schedules: ScheduleStatus[];
  /** Every pump's mL/s and every flow meter's pulses per litre, as jobs use them now. */
  calibration: Calibration;
  /** The caps every job is checked against (settings.json `safety`, or the defaults). */
  limits: SafetyLimits;
  /** Each sensor's band against its reading alarm limits, by channel id; absent until it first leaves the band. */
  readingBands: Record<string, ReadingBand>;
  /** The reading alarm limits (main/alarms): every screen shows the same ones. */
  readingAlarms: ReadingAlarmSettings;
  /** Each sensor's health by channel id, from its first reading on. */
  sensorHealth: Record<string, SensorHealth>;
  /** The link to the grower's MQTT broker (docs/mqtt.md); absent while publishing to one is off. */
  broker?: BrokerLinkState;
  /** Every Tendril station seen on the broker, this one too (main/mqtt/fleet); absent while MQTT is off. */
  fleet?: FleetStation[];
}

/** One station on the broker as the Stations screen shows it, from its retained availability and state. */
export interface FleetStation {
  /** The station id, the topic level under the prefix root ("tendril/<id>/state"). */
  id: string;
  /** Its name, or its id when it publishes none. */
  name: string;
  /** Its Last Will says offline, or it said so going away; unknown until availability arrives. */
  online: boolean | null;
  /** Its controller link: "ready", "connecting", "error", ... */
  link: string | null;
  estop: boolean;
  ec: number | null;
  ph: number | null;
  /** The first tank's level in litres, and its capacity. */
  levelL: number | null;
  capacityL: number | null;
  /** The running job in words ("dose", "fill: 40 L of 60 L"), or null when idle. */
  runningJob: string | null;
  /** Alerts waiting for a person; null when the station does not say. */
  unreadAlerts: number | null;
  /** Where its own UI opens (its LAN address), or null when its LAN server is off. */
  url: string | null;
  /** Epoch ms this screen's station last heard from it. */
  seenAt: number;
}

/** The MQTT broker link as every screen shows it, beside the controller link. */
export interface BrokerLinkState {
  status: 'connecting' | 'connected' | 'disconnected';
  /** The broker's address without its password, e.g. "mqtt://tendril@192.168.1.5:1883". */
  broker: string;
  /** Why it is in this state, in words a grower can act on. */
  reason: string;
  /** Epoch milliseconds of the last change. */
  since: number;
}

export const MAX_ALERTS = 100;

export function emptyStats(): LinkStats {
  return {
    linesIn: 0,
    linesOut: 0,
    badChecksum: 0,
    garbage: 0,
    syntax: 0,
    overlong: 0,
    unknownEvents: 0,
    retries: 0,
    timeouts: 0,
    reconnects: 0,
  };
}

export function initialStationState(simulated: boolean, port: string | null, now = 0): StationState {
  return {
    link: { status: 'disconnected', reason: 'not started', port, simulated, since: now, attempt: 0 },
    device: null,
    channels: [],
    relays: {},
    pumps: {},
    flows: {},
    readings: {},
    estop: { latched: false, source: null },
    alarm: null,
    stats: emptyStats(),
    tanks: [],
    jobs: [],
    alerts: [],
    screens: { operator: 0, viewer: 0 },
    recipes: [],
    schedules: [],
    calibration: { pumps: {}, flowMeters: {} },
    limits: DEFAULT_LIMITS,
    readingBands: {},
    readingAlarms: DEFAULT_READING_ALARMS,
    sensorHealth: {},
  };
}
