/**
 * Which alerts become desktop notifications. Main decides, not the window: the window may be
 * hidden in the tray, or not exist at all, exactly when a grower most needs to hear about a
 * failed fill or a tripped emergency stop.
 *
 * Errors and warnings notify; notes do not. The same alert (same level, code and words) stays
 * quiet for a while after it was shown, so a controller that drops off the USB bus every few
 * seconds raises one notification, not dozens. Every alert still reaches the Alerts screen.
 */
import type { Alert } from '../../shared/station';

export interface AlertNotice {
  title: string;
  body: string;
}

/** How long the same alert stays quiet after it was shown. */
export const REPEAT_QUIET_MS = 10 * 60_000;

export class AlertNotices {
  private readonly shownAt = new Map<string, number>();

  constructor(private readonly quietMs = REPEAT_QUIET_MS) {}

  /** The notification for an alert just raised, or null when it should not notify. */
  take(alert: Alert, now: number): AlertNotice | null {
    if (alert.level !== 'error' && alert.level !== 'warning') return null;
    for (const [key, at] of this.shownAt) if (now - at >= this.quietMs) this.shownAt.delete(key);
    const key = `${alert.level}\u0000${alert.code}\u0000${alert.message}`;
    if (this.shownAt.has(key)) return null;
    this.shownAt.set(key, now);
    return { title: `Tendril ${alert.level}: ${alert.code}`, body: alert.message };
  }
}
