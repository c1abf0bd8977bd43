/**
 * What the frame says about alerts that wait for a person: the header's count, the page's title
 * (so a tab in the background shows it), and the critical banner's words. Pure, for tests.
 */
import { activeAlerts, isCritical } from '../../../shared/alerts';
import type { Alert, StationState } from '../../../shared/station';

export const APP_TITLE = 'Tendril';

/** "(3) Tendril" while three alerts wait; "Tendril" when none does. */
export function pageTitle(waiting: number): string {
  return waiting > 0 ? `(${waiting}) ${APP_TITLE}` : APP_TITLE;
}

/** "3 alerts" or "1 alert", for the header's count. */
export function countWords(count: number): string {
  return `${count} alert${count === 1 ? '' : 's'}`;
}

/**
 * The critical alerts the banner shows, newest first. An emergency stop already has its own
 * banner while it is latched, with the reset beside it: its alert is left out meanwhile.
 */
export function bannerAlerts(state: Pick<StationState, 'alerts' | 'estop'>): Alert[] {
  return state.alerts.filter((alert) => isCritical(alert) && !(state.estop.latched && alert.code === 'ESTOP_LATCHED')).reverse();
}

/** The count and the worst level among the alerts waiting, for the header. */
export function waitingSummary(alerts: readonly Alert[]): { count: number; level: 'error' | 'warning' | null } {
  const waiting = activeAlerts(alerts);
  return { count: waiting.length, level: waiting.some((alert) => alert.level === 'error') ? 'error' : waiting.length > 0 ? 'warning' : null };
}
