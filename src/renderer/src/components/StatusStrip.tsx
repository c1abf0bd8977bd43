import { useNow } from '../clock';
import { useStationStore } from '../store';
import { brokerWords } from './broker-words';
import './broker-link.css';
import { useViewOnly } from './view-only';

/** Where the station stands: the controller link, this screen's connection, and what waits. */
export function StatusStrip() {
  return (
    <div className="status-strip">
      <SimulatedBadge />
      <ViewOnlyBadge />
      <LinkStatusIndicator />
      <BrokerLinkIndicator />
      <ConnectionIndicator />
      <QueuedCommands />
      <DeviceIdentity />
    </div>
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

function ViewOnlyBadge() {
  const viewOnly = useViewOnly();
  if (!viewOnly) return null;
  return (
    <span className="badge badge-view-only" title="This screen was paired to watch; it cannot control the station">
      View only
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

/** The MQTT broker link, beside the controller link; nothing while publishing to a broker is off. */
function BrokerLinkIndicator() {
  const broker = useStationStore((s) => s.station?.broker);
  const now = useNow();
  const words = brokerWords(broker, now);
  if (!broker || !words) return null;
  return (
    <div className="link-status broker-link" role="status" aria-label="Broker link" data-status={broker.status} title={broker.broker}>
      <span className="link-dot" aria-hidden="true" />
      <span className="link-label">Broker</span>
      <strong className="link-state">{words.state}</strong>
      <span className="link-reason">{words.detail}</span>
    </div>
  );
}

/**
 * This screen's own connection to the station, and whether updates are pushed, polled or over
 * IPC. Why it is down is told once, in the offline banner, which has the room for it; a note
 * while connected (why it polls, say) is told here.
 */
function ConnectionIndicator() {
  const connection = useStationStore((s) => s.connection);
  return (
    <div className="connection" role="status" aria-label="Connection" data-state={connection.state}>
      <span className="connection-label">{connection.mode === 'desktop' ? 'Station' : 'Server'}</span>
      <strong>{connection.state}</strong>
      <span className="connection-mode">{connection.mode}</span>
      {connection.state === 'connected' && connection.detail && <span className="connection-detail">{connection.detail}</span>}
    </div>
  );
}

function QueuedCommands() {
  const pending = useStationStore((s) => s.pendingCommands);
  if (pending <= 0) return null;
  return (
    <div className="queued-commands" role="status" aria-label="Queued commands">
      {pending === 1 ? '1 command' : `${pending} commands`} waiting to be sent
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
