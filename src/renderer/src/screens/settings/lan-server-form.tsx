import { useEffect, useState } from 'react';
import type { LanStatus } from '../../../../shared/admin';
import { useCommand, useSendingNote } from '../../components/use-command';
import { TextField } from '../schedules/fields';

/** The port field's problem, or undefined: the same bounds the station checks. */
export function portProblem(text: string): string | undefined {
  const port = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(port)) return 'enter a port number such as 4545';
  if (port < 1024) return 'use 1024 or more: lower ports need administrator rights';
  if (port > 65535) return 'use at most 65535';
  return undefined;
}

/** Where phones find the station, and whether they can: switched here on the desktop only. */
export function LanServerForm({ status, onChanged }: { status: LanStatus; onChanged: (status: LanStatus) => void }) {
  const [enabled, setEnabled] = useState(status.enabled);
  const [port, setPort] = useState(String(status.port));
  const configure = useCommand();
  const sendingNote = useSendingNote();
  useEffect(() => {
    setEnabled(status.enabled);
    setPort(String(status.port));
  }, [status.enabled, status.port]);

  const problem = enabled ? portProblem(port) : undefined;
  const changed = enabled !== status.enabled || (enabled && Number(port) !== status.port);

  const apply = async () => {
    const ack = await configure.send({ type: 'lan.configure', enabled, port: enabled ? Number(port) : status.port });
    if (ack.ok) onChanged(ack.result as LanStatus);
  };

  return (
    <fieldset className="wizard-steps" disabled={configure.sending}>
      <legend className="visually-hidden">LAN server</legend>
      <div className="wizard-step">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Serve the station to phones and other computers
        </label>
        {enabled && <TextField label="Port" inputMode="numeric" value={port} problem={problem} onChange={setPort} />}
        <button type="button" className="primary" disabled={!changed || problem !== undefined} onClick={() => void apply()}>
          {enabled ? (status.enabled ? 'Move the LAN server' : 'Switch the LAN server on') : 'Switch the LAN server off'}
        </button>
        {changed && (
          <p className="row-note">
            {enabled ? 'Screens paired already keep their pairing, but open the station at the new address.' : 'Every other screen is disconnected until it is switched on again.'}
          </p>
        )}
        {configure.sending && <p className="row-note">{sendingNote}</p>}
        {configure.refusal && (
          <p className="field-problem" role="alert">
            {configure.refusal}
          </p>
        )}
      </div>
    </fieldset>
  );
}
