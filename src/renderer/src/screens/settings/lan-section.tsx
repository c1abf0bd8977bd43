import { useStationStore } from '../../store';
import { PairingCodes } from './pairing-codes';
import { usePairingLinks } from './pairing-links';
import { ViewerList } from './viewer-list';

const NONE: never[] = [];

/** The controller's port and the LAN: who watches, and how a new screen pairs. */
export function LanSection() {
  const link = useStationStore((s) => s.station?.link ?? null);
  const viewers = useStationStore((s) => s.station?.viewers ?? NONE);
  const links = usePairingLinks();
  const desktop = typeof window !== 'undefined' && window.tendril !== undefined;
  return (
    <>
      <section className="panel" aria-labelledby="controller-port-heading">
        <h2 id="controller-port-heading">Controller connection</h2>
        {link ? (
          <dl className="item-facts settings-facts">
            <div>
              <dt>Port</dt>
              <dd>{link.simulated ? 'simulated station (no hardware)' : (link.port ?? 'auto-detect')}</dd>
            </div>
            <div>
              <dt>Link</dt>
              <dd>
                {link.status}
                {link.reason ? `: ${link.reason}` : ''}
              </dd>
            </div>
          </dl>
        ) : (
          <p className="empty">Waiting for the station…</p>
        )}
        <p className="row-note">
          The port is set as <code>station.port</code> in settings.json in the data folder (a device path, or <code>auto</code> to find the controller by
          its handshake); Tendril reads it when it starts.
        </p>
      </section>

      <section className="panel" aria-labelledby="lan-heading">
        <h2 id="lan-heading">Screens on the LAN</h2>
        <h3 className="subhead">Connected now</h3>
        <ViewerList viewers={viewers} />
        <h3 className="subhead">Pair another screen</h3>
        <PairingCodes links={links} desktop={desktop} />
        <p className="row-note">
          The LAN server&apos;s address, port and whether it runs at all are set as <code>lan</code> in settings.json (<code>enabled</code>, <code>host</code>,{' '}
          <code>port</code>).
        </p>
      </section>
    </>
  );
}
