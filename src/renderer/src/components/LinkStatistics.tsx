import type { LinkStats } from '../../../shared/station';
import { useStationStore } from '../store';

const LABELS: Record<keyof LinkStats, string> = {
  linesIn: 'Lines received',
  linesOut: 'Lines sent',
  badChecksum: 'Bad checksums',
  garbage: 'Garbage bytes',
  syntax: 'Unreadable lines',
  overlong: 'Over-long lines',
  unknownEvents: 'Unknown events',
  retries: 'Retries',
  timeouts: 'Timeouts',
  reconnects: 'Reconnects',
};

/** For whoever debugs a flaky cable: counters of what the link threw away or repeated. */
export function LinkStatistics() {
  const stats = useStationStore((s) => s.station?.stats ?? null);
  const port = useStationStore((s) => s.station?.link.port ?? null);
  if (!stats) return null;
  return (
    <details className="panel link-stats">
      <summary>Link statistics</summary>
      <dl aria-label="Link statistics">
        <div>
          <dt>Port</dt>
          <dd>{port ?? 'none'}</dd>
        </div>
        {(Object.keys(LABELS) as (keyof LinkStats)[]).map((key) => (
          <div key={key}>
            <dt>{LABELS[key]}</dt>
            <dd>{stats[key].toLocaleString('en')}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
