/**
 * Alerts as system notifications, from main: the window may be hidden in the tray when they
 * matter most. (The page cannot notify: the permission handler refuses it every permission.)
 * Which alerts notify, and in what words, is decided in desktop/alert-notices.ts.
 */
import { Notification } from 'electron';
import appIcon from '../../../resources/icon.png?asset';
import type { Alert } from '../../shared/station';
import { AlertNotices, type AlertNotice } from '../desktop/alert-notices';
import type { StationCore } from '../station/types';

/** How many notifications are kept alive for their click; older ones are let go. */
const KEPT_NOTIFICATIONS = 20;

/** Returns the notices decided on lately. */
export function notifyAlerts(core: StationCore, showWindow: () => void): () => AlertNotice[] {
  const notices = new AlertNotices();
  const recent: AlertNotice[] = [];
  // A notification that is garbage collected forgets its click handler; keep the recent ones.
  const kept: Notification[] = [];
  const notify = (alert: Alert): void => {
    const notice = notices.take(alert, Date.now());
    if (!notice) return;
    recent.push(notice);
    if (recent.length > KEPT_NOTIFICATIONS) recent.shift();
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: notice.title, body: notice.body, icon: appIcon });
    note.on('click', showWindow);
    kept.push(note);
    if (kept.length > KEPT_NOTIFICATIONS) kept.shift();
    note.show();
  };
  // The live state starts empty at each start, so what it holds now was raised since: a job
  // found interrupted by the last stop, above all, which matters most after a power cut.
  for (const alert of core.state().alerts) notify(alert);
  core.onEvent((event) => {
    if (event.type === 'alert') notify(event.alert);
  });
  return () => [...recent];
}
