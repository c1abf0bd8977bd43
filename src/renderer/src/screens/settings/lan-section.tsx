import { useEffect, useState } from 'react';
import type { AccessToken, LanStatus } from '../../../../shared/admin';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { LanServerForm } from './lan-server-form';
import { PairScreen } from './pair-screen';
import { PairedScreens } from './paired-screens';
import { useStationQuery } from './use-station-query';
import { ViewerList } from './viewer-list';

/** The LAN: whether it serves, who watches now, pairing a new screen, and taking access back. */
export function LanSection() {
  const readOnly = useViewOnly();
  const lan = useStationQuery<LanStatus>({ type: 'lan.status' }, !readOnly);
  const tokens = useStationQuery<{ tokens: AccessToken[] }>({ type: 'access.tokens' }, !readOnly);
  // A change made here is shown at once, before the next status is asked for.
  const [changed, setChanged] = useState<LanStatus | null>(null);
  useEffect(() => setChanged(null), [lan.data]);
  const status = changed ?? lan.data;

  return (
    <section className="panel" aria-labelledby="lan-heading">
      <h2 id="lan-heading">Screens on the LAN</h2>
      {readOnly ? (
        <p className="row-note">{VIEW_ONLY_HINT}. Operators pair screens and manage access here.</p>
      ) : (
        <>
          <h3 className="subhead">LAN server</h3>
          {status ? <LanFacts status={status} /> : <p className="empty">{lan.problem ?? 'Asking the station…'}</p>}
          {status?.configurable && <LanServerForm status={status} onChanged={setChanged} />}
          {status && !status.configurable && (
            <p className="row-note">This station runs without a window; its address and port are set when it starts (--host and --port).</p>
          )}
        </>
      )}

      <h3 className="subhead">Connected now</h3>
      <ViewerList canList={!readOnly} />

      {!readOnly && (
        <>
          <h3 className="subhead">Pair another screen</h3>
          <PairScreen lanListening={status?.listening ?? false} onPaired={tokens.refresh} />
          <h3 className="subhead">Paired screens</h3>
          {tokens.data ? <PairedScreens tokens={tokens.data.tokens} onRevoked={tokens.refresh} /> : <p className="empty">{tokens.problem ?? 'Asking the station…'}</p>}
        </>
      )}
    </section>
  );
}

function LanFacts({ status }: { status: LanStatus }) {
  return (
    <dl className="item-facts settings-facts">
      <div>
        <dt>Serving</dt>
        <dd>{status.listening ? 'yes' : status.enabled ? 'no: it could not start' : 'no: switched off'}</dd>
      </div>
      {status.listening && (
        <div>
          <dt>Address</dt>
          <dd>{status.origins.join(', ')}</dd>
        </div>
      )}
      {status.problem && (
        <div>
          <dt>Problem</dt>
          <dd className="field-problem">{status.problem}</dd>
        </div>
      )}
    </dl>
  );
}
