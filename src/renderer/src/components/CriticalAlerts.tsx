import { useMemo } from 'react';
import { useStationStore } from '../store';
import { useVolumeWords } from '../volume-words';
import { useCommand } from './use-command';
import { useViewOnly, VIEW_ONLY_HINT } from './view-only';
import { bannerAlerts } from './waiting-alerts';

const NONE: never[] = [];

/**
 * Critical alerts stay as a banner on every screen until someone acknowledges them: the newest in
 * full, the others counted, with the way to the rest.
 */
export function CriticalAlerts() {
  const alerts = useStationStore((s) => s.station?.alerts ?? NONE);
  const estopLatched = useStationStore((s) => s.station?.estop.latched ?? false);
  const shown = useMemo(() => bannerAlerts({ alerts, estop: { latched: estopLatched, source: null } }), [alerts, estopLatched]);
  const viewOnly = useViewOnly();
  const { send, sending, refusal } = useCommand();
  const words = useVolumeWords();
  const newest = shown[0];
  if (!newest) return null;
  return (
    <section className="banner banner-critical" aria-labelledby="critical-alert" data-code={newest.code}>
      <p role="alert">
        <strong id="critical-alert">Critical: {newest.code}</strong> {words(newest.message)}
        {shown.length > 1 && <span> (and {shown.length - 1} more critical)</span>}
      </p>
      <button
        type="button"
        disabled={viewOnly || sending}
        title={viewOnly ? VIEW_ONLY_HINT : undefined}
        onClick={() => void send({ type: 'alert.ack', alertIds: [newest.id] })}
        aria-label={`Acknowledge ${newest.code}`}
      >
        Acknowledge
      </button>
      <a href="#/alerts">See all alerts</a>
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </section>
  );
}
