import { useStationStore } from '../../store';
import { AlertList } from './alert-list';
import '../schedules/forms.css';
import './alerts.css';

export { AlertToasts } from './toasts';

const NONE: never[] = [];

export function AlertsScreen() {
  const alerts = useStationStore((s) => s.station?.alerts ?? NONE);
  return (
    <div className="screen-stack alerts-screen">
      <AlertList alerts={alerts} />
      <p className="row-note">
        The station keeps the latest 100 alerts here, and never drops one that waits for you to make room; older ones stay in its
        database.
      </p>
    </div>
  );
}
