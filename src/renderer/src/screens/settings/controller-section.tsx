import { useEffect, useState } from 'react';
import type { ConnectResult, PortList } from '../../../../shared/admin';
import { ConfirmStep } from '../../components/ConfirmStep';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useStationStore } from '../../store';
import { SelectField, TextField } from '../schedules/fields';
import { BAUD_OPTIONS, describeChosen, formFor, pickerOptions, sameSource, sourceFromForm, type ControllerForm, type PickerValue } from './controller-choice';
import { useStationQuery } from './use-station-query';

/** Which controller the station talks to: a USB port, auto-detect, or the simulated station. */
export function ControllerSection() {
  const readOnly = useViewOnly();
  const link = useStationStore((s) => s.station?.link ?? null);
  const ports = useStationQuery<PortList>({ type: 'station.ports' }, !readOnly);
  const current = ports.data?.current ?? null;
  const [form, setForm] = useState<ControllerForm | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<ConnectResult | null>(null);
  const connect = useCommand();
  const sendingNote = useSendingNote();

  // The form starts from what the station uses, once the station has said what that is.
  useEffect(() => {
    if (current && form === null) setForm(formFor(current));
  }, [current, form]);

  const shown = form ?? formFor(current);
  const choice = sourceFromForm(shown);
  const update = (change: Partial<ControllerForm>) => {
    setForm({ ...shown, ...change });
    setConfirming(false);
    setOutcome(null);
  };

  const switchController = async () => {
    if (!('source' in choice)) return;
    const ack = await connect.send({ type: 'station.connect', source: choice.source });
    setConfirming(false);
    if (ack.ok) {
      setOutcome(ack.result as ConnectResult);
      ports.refresh();
    }
  };

  return (
    <section className="panel" aria-labelledby="controller-heading">
      <h2 id="controller-heading">Controller connection</h2>
      {link ? (
        <dl className="item-facts settings-facts">
          <div>
            <dt>Port</dt>
            <dd>{link.simulated ? 'the simulated station (no hardware)' : link.port}</dd>
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

      {readOnly ? (
        <p className="row-note">{VIEW_ONLY_HINT}. Operators choose the controller’s port here.</p>
      ) : (
        <fieldset className="wizard-steps" disabled={connect.sending}>
          <legend className="visually-hidden">Choose the controller</legend>
          <div className="wizard-step">
            <SelectField
              label="Controller"
              value={shown.picked}
              options={pickerOptions(ports.data?.ports ?? [], current)}
              onChange={(value) => update({ picked: value as PickerValue })}
              hint={ports.loading ? 'Looking for serial ports…' : ports.data && ports.data.ports.length === 0 ? 'No serial ports found. Plug the controller in, then look again.' : undefined}
            />
            <button type="button" onClick={ports.refresh} disabled={ports.loading}>
              Look for ports again
            </button>
            {ports.problem && <p className="field-problem">{ports.problem}</p>}
          </div>
          {shown.picked === 'typed' && (
            <div className="wizard-step">
              <TextField
                label="Port path"
                value={shown.typedPath}
                spellCheck={false}
                placeholder="/dev/ttyUSB0"
                problem={'problem' in choice && shown.typedPath !== '' ? choice.problem : undefined}
                onChange={(typedPath) => update({ typedPath })}
              />
            </div>
          )}
          {shown.picked !== 'simulated' && (
            <div className="wizard-step">
              <SelectField label="Speed (baud)" value={shown.baud} options={BAUD_OPTIONS} onChange={(baud) => update({ baud })} />
            </div>
          )}
          <div className="wizard-step">
            {confirming && 'source' in choice ? (
              <ConfirmStep
                question={`Switch the station to ${describeChosen(choice.source)}?`}
                confirmLabel="Switch controller"
                cancelLabel="Keep the current one"
                onConfirm={() => void switchController()}
                onCancel={() => setConfirming(false)}
                sending={connect.sending}
                sendingNote={sendingNote}
              >
                Every output on the controller in use now is switched off first, and the choice is saved for the next start. Running or queued jobs must
                finish or be cancelled before.
              </ConfirmStep>
            ) : (
              <button
                type="button"
                className="primary"
                disabled={!('source' in choice) || sameSource(current, choice.source)}
                onClick={() => {
                  setConfirming(true);
                  setOutcome(null);
                }}
              >
                {'source' in choice && sameSource(current, choice.source) ? 'In use now' : 'Use this controller'}
              </button>
            )}
            {'problem' in choice && shown.picked !== 'typed' && <p className="field-problem">{choice.problem}</p>}
            {connect.refusal && (
              <p className="field-problem" role="alert">
                {connect.refusal}
              </p>
            )}
            {outcome && (
              <p className={outcome.opened ? 'wizard-saved' : 'field-problem'} role="status">
                {outcome.opened
                  ? `Switched to ${describeChosen(outcome.source)}. The link above shows the handshake.`
                  : `Saved, but ${describeChosen(outcome.source)} could not be opened: ${outcome.problem ?? 'no reason given'}. Tendril keeps trying; check the cable, or choose another port.`}
              </p>
            )}
          </div>
        </fieldset>
      )}
    </section>
  );
}
