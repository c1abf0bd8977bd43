import { useState } from 'react';
import type { Channel, Tank } from '../../../../shared/station';
import { TANK_VALVES } from '../../../../shared/tank-edit';
import { ConfirmStep } from '../../components/ConfirmStep';
import { useCommand, useSendingNote } from '../../components/use-command';
import { tankVolumeUnit, useUnits } from '../../units';
import { SelectField, TextField } from '../schedules/fields';
import { checkTankDraft, tankDraftOf, type TankDraft, type TankDraftCheck } from './tank-draft';

interface TankFormProps {
  tank: Tank;
  tanks: readonly Tank[];
  channels: readonly Channel[];
  onDone: () => void;
}

/**
 * Changing a tank: its size, headroom, floor and valves, checked as typed, then read back old and
 * new before they are sent. A refusal leaves the draft as typed, with the station's reason.
 */
export function TankForm({ tank, tanks, channels, onDone }: TankFormProps) {
  const system = useUnits((units) => units.system);
  const unit = tankVolumeUnit(system);
  const [draft, setDraft] = useState<TankDraft>(() => tankDraftOf(tank, system));
  const [asking, setAsking] = useState<Extract<TankDraftCheck, { ok: true }> | null>(null);
  const configure = useCommand();
  const sendingNote = useSendingNote();
  const checked = checkTankDraft(draft, tank, tanks, channels, system);
  const problems = checked.ok ? {} : checked.problems;
  const set = (field: keyof TankDraft) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));
  const relays = channels.filter((channel) => channel.kind === 'relay' && tank.channelIds.includes(channel.id));
  const options = [{ value: '', label: 'Worked out from the names' }, ...relays.map((relay) => ({ value: relay.id, label: relay.name || relay.id }))];

  const confirm = async () => {
    if (!asking) return;
    const ack = await configure.send({ type: 'tanks.configure', tankId: tank.id, tank: asking.edit });
    setAsking(null);
    if (ack.ok) onDone();
  };

  return (
    <div className="tank-edit">
      <fieldset className="wizard-steps tank-form" disabled={configure.sending || asking !== null}>
        <legend className="visually-hidden">{tank.name}</legend>
        <div className="wizard-step">
          <TextField label="Name" value={draft.name} problem={problems.name} onChange={set('name')} />
          <TextField label={`Capacity (${unit})`} inputMode="decimal" value={draft.capacityL} problem={problems.capacityL} onChange={set('capacityL')} />
          <TextField label={`Headroom (${unit})`} inputMode="decimal" value={draft.headroomL} problem={problems.headroomL} hint="kept free below the brim; a fill stops there" onChange={set('headroomL')} />
          <TextField label={`Floor (${unit})`} inputMode="decimal" value={draft.floorL} problem={problems.floorL} hint="always left in on a drain, so the pumps stay primed" onChange={set('floorL')} />
          {TANK_VALVES.map(([role, label]) => (
            <SelectField key={role} label={label} value={draft[role]} options={options} problem={problems[role]} onChange={set(role)} />
          ))}
          <div className="form-actions">
            <button type="button" className="primary" disabled={!checked.ok || checked.changes.length === 0} onClick={() => checked.ok && setAsking(checked)}>
              Review the changes…
            </button>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </div>
      </fieldset>
      {asking && (
        <ConfirmStep
          question={`Change ${tank.name}?`}
          confirmLabel="Change the tank"
          cancelLabel="Keep editing"
          sending={configure.sending}
          sendingNote={sendingNote}
          onConfirm={() => void confirm()}
          onCancel={() => setAsking(null)}
        >
          <ul className="rows" aria-label="Changes">
            {asking.changes.map((change) => (
              <li key={change.label} className="row">
                <span className="row-name">{change.label}</span>
                <span className="row-note">
                  {change.old} → {change.new}
                </span>
              </li>
            ))}
          </ul>
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
