import type { Alert } from '../../../../shared/station';

let asked = false;

/**
 * A system notification, for a grower who left the app in the tray. Only in the desktop app:
 * a LAN browser would ask every phone for permission, and the station is not theirs to watch.
 */
export function notifyDesktop(alert: Alert): void {
  if (typeof Notification === 'undefined') return;
  const show = () => {
    const note = new Notification(`Tendril ${alert.level}: ${alert.code}`, { body: alert.message, tag: `tendril-alert-${alert.id}` });
    note.onclick = () => window.focus();
  };
  if (Notification.permission === 'granted') return show();
  if (Notification.permission === 'default' && !asked) {
    asked = true;
    void Notification.requestPermission().then((permission) => {
      if (permission === 'granted') show();
    });
  }
}
