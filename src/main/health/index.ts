export { DoseResponses, DEFAULT_RESPONSE, type ResponseKind } from './dose-response';
export { healthRulesFrom } from './health-settings';
export { DEFAULT_HEALTH_RULES, type HealthRules } from './sensor-health';
export { StationHealth } from './station-health';
