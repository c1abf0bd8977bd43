/**
 * What every screen needs to know about alerts beyond the list itself: which still wait for a
 * person, which are critical, and how repeats fold. Main and every screen use the same rules, so
 * the header count, the banner and the tray agree.
 */
import type { Alert } from './station';

/** Notes are history; warnings and errors wait until someone says they have seen them. */
export function needsAck(alert: Alert): boolean {
  return alert.level !== 'info';
}

/** Waiting for a person: raised, not a note, not yet acknowledged. */
export function isActive(alert: Alert): boolean {
  return needsAck(alert) && !alert.ack;
}

/** Critical and waiting: these stay as a banner on every screen until acknowledged. */
export function isCritical(alert: Alert): boolean {
  return alert.level === 'error' && isActive(alert);
}

export function activeAlerts(alerts: readonly Alert[]): Alert[] {
  return alerts.filter(isActive);
}

export function unacknowledgedCount(alerts: readonly Alert[]): number {
  let count = 0;
  for (const alert of alerts) if (isActive(alert)) count++;
  return count;
}

/** Repeats of one trouble share this key: the level, the code and what it is about. */
export function foldKey(alert: Pick<Alert, 'level' | 'code' | 'message' | 'subject'>): string {
  return `${alert.level}\u0000${alert.code}\u0000${alert.subject ?? alert.message}`;
}

/** How many times it was raised; 1 for an alert raised once. */
export function timesRaised(alert: Alert): number {
  return alert.count ?? 1;
}

export function lastRaisedAt(alert: Alert): number {
  return alert.lastAt ?? alert.at;
}

/**
 * The list after an alert is raised or raised again (the same id, folded): the entry moves to
 * the end, newest last. Beyond `max`, the oldest entries that no longer wait for anyone go first,
 * so a flood of notes never pushes an unacknowledged critical alert off the screens.
 */
export function withAlert(alerts: readonly Alert[], alert: Alert, max: number): Alert[] {
  const next = alerts.filter((existing) => existing.id !== alert.id);
  next.push(alert);
  let excess = next.length - max;
  if (excess <= 0) return next;
  const kept = next.filter((existing) => !(excess > 0 && !isActive(existing) && existing !== alert && excess-- > 0));
  // All of them still waiting: then the oldest go, whatever they are.
  return kept.length > max ? kept.slice(kept.length - max) : kept;
}

/** The list after the alerts with these ids were acknowledged; the first acknowledgement stays. */
export function withAcks(alerts: readonly Alert[], ids: readonly number[], by: string, at: number): Alert[] {
  const acked = new Set(ids);
  return alerts.map((alert) => (acked.has(alert.id) && !alert.ack ? { ...alert, ack: { by, at } } : alert));
}
