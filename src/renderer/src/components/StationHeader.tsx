import { useStationStore } from '../store';

export function StationHeader() {
  return (
    <header className="station-header">
      <div className="brand">
        <h1>Tendril</h1>
        <SimulatedBadge />
      </div>
      <LinkStatusIndicator />
      <ConnectionIndicator />
      <DeviceIdentity />
    </header>
  );
}

function SimulatedBadge() {
  const simulated = useStationStore((s) => s.station?.link.simulated ?? false);
  if (!simulated) return null;
  return (
    <span className="badge badge-simulated" title="No hardware: this is the built-in station simulator">
      Simulated
    </span>
  );
}

function LinkStatusIndicator() {
  const link = useStationStore((s) => s.station?.link ?? null);
  // While this screen cannot reach the station, the link it shows is history, and says so.
  const lastKnown = useStationStore((s) => s.station !== null && s.connection.state !== 'connected');
  const status = link?.status ?? 'disconnected';
  const reason = link ? link.reason : 'waiting for the station';
  return (
    <div className="link-status" role="status" aria-label="Controller link" data-status={status}>
      <span className="link-dot" aria-hidden="true" />
      <span className="link-label">Controller link</span>
      <strong className="link-state">{status}</strong>
      {lastKnown && <span className="link-last-known">(last known)</span>}
      {reason && <span className="link-reason">{reason}</span>}
    </div>
  );
}

/**
 * The app's own connection to the station. Inside the desktop app it only shows up when
 * something is wrong; a LAN viewer always sees it, with whether updates are live or polled.
 */
function ConnectionIndicator() {
  const connection = useStationStore((s) => s.connection);
  if (connection.mode === 'desktop' && connection.state === 'connected') return null;
  return (
    <div className="connection" role="status" aria-label="Connection" data-state={connection.state}>
      <span className="connection-label">Server</span>
      <strong>{connection.state}</strong>
      {connection.mode !== 'desktop' && <span className="connection-mode">{connection.mode}</span>}
      {connection.detail && <span className="connection-detail">{connection.detail}</span>}
    </div>
  );
}

function DeviceIdentity() {
  const device = useStationStore((s) => s.station?.device ?? null);
  if (!device) return null;
  return (
    <dl className="device" aria-label="Controller">
      <div>
        <dt>Model</dt>
        <dd>{device.device}</dd>
      </div>
      <div>
        <dt>Firmware</dt>
        <dd>{device.firmware}</dd>
      </div>
      <div>
        <dt>Serial</dt>
        <dd>{device.serial}</dd>
      </div>
    </dl>
  );
}
