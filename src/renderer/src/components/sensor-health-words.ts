import { SENSOR_KINDS_WORDS, type SensorHealth, type SensorKind } from '../../../shared/station';
import { formatAge } from '../format';

/**
 * A suspect sensor in words, as its tile shows it: "pH probe suspect: reading has not moved for
 * 20 min (since 4 min ago)". Null while the sensor is trusted.
 */
export function sensorHealthWords(kind: SensorKind, health: SensorHealth | undefined, now: number): string | null {
  if (!health || health.status === 'ok') return null;
  return `${SENSOR_KINDS_WORDS[kind]} suspect: ${health.detail} (since ${formatAge(now - health.since)} ago)`;
}
