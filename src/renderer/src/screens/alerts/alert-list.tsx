import { useMemo, useState, type ReactNode } from 'react';
import { isActive, lastRaisedAt, timesRaised } from '../../../../shared/alerts';
import type { Alert, AlertLevel } from '../../../../shared/station';
import { useCommand } from '../../components/use-command';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useVolumeWords } from '../../volume-words';
import { adviceFor } from './advice';

const LEVEL_LABELS: Record<AlertLevel, string> = { error: 'Critical', warning: 'Warning', info: 'Note' };

export type LevelFilter = AlertLevel | 'all';

/** Newest first, as a grower scans them; only the levels asked for. */
export function visibleAlerts(alerts: readonly Alert[], filter: LevelFilter): Alert[] {
  return alerts.filter((alert) => filter === 'all' || alert.level === filter).reverse();
}

/** Waiting for a person first, newest first; the rest is history, newest first. */
export function splitAlerts(alerts: readonly Alert[], filter: LevelFilter): { waiting: Alert[]; past: Alert[] } {
  const shown = visibleAlerts(alerts, filter);
  return { waiting: shown.filter(isActive), past: shown.filter((alert) => !isActive(alert)) };
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** "Raised 5 times, last at 10:32:04", for an alert that folded its repeats. */
export function repeatWords(alert: Alert, format: (at: number) => string = (at) => time.format(at)): string | null {
  const times = timesRaised(alert);
  return times > 1 ? `Raised ${times} times, last at ${format(lastRaisedAt(alert))}` : null;
}

export function AlertList({ alerts }: { alerts: readonly Alert[] }) {
  const [filter, setFilter] = useState<LevelFilter>('all');
  const { waiting, past } = useMemo(() => splitAlerts(alerts, filter), [alerts, filter]);
  const viewOnly = useViewOnly();
  const { send, sending, refusal } = useCommand();
  const acknowledge = (alertIds: number[] | 'all') => void send(alertIds === 'all' ? { type: 'alert.ack', all: true } : { type: 'alert.ack', alertIds });
  const ackTitle = viewOnly ? VIEW_ONLY_HINT : undefined;

  return (
    <>
      <section className="panel" aria-labelledby="alerts-waiting-heading">
        <div className="section-head">
          <h2 id="alerts-waiting-heading">Waiting for you ({waiting.length})</h2>
          <label className="alert-filter">
            Show
            <select value={filter} onChange={(event) => setFilter(event.target.value as LevelFilter)}>
              <option value="all">All ({alerts.length})</option>
              <option value="error">Critical</option>
              <option value="warning">Warnings</option>
              <option value="info">Notes</option>
            </select>
          </label>
        </div>
        {waiting.length === 0 && <p className="empty">{alerts.length === 0 ? 'No alerts. All quiet.' : 'Nothing waits for you.'}</p>}
        {waiting.length > 1 && (
          <p className="form-actions">
            <button type="button" disabled={viewOnly || sending} title={ackTitle} onClick={() => acknowledge('all')}>
              Acknowledge all {waiting.length}
            </button>
          </p>
        )}
        {refusal && (
          <p className="row-problem" role="alert">
            {refusal}
          </p>
        )}
        <ul className="rows alert-list" aria-label="Alerts waiting for acknowledgement">
          {waiting.map((alert) => (
            <AlertItem key={`${alert.id}:${alert.at}`} alert={alert}>
              <button type="button" disabled={viewOnly || sending} title={ackTitle} onClick={() => acknowledge([alert.id])} aria-label={`Acknowledge ${alert.code}`}>
                Acknowledge
              </button>
            </AlertItem>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="alerts-past-heading">
        <h2 id="alerts-past-heading">Past alerts</h2>
        {past.length === 0 && <p className="empty">None yet.</p>}
        <ul className="rows alert-list" aria-label="Past alerts">
          {past.map((alert) => (
            <AlertItem key={`${alert.id}:${alert.at}`} alert={alert} />
          ))}
        </ul>
      </section>
    </>
  );
}

function AlertItem({ alert, children }: { alert: Alert; children?: ReactNode }) {
  const advice = adviceFor(alert.code);
  const repeats = repeatWords(alert);
  const words = useVolumeWords();
  return (
    <li className="alert-item" data-level={alert.level} data-code={alert.code}>
      <div className="alert-head">
        <span className="alert-level">{LEVEL_LABELS[alert.level]}</span>
        <strong className="alert-code">{alert.code}</strong>
        <time className="row-note" dateTime={new Date(alert.at).toISOString()}>
          {when.format(alert.at)}
        </time>
        <span className="row-note">{alert.source === 'controller' ? 'from the controller' : 'from Tendril'}</span>
      </div>
      <p className="alert-message">{words(alert.message)}</p>
      {repeats && <p className="row-note alert-repeats">{repeats}</p>}
      {advice && (
        <p className="alert-advice">
          <span className="alert-advice-label">What to do: </span>
          {advice}
        </p>
      )}
      {alert.ack && (
        <p className="row-note alert-ack">
          Acknowledged by {alert.ack.by} at {when.format(alert.ack.at)}
        </p>
      )}
      {children && <div className="alert-actions">{children}</div>}
    </li>
  );
}
