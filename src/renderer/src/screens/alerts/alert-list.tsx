import { useMemo, useState } from 'react';
import type { Alert, AlertLevel } from '../../../../shared/station';
import { adviceFor } from './advice';

const LEVEL_LABELS: Record<AlertLevel, string> = { error: 'Error', warning: 'Warning', info: 'Note' };

export type LevelFilter = AlertLevel | 'all';

/** Newest first, as a grower scans them; only the levels asked for. */
export function visibleAlerts(alerts: readonly Alert[], filter: LevelFilter): Alert[] {
  return alerts.filter((alert) => filter === 'all' || alert.level === filter).reverse();
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function AlertList({ alerts }: { alerts: readonly Alert[] }) {
  const [filter, setFilter] = useState<LevelFilter>('all');
  const shown = useMemo(() => visibleAlerts(alerts, filter), [alerts, filter]);
  return (
    <section className="panel" aria-labelledby="alerts-heading">
      <div className="section-head">
        <h2 id="alerts-heading">Alerts</h2>
        <label className="alert-filter">
          Show
          <select value={filter} onChange={(event) => setFilter(event.target.value as LevelFilter)}>
            <option value="all">All ({alerts.length})</option>
            <option value="error">Errors</option>
            <option value="warning">Warnings</option>
            <option value="info">Notes</option>
          </select>
        </label>
      </div>
      {shown.length === 0 && <p className="empty">{alerts.length === 0 ? 'No alerts. All quiet.' : 'None at this level.'}</p>}
      <ul className="rows alert-list">
        {shown.map((alert) => {
          const advice = adviceFor(alert.code);
          return (
            <li key={`${alert.id}:${alert.at}`} className="alert-item" data-level={alert.level}>
              <div className="alert-head">
                <span className="alert-level">{LEVEL_LABELS[alert.level]}</span>
                <strong className="alert-code">{alert.code}</strong>
                <time className="row-note" dateTime={new Date(alert.at).toISOString()}>
                  {when.format(alert.at)}
                </time>
                <span className="row-note">{alert.source === 'controller' ? 'from the controller' : 'from Tendril'}</span>
              </div>
              <p className="alert-message">{alert.message}</p>
              {advice && (
                <p className="alert-advice">
                  <span className="alert-advice-label">What to do: </span>
                  {advice}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
