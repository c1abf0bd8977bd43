/**
 * Reading alarms: the bands a tank's pH, EC, water temperature and level should stay in, at two
 * levels (warning, critical), and where each reading stands now. Main evaluates them
 * (main/alarms), every screen shows them, and operators change them with `alarms.configure`.
 */
import { z } from 'zod';
import { channelIdSchema } from './jobs';
import type { Channel, SensorKind, Tank } from './station';

/**
 * One sensor's limits, in the sensor's own unit (or, for a level with `percentOfCapacity`, in
 * percent of its tank's capacity). A limit left out is not watched.
 */
export interface ReadingLimits {
  /** Critical below this (for a level: empty). */
  criticalLow?: number;
  /** Warning below this (for a level: low). */
  warningLow?: number;
  /** Warning above this. */
  warningHigh?: number;
  /** Critical above this (for a level: high, too close to the brim). */
  criticalHigh?: number;
  /** How far back inside a limit a reading must come before the alarm clears, so noise does not flap. */
  hysteresis: number;
  /** How long a crossing (or a clearing) must last before it counts. */
  holdSeconds: number;
  /** Level only: the limits are percent of the tank's capacity rather than litres. */
  percentOfCapacity?: boolean;
}

export interface ReadingAlarmSettings {
  /** The limits for every sensor of a kind that has none of its own. */
  kinds: Record<SensorKind, ReadingLimits>;
  /** Per sensor (and so per tank, since each sensor belongs to one tank): overrides the kind's. */
  sensors: Record<string, ReadingLimits>;
}

export const DEFAULT_READING_ALARMS: ReadingAlarmSettings = {
  kinds: {
    ph: { criticalLow: 5.0, warningLow: 5.5, warningHigh: 6.5, criticalHigh: 7.0, hysteresis: 0.05, holdSeconds: 30 },
    ec: { criticalLow: 0.5, warningLow: 0.8, warningHigh: 2.5, criticalHigh: 3.0, hysteresis: 0.05, holdSeconds: 30 },
    temp: { criticalLow: 12, warningLow: 16, warningHigh: 26, criticalHigh: 30, hysteresis: 0.5, holdSeconds: 60 },
    // Empty and too full are critical; there is no "a little full" warning.
    level: { criticalLow: 10, warningLow: 25, criticalHigh: 95, hysteresis: 2, holdSeconds: 10, percentOfCapacity: true },
  },
  sensors: {},
};

/** The longest hold: a crossing held back for more than an hour is no longer an alarm. */
export const MAX_HOLD_SECONDS = 3600;

/** Where a reading stands against its limits. */
export type ReadingZone = 'in_band' | 'warning_low' | 'warning_high' | 'critical_low' | 'critical_high';

/** A reading's band as every screen shows it. */
export interface ReadingBand {
  zone: ReadingZone;
  /** The limit it is past, in the sensor's unit; null when in band. */
  limit: number | null;
  /** Epoch milliseconds since it has been in this zone (after the hold). */
  since: number;
}

/** Limits resolved for one sensor, in its own unit, ready to evaluate. */
export interface ResolvedLimits {
  criticalLow: number | null;
  warningLow: number | null;
  warningHigh: number | null;
  criticalHigh: number | null;
  hysteresis: number;
  holdMs: number;
}

/** The limits that apply to a sensor: its own, else its kind's, else none. */
export function limitsOf(settings: ReadingAlarmSettings, channel: Channel): ReadingLimits | null {
  return settings.sensors[channel.id] ?? (isSensorKind(channel.kind) ? settings.kinds[channel.kind] : null);
}

export function isSensorKind(kind: string): kind is SensorKind {
  return kind === 'ph' || kind === 'ec' || kind === 'temp' || kind === 'level';
}

/**
 * A sensor's limits in its own unit. A level in percent needs its tank's capacity; without a
 * tank (or for a sensor that already reads in percent) the figures are taken as they are.
 */
export function resolveLimits(limits: ReadingLimits, channel: Channel, tank: Tank | undefined): ResolvedLimits {
  const scale = limits.percentOfCapacity && channel.unit !== '%' && tank ? tank.capacityL / 100 : 1;
  const at = (value: number | undefined) => (value === undefined ? null : value * scale);
  // A level under the tank's floor (what a drain never goes below, to keep pumps and roots wet)
  // is low whatever the limits say; the floor is in litres, as a level sensor reads.
  const floor = channel.kind === 'level' && channel.unit !== '%' && tank?.floorL !== undefined ? tank.floorL : null;
  const warningLow = at(limits.warningLow);
  return {
    criticalLow: at(limits.criticalLow),
    warningLow: floor !== null && (warningLow === null || floor > warningLow) ? floor : warningLow,
    warningHigh: at(limits.warningHigh),
    criticalHigh: at(limits.criticalHigh),
    hysteresis: limits.hysteresis * scale,
    holdMs: limits.holdSeconds * 1000,
  };
}

