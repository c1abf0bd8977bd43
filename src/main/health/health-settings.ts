/**
 * `sensorHealth` in settings.json (read in settings/rules.ts): how long a flat reading may last
 * before the probe is called stuck, and how long a suspect probe must behave before it is
 * trusted again. The rest of the rules are fixed.
 */
import type { SensorHealthSettings } from '../settings';
import { DEFAULT_HEALTH_RULES, type HealthRules } from './sensor-health';

export function healthRulesFrom(settings: SensorHealthSettings): HealthRules {
  return { ...DEFAULT_HEALTH_RULES, ...settings };
}
