import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import type { Tank } from '../../shared/station';
import type { StationSource } from './types';

export const DEFAULT_BAUD = 115200;

/**
 * Where the controller is, from `settings.json` in the data folder. With no hardware configured
 * the app runs on the simulated station, so a fresh install has something to show.
 *
 * A settings file that cannot be read is never overwritten here: the grower's file stays as it
 * is, the app falls back to the simulator, and the returned warning says why.
 */
export function loadStationSource(dataDir: string): StationSource & { warning?: string } {
  const file = join(dataDir, 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { kind: 'simulated' };
  }
  try {
    const settings = JSON.parse(text) as { station?: { serialPath?: unknown; baud?: unknown } };
    const path = settings.station?.serialPath;
    const baud = settings.station?.baud ?? DEFAULT_BAUD;
    if (typeof path !== 'string' || path === '') return { kind: 'simulated' };
    if (typeof baud !== 'number' || !Number.isInteger(baud) || baud <= 0) {
      return { kind: 'simulated', warning: `${file}: station.baud must be a whole number such as 115200; using the simulated station` };
    }
    return path === 'auto' ? { kind: 'auto', baud } : { kind: 'serial', path, baud };
  } catch (err) {
    return { kind: 'simulated', warning: `${file} is not valid JSON (${(err as Error).message}); using the simulated station until it is fixed` };
  }
}

/** The nominal flow of the stock peristaltic heads, used until a pump is calibrated. */
export const DEFAULT_ML_PER_SECOND = 1.25;

/** How the grower's station is laid out: tanks, the channels serving each, pump calibration. */
export interface StationLayout {
  /** Null when none are configured: one tank then holds every channel the controller reports. */
  tanks: Tank[] | null;
  /** Pump id → its calibrated flow in mL per second. */
  mlPerSecond: Record<string, number>;
  /** Flow meter id → its calibration in pulses per litre. */
  pulsesPerLiter: Record<string, number>;
  /** The `safety` section as written; see jobs/limits.ts. */
  safety?: unknown;
  /** The `sensorHealth` section as written; see health/health-settings.ts. */
  sensorHealth?: unknown;
  warning?: string;
}

const LAYOUT_SCHEMA = z.object({
  tanks: z
    .array(
      z.strictObject({
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
      }),
    )
    .optional(),
  pumps: z.record(z.string(), z.object({ mlPerSecond: z.number().positive().max(1000) })).optional(),
  flowMeters: z.record(z.string(), z.object({ pulsesPerLiter: z.number().positive().max(100_000) })).optional(),
  /** Checked by jobs/limits.ts, which says what is wrong with it. */
  safety: z.unknown().optional(),
  /** Checked by health/health-settings.ts, which says what is wrong with it. */
  sensorHealth: z.unknown().optional(),
});

/**
 * Tanks and pump calibration from `settings.json`. As with the port, a file that cannot be used
 * is left as it is: the defaults apply and the warning says what to fix.
 */
export function loadStationLayout(dataDir: string): StationLayout {
  const file = join(dataDir, 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // A fresh install: no settings yet.
    return { tanks: null, mlPerSecond: {}, pulsesPerLiter: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      tanks: null,
      mlPerSecond: {},
      pulsesPerLiter: {},
      warning: `${file} is not valid JSON (${(err as Error).message}); using one tank and uncalibrated pumps until it is fixed`,
    };
  }
  const parsed = LAYOUT_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    return {
      tanks: null,
      mlPerSecond: {},
      pulsesPerLiter: {},
      warning: `${file}: ${describeIssue(parsed.error.issues[0])}; using one tank and uncalibrated pumps until it is fixed`,
    };
  }
  const mlPerSecond = Object.fromEntries(Object.entries(parsed.data.pumps ?? {}).map(([id, pump]) => [id, pump.mlPerSecond]));
  const pulsesPerLiter = Object.fromEntries(Object.entries(parsed.data.flowMeters ?? {}).map(([id, meter]) => [id, meter.pulsesPerLiter]));
  return { tanks: parsed.data.tanks ?? null, mlPerSecond, pulsesPerLiter, safety: parsed.data.safety, sensorHealth: parsed.data.sensorHealth };
}
