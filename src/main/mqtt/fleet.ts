/**
 * The fleet: every Tendril station seen on the broker, from the retained `availability` and
 * `state` each one publishes under the prefix root (`tendril/+/…`). Pure: a message in, the
 * list out, so the rules (a bound on stations and payloads, malformed payloads ignored with a
 * log line) are tested without a broker.
 */
import { activeAlerts } from '../../shared/alerts';
import type { FleetStation, StationState } from '../../shared/station';

/** More stations than a grower runs; past it, new ones are left out (and logged once each). */
export const FLEET_MAX_STATIONS = 50;
/** A state summary is a few kilobytes; a payload past this is not a Tendril station's. */
export const FLEET_MAX_PAYLOAD_BYTES = 64 * 1024;

/** The level above a station's own: "tendril/greenhouse-1" → "tendril"; a one-level prefix has none. */
export function fleetRoot(prefix: string): string | null {
  const cut = prefix.lastIndexOf('/');
  return cut > 0 ? prefix.slice(0, cut) : null;
}

/** What the fleet subscribes to under `root`, retained messages included. */
export function fleetFilters(root: string): string[] {
  return [`${root}/+/availability`, `${root}/+/state`];
}

/**
 * What a station adds to its state summary for the others' Stations screens: its name, EC and
 * pH, the alerts waiting for a person, and where its own UI opens.
 */
export function fleetFields(state: StationState, name: string | null, url: string | null): Record<string, unknown> {
  const sensor = (kind: 'ec' | 'ph'): number | null => {
    const channel = state.channels.find((candidate) => candidate.kind === kind);
    return channel ? (state.readings[channel.id]?.value ?? null) : null;
  };
  return { name, ec: sensor('ec'), ph: sensor('ph'), unreadAlerts: activeAlerts(state.alerts).length, url };
}

export interface FleetMessage {
  topic: string;
  payload: Uint8Array | string;
}

/**
 * The fleet after one message. Returns `fleet` itself when nothing changed, so the caller pushes
 * only changes. An empty retained payload (a station's topics cleared) forgets that station.
 */
export function reduceFleet(fleet: FleetStation[], root: string, message: FleetMessage, now: number, log: (line: string) => void): FleetStation[] {
  const rest = message.topic.startsWith(`${root}/`) ? message.topic.slice(root.length + 1).split('/') : [];
  if (rest.length !== 2 || !rest[0] || (rest[1] !== 'availability' && rest[1] !== 'state')) return fleet;
  const [id, kind] = rest as [string, 'availability' | 'state'];
  const size = typeof message.payload === 'string' ? Buffer.byteLength(message.payload) : message.payload.byteLength;
  if (size > FLEET_MAX_PAYLOAD_BYTES) {
    log(`mqtt fleet: ignored ${message.topic}: ${size} bytes is more than a station's ${FLEET_MAX_PAYLOAD_BYTES}`);
    return fleet;
  }
  const text = typeof message.payload === 'string' ? message.payload : Buffer.from(message.payload).toString('utf8');
  const index = fleet.findIndex((station) => station.id === id);
  if (text === '') return index === -1 ? fleet : fleet.filter((station) => station.id !== id);
  const known = index === -1 ? null : fleet[index]!;
  if (!known && fleet.length >= FLEET_MAX_STATIONS) {
    log(`mqtt fleet: ignored station ${id}: the Stations screen shows at most ${FLEET_MAX_STATIONS}`);
    return fleet;
  }
  const base = known ?? blank(id, now);
  let next: FleetStation | null;
  if (kind === 'availability') {
    if (text !== 'online' && text !== 'offline') {
      log(`mqtt fleet: ignored ${message.topic}: "${text.slice(0, 40)}" is neither online nor offline`);
      return fleet;
    }
    next = { ...base, online: text === 'online', seenAt: now };
  } else {
    next = fromSummary(base, text, now);
    if (!next) {
      log(`mqtt fleet: ignored ${message.topic}: not a Tendril state summary (JSON with link and estop)`);
      return fleet;
    }
  }
  if (known) return fleet.map((station, at) => (at === index ? next : station));
  return [...fleet, next].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function blank(id: string, now: number): FleetStation {
  return { id, name: id, online: null, link: null, estop: false, ec: null, ph: null, levelL: null, capacityL: null, runningJob: null, unreadAlerts: null, url: null, seenAt: now };
}

function fromSummary(base: FleetStation, text: string, now: number): FleetStation | null {
  let summary: unknown;
  try {
    summary = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(summary) || typeof summary.link !== 'string' || typeof summary.estop !== 'boolean') return null;
  const tank = Array.isArray(summary.tanks) && isRecord(summary.tanks[0]) ? summary.tanks[0] : null;
  const jobs = Array.isArray(summary.jobs) ? summary.jobs.filter(isRecord) : [];
  const job = jobs.find((candidate) => candidate.state === 'running') ?? null;
  return {
    ...base,
    name: text60(summary.name) ?? base.id,
    link: summary.link.slice(0, 30),
    estop: summary.estop,
    ec: finite(summary.ec),
    ph: finite(summary.ph),
    levelL: tank ? finite(tank.levelL) : null,
    capacityL: tank ? finite(tank.capacityL) : null,
    runningJob: job ? jobWords(job) : null,
    unreadAlerts: typeof summary.unreadAlerts === 'number' && Number.isInteger(summary.unreadAlerts) && summary.unreadAlerts >= 0 ? summary.unreadAlerts : null,
    url: webUrl(summary.url),
    seenAt: now,
  };
}

/** "fill: 40 L of 60 L", or the kind alone when it says no more. */
function jobWords(job: Record<string, unknown>): string {
  const kind = text60(job.kind) ?? 'job';
  const detail = text60(job.detail);
  return detail ? `${kind}: ${detail}` : kind;
}

function text60(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 60) : null;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Only http(s) addresses open: a payload cannot put a javascript: link on the screen. */
function webUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
