import type { StationState } from './station';

/**
 * A shape check for states arriving from outside this page. It does not prove every field; it
 * keeps a wrong URL, a proxy's error page or an older server from crashing the screen.
 */
export function looksLikeStationState(value: unknown): value is StationState {
  if (!isObject(value)) return false;
  const { link, channels, readings, relays, pumps, flows, estop, stats } = value;
  return (
    isObject(link) &&
    typeof link['status'] === 'string' &&
    Array.isArray(channels) &&
    [readings, relays, pumps, flows, estop, stats].every(isObject)
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
