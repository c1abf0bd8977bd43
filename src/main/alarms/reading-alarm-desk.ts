/**
 * Reading alarms on the station: feeds every reading to its sensor's state machine
 * (reading-alarms.ts), publishes each band change to every screen, raises an alert for each
 * crossing and clearing, and takes the operators' changes to the limits, kept and audited.
 */
import type { StationChange } from '../../shared/events';
import {
  DEFAULT_READING_ALARMS,
  isSensorKind,
  limitsOf,
  limitsProblem,
  READING_LIMITS_SCHEMA,
  resolveLimits,
  withLimits,
  type ReadingAlarmSettings,
  type ReadingLimits,
  type ResolvedLimits,
} from '../../shared/reading-alarms';
import type { AlertLevel, Channel, SensorKind, StationState, Tank } from '../../shared/station';
import { Refusal } from '../../shared/refusal';
import { feedReading, initialAlarmState, isEasing, severityOf, transitionLimit, type SensorAlarmState, type ZoneTransition } from './reading-alarms';
import { describeTransition } from './words';

/** A change to the limits as the audit keeps it: who, when, and the settings before and after. */
export interface AlarmSettingsChange {
  at: number;
  by: string;
  /** What was changed, such as "sensor ph1" or "kind ph". */
  what: string;
  old: ReadingLimits | null;
  new: ReadingLimits | null;
}

/** Where the limits are kept, with the audit of every change (the database, or memory). */
export interface AlarmKeeper {
  /** The stored settings, or undefined when never set. */
  load(): unknown;
  /** Stores the settings and the audit entry together. */
  save(settings: ReadingAlarmSettings, change: AlarmSettingsChange): void;
}

export interface ReadingAlarmDeskOptions {
  keeper: AlarmKeeper;
  state(): StationState;
  apply(change: StationChange): void;
  /** `subject`: the sensor, so an alarm that comes and goes folds into one entry. */
  alert(level: AlertLevel, code: string, message: string, subject?: string): void;
  now?: () => number;
  log?: (line: string) => void;
}

export type AlarmTarget = { sensorId?: string; kind?: SensorKind };

export class ReadingAlarmDesk {
  private settings: ReadingAlarmSettings;
  private readonly sensors = new Map<string, SensorAlarmState>();
  private readonly now: () => number;

  constructor(private readonly options: ReadingAlarmDeskOptions) {
    this.now = options.now ?? Date.now;
    this.settings = this.loadSettings();
  }

  /** Publishes the limits, so every screen shows them before the first reading. */
  start(): void {
    this.options.apply({ type: 'reading_alarms_update', settings: this.settings });
  }

  current(): ReadingAlarmSettings {
    return this.settings;
  }

  /** Looks at a change the link reported: readings move the alarms, nothing else does. */
  observe(change: StationChange): void {
    if (change.type === 'ecph_reading') this.feed(change.sensorId, change.value, change.at);
  }

  /**
   * Sets one sensor's limits (null: back to its kind's), or one kind's (null: the defaults).
   * Checked, stored with its audit entry, then applied: a refusal changes nothing.
   */
  configure(target: AlarmTarget, limits: ReadingLimits | null, by: string): { settings: ReadingAlarmSettings; change: AlarmSettingsChange } {
    if ((target.sensorId === undefined) === (target.kind === undefined)) {
      throw new Refusal('INVALID', 'give either sensorId (one sensor) or kind (every sensor of a kind without its own limits), not both or neither');
    }
    if (limits) {
      const problem = limitsProblem(limits);
      if (problem) throw new Refusal('INVALID', problem);
    }
    if (target.sensorId !== undefined) {
      const channel = this.options.state().channels.find((c) => c.id === target.sensorId);
      if (!channel || !isSensorKind(channel.kind)) {
        throw new Refusal('NOT_FOUND', `there is no sensor "${target.sensorId}" on this controller; use a pH, EC, temperature or level channel`);
      }
      if (limits?.percentOfCapacity && channel.kind !== 'level') throw new Refusal('INVALID', 'percentOfCapacity is for level sensors only');
    }
    if (target.kind !== undefined && limits?.percentOfCapacity && target.kind !== 'level') {
      throw new Refusal('INVALID', 'percentOfCapacity is for level sensors only');
    }
    const old = target.kind ? this.settings.kinds[target.kind] : (this.settings.sensors[target.sensorId!] ?? null);
    const next = withLimits(this.settings, target, limits);
    const change: AlarmSettingsChange = {
      at: this.now(),
      by,
      what: target.kind ? `kind ${target.kind}` : `sensor ${target.sensorId}`,
      old,
      new: target.kind ? next.kinds[target.kind] : (next.sensors[target.sensorId!] ?? null),
    };
    this.options.keeper.save(next, change);
    this.settings = next;
    this.options.log?.(`alarms: ${by} changed the limits of ${change.what}`);
    this.options.apply({ type: 'reading_alarms_update', settings: next });
    this.refreshBandLimits();
    return { settings: next, change };
  }

