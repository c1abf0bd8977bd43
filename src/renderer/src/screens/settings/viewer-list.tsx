import { useEffect, useState } from 'react';
import type { ScreenPage } from '../../../../shared/admin';
import type { ScreenCount, Viewer } from '../../../../shared/station';
import { useStationStore } from '../../store';
import { formatDateTime } from './dates';
import { useStationQuery } from './use-station-query';

const ROLE_LABELS: Record<Viewer['role'], string> = { viewer: 'watching', operator: 'operator' };
const NO_SCREENS: ScreenCount = { operator: 0, viewer: 0 };
/** Screens shown at once; the station keeps the rest for the next page. */
const PAGE = 50;

/** "3 screens: 1 operator, 2 watching": every screen is told the count, whoever it is. */
export function describeCount(count: ScreenCount): string {
  const total = count.operator + count.viewer;
  if (total === 0) return 'No screens are connected.';
  return `${total} ${total === 1 ? 'screen' : 'screens'}: ${count.operator} ${count.operator === 1 ? 'operator' : 'operators'}, ${count.viewer} watching`;
}

/**
 * Who is connected right now. Every screen shows how many; an operator's also lists them, a page
 * at a time, asked of the station again whenever the count changes.
 */
export function ViewerList({ canList }: { canList: boolean }) {
  const count = useStationStore((s) => s.station?.screens ?? NO_SCREENS);
  const [offset, setOffset] = useState(0);
  const page = useStationQuery<ScreenPage>({ type: 'lan.screens', offset, limit: PAGE }, canList);
  const { refresh } = page;
  useEffect(() => refresh(), [count.operator, count.viewer, refresh]);
  const total = count.operator + count.viewer;
  // Screens left while a later page was shown: go back to the last page there is.
  useEffect(() => {
    if (offset > 0 && offset >= total) setOffset(Math.max(0, Math.floor((total - 1) / PAGE) * PAGE));
  }, [offset, total]);

  const summary = <p className="row-note screen-count">{describeCount(count)}</p>;
  if (!canList || total === 0) return summary;
  if (!page.data) return (
    <>
      {summary}
      <p className="empty">{page.problem ?? 'Asking the station…'}</p>
    </>
  );
  const { screens } = page.data;
  const shownTotal = page.data.total;
  return (
    <>
      {summary}
      <ul className="rows viewer-list" aria-label="Screens connected now">
        {screens.map((viewer) => (
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
      {shownTotal > PAGE && (
        <div className="row-actions">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous
          </button>
          <span className="row-note">
            {Math.min(offset + 1, shownTotal)}–{Math.min(offset + screens.length, shownTotal)} of {shownTotal}
          </span>
          <button type="button" disabled={offset + PAGE >= shownTotal} onClick={() => setOffset(offset + PAGE)}>
            Next
          </button>
        </div>
      )}
    </>
  );
}
