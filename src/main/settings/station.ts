/**
 * The station's sections: which controller to talk to (`station`), and how the grower's station
 * is laid out (`tanks`, `pumps`, `flowMeters`).
 */
import { z } from 'zod';
import { BAUD_RULE, BAUD_SCHEMA, DEFAULT_BAUD, isBaud } from '../../shared/baud';
import { describeIssue } from '../../shared/commands';
import type { Tank } from '../../shared/station';
import type { SectionRead } from './section';

/** Where the controller is, as saved: a port, "search every port", or none (the simulator). */
export type SavedStationSource = { kind: 'simulated' } | { kind: 'serial'; path: string; baud: number } | { kind: 'auto'; baud: number };

/**
 * The section's shape, as the reference table lists it. It is read leniently (readStationSource):
 * unknown keys are ignored, since older files carry older keys, and a path that is not text
 * means the simulated station rather than an error.
 */
export const STATION_SCHEMA = z.object({
  serialPath: z.string().optional(),
  baud: BAUD_SCHEMA.optional(),
});

/**
 * With no hardware configured the app runs on the simulated station, so a fresh install has
 * something to show; a port with a baud no controller runs at falls back to it too, and says so.
 */
export function readStationSource(section: unknown, file: string): SectionRead<SavedStationSource> {
  const station = isRecord(section) ? section : {};
  const path = station['serialPath'];
  const baud = station['baud'] ?? DEFAULT_BAUD;
  if (typeof path !== 'string' || path === '') return { value: { kind: 'simulated' } };
  if (!isBaud(baud)) {
    return { value: { kind: 'simulated' }, warning: `${file}: station.baud must be ${BAUD_RULE}; using the simulated station` };
  }
  return { value: path === 'auto' ? { kind: 'auto', baud } : { kind: 'serial', path, baud } };
}

/** How the grower's station is laid out: tanks, the channels serving each, pump calibration. */
export interface StationLayout {
  /** Null when none are configured: one tank then holds every channel the controller reports. */
  tanks: Tank[] | null;
  /** Pump id → its calibrated flow in mL per second. */
  mlPerSecond: Record<string, number>;
  /** Flow meter id → its calibration in pulses per litre. */
  pulsesPerLiter: Record<string, number>;
}

/** The nominal flow of the stock peristaltic heads, used until a pump is calibrated. */
export const DEFAULT_ML_PER_SECOND = 1.25;

export const EMPTY_LAYOUT: StationLayout = { tanks: null, mlPerSecond: {}, pulsesPerLiter: {} };

export const TANK_SCHEMA = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'a tank id is 1 to 32 letters, digits, "_" or "-"' }),
  name: z.string().min(1).max(60),
  capacityL: z.number().positive(),
  channelIds: z.array(z.string()),
  plumbing: z
    .strictObject({
      fillValve: z.string(),
      drainValve: z.string(),
      flowMeter: z.string(),
      levelSensor: z.string(),
      circulation: z.string(),
      phSensor: z.string(),
      ecSensor: z.string(),
      phUp: z.string(),
      phDown: z.string(),
      nutrients: z.array(z.string()),
    })
    .partial()
    .optional(),
  headroomL: z.number().nonnegative().optional(),
  floorL: z.number().nonnegative().optional(),
  response: z.strictObject({ phPerMlPerL: z.number().positive(), ecPerMlPerL: z.number().positive() }).partial().optional(),
});

/** The layout's keys, read from the whole file: the tanks name the pumps, so they stand or fall together. */
export const LAYOUT_SCHEMA = z.object({
  tanks: z.array(TANK_SCHEMA).optional(),
  pumps: z.record(z.string(), z.object({ mlPerSecond: z.number().positive().max(1000) })).optional(),
  flowMeters: z.record(z.string(), z.object({ pulsesPerLiter: z.number().positive().max(100_000) })).optional(),
});

export const LAYOUT_FALLBACK = 'using one tank and uncalibrated pumps until it is fixed';

export function readLayout(settings: unknown, file: string): SectionRead<StationLayout> {
  const parsed = LAYOUT_SCHEMA.safeParse(settings);
  if (!parsed.success) return { value: EMPTY_LAYOUT, warning: `${file}: ${describeIssue(parsed.error.issues[0])}; ${LAYOUT_FALLBACK}` };
  const mlPerSecond = Object.fromEntries(Object.entries(parsed.data.pumps ?? {}).map(([id, pump]) => [id, pump.mlPerSecond]));
  const pulsesPerLiter = Object.fromEntries(Object.entries(parsed.data.flowMeters ?? {}).map(([id, meter]) => [id, meter.pulsesPerLiter]));
  return { value: { tanks: parsed.data.tanks ?? null, mlPerSecond, pulsesPerLiter } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
