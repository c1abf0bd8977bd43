/**
 * Which alerts are new to this screen. Ids start again when the station restarts, so an alert
 * is known by its id, time and code together.
 */
import type { Alert } from '../../../../shared/station';

export function alertKey(alert: Alert): string {
  return `${alert.id}:${alert.at}:${alert.code}`;
}

/**
 * The alerts in `alerts` not in `seen`, oldest first, and the keys to remember next time: only
 * the current ones, since the station drops the oldest and never brings one back. The first
 * call (with nothing seen yet) only learns: what was raised before this screen opened is
 * history, not news.
 */
export function takeFresh(seen: ReadonlySet<string> | null, alerts: readonly Alert[]): { seen: Set<string>; fresh: Alert[] } {
  const keys = new Set(alerts.map(alertKey));
  const fresh = seen === null ? [] : alerts.filter((alert) => !seen.has(alertKey(alert)));
  return { seen: keys, fresh };
}

export interface Toast {
  key: string;
  alert: Alert;
}

/**
 * Toasts on screen at once; older ones make way (the Alerts screen keeps them all, and critical
 * ones stay as a banner). Two, so that on a phone they never hide the page they sit on.
 */
export const MAX_TOASTS = 2;

export function addToasts(toasts: readonly Toast[], fresh: readonly Alert[], max = MAX_TOASTS): Toast[] {
  const added = [...toasts, ...fresh.map((alert) => ({ key: alertKey(alert), alert }))];
  return added.slice(Math.max(0, added.length - max));
}

/**
 * A warning or a note leaves by itself. A critical alert stays until dismissed: its banner stays
 * anyway until someone acknowledges it, but the toast is what catches the eye first.
 */
export function toastLifetimeMs(alert: Alert): number | null {
  return alert.level === 'error' ? null : 8_000;
}
