import type { Viewer } from '../../../../shared/station';
import { formatDateTime } from './dates';

const ROLE_LABELS: Record<Viewer['role'], string> = { viewer: 'watching', operator: 'operator' };

/** Who is watching right now, from the station's presence list. */
export function ViewerList({ viewers }: { viewers: readonly Viewer[] }) {
  if (viewers.length === 0) return <p className="empty">No other screens are connected.</p>;
  return (
    <ul className="rows viewer-list">
      {viewers.map((viewer) => (
        <li key={viewer.id} className="row">
          <span className="row-name">{viewer.name}</span>
          <span className="pill">{ROLE_LABELS[viewer.role]}</span>
          <span className="row-note">{viewer.address}</span>
          <span className="row-note">
            since <time dateTime={new Date(viewer.since).toISOString()}>{formatDateTime(viewer.since)}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}
