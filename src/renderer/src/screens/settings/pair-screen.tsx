import { useState } from 'react';
import type { PairingResult } from '../../../../shared/admin';
import type { Role } from '../../../../shared/station';
import { useCommand, useSendingNote } from '../../components/use-command';
import { SelectField, TextField } from '../schedules/fields';
import { PairingQr } from './pairing-codes';
import { pairingCode } from './pairing-links';

const ROLES = [
  { value: 'viewer', label: 'Watch only (a viewer)' },
  { value: 'operator', label: 'Control the station (an operator)' },
];

/**
 * Pairs one more screen: a name for it, what it may do, then a QR code to scan. The code's
 * secret is shown once and kept nowhere on this screen, so "Done" is the end of it.
 */
export function PairScreen({ lanListening, onPaired }: { lanListening: boolean; onPaired: () => void }) {
  const [role, setRole] = useState<Role>('viewer');
  const [label, setLabel] = useState('');
  const [paired, setPaired] = useState<PairingResult | null>(null);
  const pair = useCommand();
  const sendingNote = useSendingNote();
  const trimmed = label.trim();
  const labelProblem = label !== '' && trimmed === '' ? 'name the screen, such as “Ana’s phone”' : trimmed.length > 60 ? 'keep the name to 60 characters' : undefined;

  const make = async () => {
    const ack = await pair.send({ type: 'access.pair', role, label: trimmed });
    if (!ack.ok) return;
    setPaired(ack.result as PairingResult);
    setLabel('');
    onPaired();
  };

  const code = paired ? pairingCode(paired) : null;
  if (code) {
    return (
      <div className="wizard-step pairing-made">
        <PairingQr code={code} />
        <p className="row-note">Scan it with the phone’s camera now: the link is shown only this once. If it goes astray, revoke it below.</p>
        <button type="button" onClick={() => setPaired(null)}>
          Done
        </button>
      </div>
    );
  }
  return (
    <fieldset className="wizard-steps" disabled={pair.sending || !lanListening}>
      <legend className="visually-hidden">Pair another screen</legend>
      <div className="wizard-step">
        <TextField label="Screen name" value={label} placeholder="Ana’s phone" problem={labelProblem} onChange={setLabel} />
        <SelectField label="It may" value={role} options={ROLES} onChange={(value) => setRole(value as Role)} />
        <button type="button" className="primary" disabled={trimmed === '' || labelProblem !== undefined} onClick={() => void make()}>
          Make a pairing code
        </button>
        {!lanListening && <p className="row-note">Switch the LAN server on to pair a screen.</p>}
        {pair.sending && <p className="row-note">{sendingNote}</p>}
        {pair.refusal && (
          <p className="field-problem" role="alert">
            {pair.refusal}
          </p>
        )}
      </div>
    </fieldset>
  );
}
