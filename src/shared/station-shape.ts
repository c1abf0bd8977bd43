import type { LiveMessage, StationSnapshot } from './events';
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

/** A snapshot: a state with its place in a feed's numbering. */
export function looksLikeSnapshot(value: unknown): value is StationSnapshot {
  return isObject(value) && typeof value['epoch'] === 'string' && typeof value['seq'] === 'number' && looksLikeStationState(value['state']);
}

/** A live message: a numbered event, or a snapshot under the name status_update. */
export function looksLikeLiveMessage(value: unknown): value is LiveMessage {
  if (!isObject(value) || typeof value['name'] !== 'string' || !isObject(value['payload'])) return false;
  if (value['name'] === 'status_update') return looksLikeSnapshot(value['payload']);
  const payload = value['payload'];
  return payload['type'] === value['name'] && typeof payload['seq'] === 'number' && typeof payload['epoch'] === 'string';
}
