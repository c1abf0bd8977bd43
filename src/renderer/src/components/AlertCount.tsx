import { useEffect } from 'react';
import { useStationStore } from '../store';
import { countWords, pageTitle, waitingSummary } from './waiting-alerts';

const NONE: never[] = [];

/**
 * The header's count of alerts waiting for acknowledgement, a link to them. It also puts the count
 * in the page's title, so a tab in the background shows it.
 */
export function AlertCount() {
  const alerts = useStationStore((s) => s.station?.alerts ?? NONE);
  const { count, level } = waitingSummary(alerts);
  useEffect(() => {
    document.title = pageTitle(count);
  }, [count]);
  if (count === 0) return null;
  return (
    <a className="alert-count" href="#/alerts" data-level={level ?? undefined} aria-label={`${countWords(count)} waiting for acknowledgement: open Alerts`}>
      {countWords(count)}
    </a>
  );
}
