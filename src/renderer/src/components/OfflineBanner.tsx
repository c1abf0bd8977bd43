import { reconnectNow, useStationStore } from '../store';

const HEADLINES = {
  connecting: 'Connecting to the station…',
  reconnecting: 'Offline: reconnecting to the station…',
  disconnected: 'Offline: not connected to the station.',
} as const;

/**
 * While this screen cannot reach the station, what it shows is the last known state and what
 * the grower asks for waits in a queue. Both must be plain, and retrying must not mean waiting
 * out the backoff.
 */
export function OfflineBanner() {
  const connection = useStationStore((s) => s.connection);
  const hasStation = useStationStore((s) => s.station !== null);
  if (connection.state === 'connected') return null;
  return (
    <div className="banner banner-offline" data-state={connection.state}>
      <p role="status">
        <strong>{HEADLINES[connection.state]}</strong>
        {connection.detail && <> {asSentence(connection.detail)}</>}
        {hasStation && <> Showing the last known state; commands wait until the connection is back.</>}
      </p>
      <button type="button" onClick={() => reconnectNow()}>
        Reconnect
      </button>
    </div>
  );
}

function asSentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
