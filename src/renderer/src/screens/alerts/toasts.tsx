import { useEffect, useRef, useState } from 'react';
import { useStationStore } from '../../store';
import { useVolumeWords } from '../../volume-words';
import { addToasts, takeFresh, toastLifetimeMs, type Toast } from './fresh-alerts';
import './alerts.css';

/**
 * New alerts as toasts, wherever the grower is in the app. The shell mounts this once. System
 * notifications come from the desktop app's main process, which sees every alert even with the
 * window hidden in the tray; the page itself is refused the notification permission.
 */
export function AlertToasts() {
  const alerts = useStationStore((s) => s.station?.alerts);
  const seen = useRef<ReadonlySet<string> | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEffect(() => {
    if (!alerts) return;
    const { seen: next, fresh } = takeFresh(seen.current, alerts);
    seen.current = next;
    if (fresh.length === 0) return;
    setToasts((current) => addToasts(current, fresh));
  }, [alerts]);

  const dismiss = (key: string) => setToasts((current) => current.filter((toast) => toast.key !== key));

  return (
    <div className="alert-toasts" role="status" aria-live="polite" aria-label="New alerts">
      {toasts.map((toast) => (
        <AlertToast key={toast.key} toast={toast} onDismiss={() => dismiss(toast.key)} />
      ))}
    </div>
  );
}

function AlertToast({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const { alert } = toast;
  const lifetime = toastLifetimeMs(alert);
  const words = useVolumeWords();
  // The timer starts once per toast; a new onDismiss on each render must not restart it.
  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  });
  useEffect(() => {
    if (lifetime === null) return;
    const timer = setTimeout(() => dismiss.current(), lifetime);
    return () => clearTimeout(timer);
  }, [lifetime]);
  return (
    <div className="alert-toast" data-level={alert.level}>
      <p>
        <strong>{alert.code}</strong> {words(alert.message)}
      </p>
      <button type="button" aria-label={`Dismiss alert ${alert.code}`} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
