/**
 * Which channel and which tank a change is about. Coalescing keys telemetry by channel, and a
 * screen that follows one tank sees only that tank's part of the station.
 */
import type { StationChange } from './events';
import type { StationState, Tank } from './station';

/** The channel a change is about, or null for changes that concern the whole station. */
export function channelOf(change: StationChange): string | null {
  switch (change.type) {
    case 'ecph_reading':
      return change.sensorId;
    case 'flow_update':
      return change.meterId;
    case 'pump_progress':
      return change.pumpId;
    case 'fill_progress':
      return change.valveId;
    case 'relay_update':
      return change.relayId;
    case 'sensor_health':
      return change.sensorId;
    default:
      return null;
  }
}

/** The change types about one channel that can be telemetry. */
const CHANNEL_TELEMETRY = ['ecph_reading', 'flow_update', 'pump_progress', 'fill_progress'] as const;

/**
 * High-frequency telemetry: readings, flow counts, dose and fill progress short of the end, and
 * the link counters. A newer one for the same channel makes an older one worthless, so the link
 * and every screen's feed may drop all but the latest. Everything else is a discrete change,
 * never dropped; a dose's or fill's end above all. The link asks this of a device line before it
 * translates it, with just the type and the end flag.
 */
export function isTelemetry(change: { type: StationChange['type']; done?: boolean }): boolean {
  switch (change.type) {
    case 'ecph_reading':
    case 'flow_update':
    case 'link_stats':
      return true;
    case 'pump_progress':
    case 'fill_progress':
      return !change.done;
    default:
      return false;
  }
}

/** What a newer telemetry change replaces an older one by; null for discrete changes. */
export function telemetryKey(change: StationChange): string | null {
  if (!isTelemetry(change)) return null;
  const channel = channelOf(change);
  return channel === null ? change.type : `${change.type}:${channel}`;
}

/** Every telemetry key a channel's changes can have. */
export function telemetryKeysOf(channel: string): string[] {
  return CHANNEL_TELEMETRY.map((type) => `${type}:${channel}`);
}

/** Channel id → tank id, for every channel some tank claims. */
export type TankMap = ReadonlyMap<string, string>;

export function tankMap(tanks: readonly Tank[]): TankMap {
  const map = new Map<string, string>();
  for (const tank of tanks) for (const channel of tank.channelIds) map.set(channel, tank.id);
  return map;
}

/** The tank a change belongs to, or null when it concerns the whole station. */
export function tankOf(change: StationChange, tanks: TankMap): string | null {
  if (change.type === 'job_update') return change.job.tankId;
  const channel = channelOf(change);
  return channel === null ? null : (tanks.get(channel) ?? null);
}

/**
 * The station as a screen following one tank sees it: everything that concerns the whole
 * station, plus that tank's channels, jobs and the tank itself. Applying only the events that
 * `tankOf` gives this tank (or null) to this keeps it equal to the scoped live state.
 */
export function scopeState(state: StationState, tankId: string): StationState {
  const { keep, pick } = ownedBy(tankId, tankMap(state.tanks));
  return {
    ...state,
    channels: state.channels.filter((channel) => keep(channel.id)),
    relays: pick(state.relays),
    pumps: pick(state.pumps),
    flows: pick(state.flows),
    readings: pick(state.readings),
    sensorHealth: pick(state.sensorHealth),
    tanks: state.tanks.filter((tank) => tank.id === tankId),
    jobs: state.jobs.filter((job) => job.tankId === null || job.tankId === tankId),
  };
}

/**
 * A whole-station change as a screen following `tankId` receives it: a new channel table keeps
 * only what that screen's state holds. Returns null for another tank's change.
 */
export function scopeChange(change: StationChange, tankId: string, tanks: TankMap): StationChange | null {
  const { keep, pick } = ownedBy(tankId, tanks);
  switch (change.type) {
    case 'device_update':
      return {
        ...change,
        channels: change.channels.filter((channel) => keep(channel.id)),
        relays: pick(change.relays),
        pumps: pick(change.pumps),
        flows: pick(change.flows),
        readings: pick(change.readings),
      };
    case 'tanks_update':
      return { ...change, tanks: change.tanks.filter((tank) => tank.id === tankId) };
    default: {
      const owner = tankOf(change, tanks);
      return owner === null || owner === tankId ? change : null;
    }
  }
}

/** Channels no tank claims concern the whole station, so every screen keeps them. */
function ownedBy(tankId: string, tanks: TankMap) {
  const keep = (channel: string): boolean => {
    const owner = tanks.get(channel);
    return owner === undefined || owner === tankId;
  };
  const pick = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).filter(([channel]) => keep(channel)));
  return { keep, pick };
}