  private feed(sensorId: string, value: number, at: number): void {
    const state = this.options.state();
    const channel = state.channels.find((c) => c.id === sensorId);
    if (!channel || !isSensorKind(channel.kind)) return;
    const limits = this.resolved(channel, state.tanks);
    if (!limits) return;
    const before = this.sensors.get(sensorId) ?? initialAlarmState(at);
    const { state: after, transition } = feedReading(before, value, at, limits);
    this.sensors.set(sensorId, after);
    if (!transition) return;
    this.options.apply({ type: 'reading_band', sensorId, band: { zone: transition.to, limit: transition.to === 'in_band' ? null : transition.limit, since: transition.at } });
    this.announce(channel, tankOf(state.tanks, sensorId), transition);
  }

  private announce(channel: Channel, tank: Tank | undefined, transition: ZoneTransition): void {
    const message = describeTransition(channel, tank, transition);
    const severity = severityOf(transition.to);
    const subject = `reading ${channel.id}`;
    if (severity === null) {
      this.options.alert('info', 'READING_BACK', message, subject);
      return;
    }
    const code = transition.to.endsWith('_low') ? 'READING_LOW' : 'READING_HIGH';
    // Easing from critical to warning is still an alarm, at its new level.
    const level = severity === 'critical' && !isEasing(transition) ? 'error' : 'warning';
    this.options.alert(level, code, message, subject);
  }

  private resolved(channel: Channel, tanks: Tank[]): ResolvedLimits | null {
    const limits = limitsOf(this.settings, channel);
    const tank = tankOf(tanks, channel.id);
    // Percent of what? Not watched until the sensor belongs to a tank.
    if (!limits || (limits.percentOfCapacity && channel.unit !== '%' && !tank)) return null;
    return resolveLimits(limits, channel, tank);
  }

  /** A band on screen names its limit; when the limit moves, the screen must say the new one. */
  private refreshBandLimits(): void {
    const state = this.options.state();
    for (const [sensorId, band] of Object.entries(state.readingBands)) {
      if (band.zone === 'in_band') continue;
      const channel = state.channels.find((c) => c.id === sensorId);
      const limits = channel ? this.resolved(channel, state.tanks) : null;
      const limit = limits ? transitionLimit('in_band', band.zone, limits) : null;
      if (limit !== null && limit !== band.limit) this.options.apply({ type: 'reading_band', sensorId, band: { ...band, limit } });
    }
  }

  private loadSettings(): ReadingAlarmSettings {
    let stored: unknown;
    try {
      stored = this.options.keeper.load();
    } catch (err) {
      this.options.log?.(`alarms: could not read the reading alarm limits (${(err as Error).message}); using the defaults`);
      return DEFAULT_READING_ALARMS;
    }
    if (stored === undefined) return DEFAULT_READING_ALARMS;
    return readSettings(stored, (line) => this.options.log?.(`alarms: ${line}`));
  }
}

/** Stored settings, each entry checked on its own: one bad entry falls back, the rest are kept. */
export function readSettings(stored: unknown, warn: (line: string) => void): ReadingAlarmSettings {
  const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const checked = (what: string, value: unknown): ReadingLimits | null => {
    const parsed = READING_LIMITS_SCHEMA.safeParse(value);
    if (parsed.success) return parsed.data;
    warn(`the stored limits of ${what} are not valid (${parsed.error.issues[0]?.message}); using the defaults for it`);
    return null;
  };
  const kinds = { ...DEFAULT_READING_ALARMS.kinds };
  for (const [kind, value] of Object.entries(record(record(stored).kinds))) {
    if (isSensorKind(kind)) kinds[kind] = checked(`kind ${kind}`, value) ?? kinds[kind];
  }
  const sensors: Record<string, ReadingLimits> = {};
  for (const [sensorId, value] of Object.entries(record(record(stored).sensors))) {
    const limits = checked(`sensor ${sensorId}`, value);
    if (limits) sensors[sensorId] = limits;
  }
  return { kinds, sensors };
}

function tankOf(tanks: Tank[], channelId: string): Tank | undefined {
  return tanks.find((tank) => tank.channelIds.includes(channelId));
}

/** Limits and their audit kept in memory, for a station run without a database. */
export function memoryAlarmKeeper(): AlarmKeeper & { audit: AlarmSettingsChange[] } {
  let settings: ReadingAlarmSettings | undefined;
  const audit: AlarmSettingsChange[] = [];
  return {
    audit,
    load: () => settings,
    save(next, change) {
      settings = next;
      audit.push(change);
    },
  };
}
