import { useState } from 'react';
import { CAP_FIELDS, capWords, type CapChange, type SafetyEdit } from '../../../../shared/caps';
import type { SafetyLimits } from '../../../../shared/limits';
import type { Channel } from '../../../../shared/station';
import { ConfirmStep } from '../../components/ConfirmStep';
import { useCommand, useSendingNote } from '../../components/use-command';
import { TextField } from '../schedules/fields';
import { checkDraft, draftOf, fieldLabel, PUMP_CAP_NAMES, pumpCapKey, pumpCapLabel, pumpDraftOf, type CapDraft, type PumpCapDraft, type PumpCapName } from './caps-draft';

interface CapsFormProps {
  limits: SafetyLimits;
  channels: readonly Channel[];
  onDone: () => void;
}

/**
 * Changing the caps: every field checked as it is typed, then the changes read back, old and
 * new, before they are sent. A refusal leaves the draft as typed, with the station's reason.
 */
export function CapsForm({ limits, channels, onDone }: CapsFormProps) {
  const [draft, setDraft] = useState<CapDraft>(() => draftOf(limits));
  const [asking, setAsking] = useState<{ edit: SafetyEdit; changes: CapChange[] } | null>(null);
  const configure = useCommand();
  const sendingNote = useSendingNote();
  const [pumpDraft, setPumpDraft] = useState<PumpCapDraft>(() => pumpDraftOf(limits, channels));
  const checked = checkDraft(draft, limits, channels, pumpDraft);
  const setPump = (pumpId: string, name: PumpCapName) => (value: string) =>
    setPumpDraft((current) => ({ ...current, [pumpId]: { ...current[pumpId]!, [name]: value } }));
  const pumps = channels.filter((channel) => channel.kind === 'pump' && pumpDraft[channel.id]);
  const problems = checked.ok ? {} : checked.problems;
  const set = (key: keyof CapDraft) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));

  const confirm = async (edit: SafetyEdit) => {
    const ack = await configure.send({ type: 'safety.configure', limits: edit });
    setAsking(null);
    if (ack.ok) onDone();
  };

  return (
    <div className="caps-edit">
      <fieldset className="wizard-steps caps-form" disabled={configure.sending || asking !== null}>
        <legend className="visually-hidden">Tendril’s caps</legend>
        <div className="wizard-step">
          {CAP_FIELDS.map((field) =>
            field.unit === 'on/off' ? (
              <label key={field.key} className="check">
                <input type="checkbox" checked={draft[field.key] === 'on'} onChange={(event) => set(field.key)(event.target.checked ? 'on' : 'off')} />
                {field.label}
              </label>
            ) : (
              <TextField
                key={field.key}
                label={fieldLabel(field)}
                inputMode="decimal"
                value={draft[field.key]}
                problem={problems[field.key]}
                onChange={set(field.key)}
              />
            ),
          )}
          {pumps.length > 0 && (
            <p className="row-note">A pump’s own caps, over the caps for every pump; leave both empty to keep it to those.</p>
          )}
          {pumps.map((pump) =>
            PUMP_CAP_NAMES.map((name) => (
              <TextField
                key={pumpCapKey(pump.id, name)}
                label={pumpCapLabel(pump.name || pump.id, name)}
                inputMode="decimal"
                value={pumpDraft[pump.id]![name]}
                problem={problems[pumpCapKey(pump.id, name)]}
                onChange={setPump(pump.id, name)}
              />
            )),
          )}
          {!checked.ok && checked.problem && (
            <p className="field-problem" role="alert">
              {checked.problem}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="primary" disabled={!checked.ok || checked.changes.length === 0} onClick={() => checked.ok && setAsking(checked)}>
              Review the changes…
            </button>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
          {checked.ok && checked.changes.length === 0 && <p className="row-note">Nothing changed yet.</p>}
        </div>
      </fieldset>
      {asking && (
        <ConfirmStep
          question={`Change ${asking.changes.length === 1 ? 'this cap' : `these ${asking.changes.length} caps`}?`}
          confirmLabel="Change the caps"
          cancelLabel="Keep editing"
          sending={configure.sending}
          sendingNote={sendingNote}
          onConfirm={() => void confirm(asking.edit)}
          onCancel={() => setAsking(null)}
        >
          <ul className="rows cap-changes" aria-label="Changes">
            {asking.changes.map((change) => (
              <li key={change.key} className="row">
                <span className="row-name">{change.label}</span>
                <span className="row-note">
                  {capWords(change.unit, change.old ?? undefined)} → {capWords(change.unit, change.new ?? undefined)}
                </span>
              </li>
            ))}
          </ul>
          <p>The next job, and the next step of a running one, keep to the new caps.</p>
        </ConfirmStep>
      )}
      {configure.refusal && (
        <p className="field-problem" role="alert">
          {configure.refusal}
        </p>
      )}
    </div>
  );
}
