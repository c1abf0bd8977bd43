/**
 * The grower's overrides of the limits jobs run within (`safety`, checked by the jobs) and of
 * when a probe is called suspect (`sensorHealth`, judged by health). Every key has a default a
 * grower can live with; a bad section keeps all of its defaults and says why.
 */
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import { DEFAULT_LIMITS, type SafetyLimits } from '../../shared/limits';
import type { SectionRead } from './section';

const positive = z.number().positive();

export const SAFETY_SCHEMA = z.strictObject({
  pump: z.strictObject({ maxMlPerDose: positive, maxMlPerDay: positive }).partial().optional(),
  pumps: z.record(z.string(), z.strictObject({ maxMlPerDose: positive, maxMlPerDay: positive }).partial()).optional(),
  fill: z.strictObject({ timeoutMs: positive, noFlowMs: positive, defaultPulsesPerLiter: positive, nominalLitersPerMinute: positive }).partial().optional(),
  drain: z.strictObject({ timeoutMs: positive, noFallMs: positive, nominalLitersPerMinute: positive }).partial().optional(),
  loop: z
    .strictObject({
      maxReadingAgeMs: positive,
      mixWaitMs: z.number().nonnegative(),
      abPauseMs: z.number().nonnegative(),
      maxTotalMl: positive,
      maxStepMl: positive,
      mlPerUnit: positive,
      unresponsiveSteps: z.number().int().positive(),
      minResponse: z.number().min(0).max(1),
      requireCirculation: z.boolean(),
    })
    .partial()
    .optional(),
});

/** The limits with the grower's overrides. */
export function readSafety(section: unknown): SectionRead<SafetyLimits> {
  if (section === undefined) return { value: DEFAULT_LIMITS };
  const parsed = SAFETY_SCHEMA.safeParse(section);
  if (!parsed.success) {
    return { value: DEFAULT_LIMITS, warning: `safety.${describeIssue(parsed.error.issues[0])}; using the default safety limits until it is fixed` };
  }
  const given = parsed.data;
  return {
    value: {
      pump: { ...DEFAULT_LIMITS.pump, ...given.pump },
      pumps: given.pumps ?? {},
      fill: { ...DEFAULT_LIMITS.fill, ...given.fill },
      drain: { ...DEFAULT_LIMITS.drain, ...given.drain },
      loop: { ...DEFAULT_LIMITS.loop, ...given.loop },
    },
  };
}

/**
 *   "sensorHealth": { "stuckAfterMs": 1200000, "clearAfterMs": 120000 }
 */
export interface SensorHealthSettings {
  /** A reading flat for this long is stuck. */
  stuckAfterMs: number;
  /** A suspect probe that behaves for this long is trusted again. */
  clearAfterMs: number;
  /** A pH or EC probe calibration older than this many days raises a reminder; 0 never reminds. */
  calibrationReminderDays: number;
}

export const DEFAULT_SENSOR_HEALTH: SensorHealthSettings = { stuckAfterMs: 20 * 60_000, clearAfterMs: 2 * 60_000, calibrationReminderDays: 30 };

export const SENSOR_HEALTH_SCHEMA = z
  .strictObject({ stuckAfterMs: z.number().positive(), clearAfterMs: z.number().nonnegative(), calibrationReminderDays: z.number().int().nonnegative() })
  .partial();

export function readSensorHealth(section: unknown): SectionRead<SensorHealthSettings> {
  if (section === undefined) return { value: DEFAULT_SENSOR_HEALTH };
  const parsed = SENSOR_HEALTH_SCHEMA.safeParse(section);
  if (!parsed.success) {
    return { value: DEFAULT_SENSOR_HEALTH, warning: `sensorHealth.${describeIssue(parsed.error.issues[0])}; using the default sensor health rules until it is fixed` };
  }
  return { value: { ...DEFAULT_SENSOR_HEALTH, ...parsed.data } };
}
