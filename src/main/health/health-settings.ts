/**
 * `sensorHealth` in settings.json: how long a flat reading may last before the probe is called
 * stuck, and how long a suspect probe must behave before it is trusted again.
 *
 *   "sensorHealth": { "stuckAfterMs": 1200000, "clearAfterMs": 120000 }
 */
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import { DEFAULT_HEALTH_RULES, type HealthRules } from './sensor-health';

const SCHEMA = z.strictObject({ stuckAfterMs: z.number().positive(), clearAfterMs: z.number().nonnegative() }).partial();

/** The rules with the grower's overrides; a bad section keeps the defaults and says why. */
export function readHealthRules(raw: unknown): { rules: HealthRules; warning?: string } {
  if (raw === undefined) return { rules: DEFAULT_HEALTH_RULES };
  const parsed = SCHEMA.safeParse(raw);
  if (!parsed.success) {
    return { rules: DEFAULT_HEALTH_RULES, warning: `sensorHealth.${describeIssue(parsed.error.issues[0])}; using the default sensor health rules until it is fixed` };
  }
  return { rules: { ...DEFAULT_HEALTH_RULES, ...parsed.data } };
}
