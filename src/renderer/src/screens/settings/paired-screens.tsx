import { useState } from 'react';
import type { AccessToken } from '../../../../shared/admin';
import { ConfirmStep } from '../../components/ConfirmStep';
import { useCommand, useSendingNote } from '../../components/use-command';
import { formatDateTime } from './dates';

const SOURCES: Record<AccessToken['source'], string> = {
  paired: 'paired here',
  start: '',
  environment: 'set by the server’s environment',
};

/** A start link's label says only where it came from, so that is its name here. */
const nameOf = (token: AccessToken) => (token.source === 'start' ? 'Link printed when the station started' : token.label);

/** Every token that opens the station, and a way to take one back. */
export function PairedScreens({ tokens, onRevoked }: { tokens: readonly AccessToken[]; onRevoked: () => void }) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const revoke = useCommand();
  const sendingNote = useSendingNote();
  if (tokens.length === 0) return <p className="empty">No screens are paired.</p>;

  const confirmRevoke = async (token: AccessToken) => {
    const ack = await revoke.send({ type: 'access.revoke', tokenId: token.id });
    setRevoking(null);
    if (ack.ok) onRevoked();
  };

  return (
    <>
      <ul className="rows paired-screens" aria-label="Paired screens">
        {tokens.map((token) => (
          <li key={token.id} className="row">
            <span className="row-name">{nameOf(token)}</span>
            <span className="pill">{token.role === 'operator' ? 'operator' : 'watching'}</span>
            {SOURCES[token.source] && <span className="row-note">{SOURCES[token.source]}</span>}
            <span className="row-note">{token.usedAt === null ? 'never used' : `last used ${formatDateTime(token.usedAt)}`}</span>
            {token.source === 'environment' ? (
              <span className="row-note">remove it from the environment to revoke it</span>
            ) : revoking === token.id ? (
              <ConfirmStep
                question={`Revoke ${nameOf(token)}?`}
                confirmLabel="Revoke"
                cancelLabel="Keep it"
                onConfirm={() => void confirmRevoke(token)}
                onCancel={() => setRevoking(null)}
                sending={revoke.sending}
                sendingNote={sendingNote}
              >
                Screens using it are disconnected at once and need a new pairing code to come back.
              </ConfirmStep>
            ) : (
              <button type="button" onClick={() => setRevoking(token.id)} aria-label={`Revoke ${nameOf(token)}`}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      {revoke.refusal && (
        <p className="field-problem" role="alert">
          {revoke.refusal}
        </p>
      )}
    </>
  );
}