/**
 * What is wrong with a set of limits, in words that say how to fix it, or undefined. The same
 * check runs in the schema (every door) and in the Settings form (before sending).
 */
export function limitsProblem(limits: ReadingLimits): string | undefined {
  const { criticalLow, warningLow, warningHigh, criticalHigh, hysteresis, holdSeconds } = limits;
  const named: Array<[string, number | undefined]> = [
    ['criticalLow', criticalLow],
    ['warningLow', warningLow],
    ['warningHigh', warningHigh],
    ['criticalHigh', criticalHigh],
  ];
  const set = named.filter((entry): entry is [string, number] => entry[1] !== undefined);
  if (set.length === 0) return 'set at least one limit, or leave the sensor on its defaults';
  for (const [name, value] of set) if (!Number.isFinite(value)) return `${name} must be a number`;
  // Ordered low to high: critical low < warning low < warning high < critical high. This is both
  // "low below high" and "warning inside critical".
  for (let i = 1; i < set.length; i++) {
    const [lowName, low] = set[i - 1]!;
    const [highName, high] = set[i]!;
    if (!(low < high)) return `${lowName} (${low}) must be below ${highName} (${high})`;
  }
  if (!(Number.isFinite(hysteresis) && hysteresis >= 0)) return 'hysteresis must be 0 or more';
  if (warningLow !== undefined && warningHigh !== undefined && hysteresis * 2 >= warningHigh - warningLow) {
    return `hysteresis (${hysteresis}) must be less than half the gap between warningLow and warningHigh, or an alarm could never clear`;
  }
  if (!(Number.isFinite(holdSeconds) && holdSeconds >= 0 && holdSeconds <= MAX_HOLD_SECONDS)) {
    return `holdSeconds must be between 0 and ${MAX_HOLD_SECONDS}`;
  }
  if (limits.percentOfCapacity && set.some(([, value]) => value < 0 || value > 100)) return 'limits in percent of the capacity must be between 0 and 100';
  return undefined;
}

const limit = (name: string) => z.number({ error: `${name} must be a number, or left out to not watch it` }).optional();

export const READING_LIMITS_SCHEMA = z
  .strictObject({
    criticalLow: limit('criticalLow'),
    warningLow: limit('warningLow'),
    warningHigh: limit('warningHigh'),
    criticalHigh: limit('criticalHigh'),
    hysteresis: z.number({ error: 'hysteresis must be a number, 0 or more, in the sensor’s unit' }),
    holdSeconds: z.number({ error: `holdSeconds must be a number of seconds, 0 to ${MAX_HOLD_SECONDS}` }),
    percentOfCapacity: z.boolean({ error: 'percentOfCapacity must be true or false' }).optional(),
  })
  .superRefine((limits, ctx) => {
    const problem = limitsProblem(limits);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The payload of `alarms.configure`, without the command envelope. */
export const ALARMS_CONFIGURE_PAYLOAD = {
  /** One sensor's own limits; null puts it back on its kind's. */
  sensorId: channelIdSchema('sensorId', 'ph1').optional(),
  /** Or the limits for every sensor of a kind without its own. */
  kind: z.enum(['ph', 'ec', 'temp', 'level'], { error: 'kind must be "ph", "ec", "temp" or "level"' }).optional(),
  limits: READING_LIMITS_SCHEMA.nullable(),
};

/** The settings with one sensor's (or one kind's) limits replaced: what `alarms.configure` does. */
export function withLimits(settings: ReadingAlarmSettings, target: { sensorId?: string; kind?: SensorKind }, limits: ReadingLimits | null): ReadingAlarmSettings {
  if (target.kind) {
    return { kinds: { ...settings.kinds, [target.kind]: limits ?? DEFAULT_READING_ALARMS.kinds[target.kind] }, sensors: settings.sensors };
  }
  const sensors = { ...settings.sensors };
  if (target.sensorId !== undefined) {
    if (limits) sensors[target.sensorId] = limits;
    else delete sensors[target.sensorId];
  }
  return { kinds: settings.kinds, sensors };
}

/** "high (critical above 7.0)": a band in a few words, with its limit already formatted. */
export function bandWords(zone: ReadingZone, limitText: string): string {
  switch (zone) {
    case 'in_band':
      return 'in band';
    case 'warning_low':
      return `low (warning below ${limitText})`;
    case 'warning_high':
      return `high (warning above ${limitText})`;
    case 'critical_low':
      return `low (critical below ${limitText})`;
    case 'critical_high':
      return `high (critical above ${limitText})`;
  }
}
