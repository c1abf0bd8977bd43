import { useState } from 'react';
import { useCommand } from '../../components/use-command';
import { useViewOnly } from '../../components/view-only';
import { useStationStore } from '../../store';
import { tankVolumeUnit, useUnits } from '../../units';
import { SelectField, TextField } from '../schedules/fields';
import { useStationOptions } from '../schedules/station-options';
import { describeChange, describeSource, needsConfirmation, runJobId, runStage } from './calibration-maths';
import { CALIBRATION_INSTRUMENTS, type InstrumentKind, type Units } from './calibration-instruments';
import { useCalibrationWizards } from './calibration-wizards';
import { formatDate } from './dates';
import { RunStatus } from './run-status';
import { SaveMeasurement } from './save-measurement';

/**
 * Calibrate an instrument: run it for a known time or volume, measure what it really did, and
 * store its figure (a pump's mL/s, a flow meter's pulses per litre).
 */
export function CalibrationWizard({ kind }: { kind: InstrumentKind }) {
  const instrument = CALIBRATION_INSTRUMENTS[kind];
  const readOnly = useViewOnly();
  const options = useStationOptions();
  const { nameOf } = options;
  const system = useUnits((units) => units.system);
  const units: Units = { system, volume: tankVolumeUnit(system) };
  const wizard = useCalibrationWizards((s) => s.wizards[kind]);
  const setWizard = useCalibrationWizards((s) => s.set);
  const set = (patch: Parameters<typeof setWizard>[1]) => setWizard(kind, patch);
  const targets = instrument.target.options(options);
  const target = wizard.target || targets[0]?.value || '';
  const instrumentId = useStationStore((s) => instrument.instrumentOf(s.station, target));
  // The figure is picked out after selecting: a selector must answer the same object while nothing changed.
  const calibration = useStationStore((s) => s.station?.calibration);
  const current = instrumentId ? instrument.figureOf(calibration, instrumentId) : undefined;
  const job = useStationStore((s) => (wizard.jobId === null ? undefined : s.station?.jobs.find((candidate) => candidate.id === wizard.jobId)));
  const run = useCommand();
  const stop = useCommand();
  const save = useCommand();
  const reset = useCommand();
  // Forgetting a measured figure is asked twice: a slipped tap would undo a careful calibration.
  const [resetAsked, setResetAsked] = useState(false);

  const amount = instrument.amount.check(wizard.amount, units);
  const stage = wizard.jobId === null ? null : runStage(job);
  const measured = instrument.measured.value(wizard.measured, units);
  const reading = stage ? instrument.reading(stage) : 0;
  const result = instrument.result(reading, measured);
  const confirmNeeded = result !== null && current !== undefined && needsConfirmation(current.figure, result);

  const start = async () => {
    if (!amount.ok) return;
    const ack = await run.send(instrument.runCommand(target, amount.value));
    if (ack.ok) set({ jobId: runJobId(ack.result), measured: '', confirmed: false, saved: null });
  };

  const store = async () => {
    if (wizard.jobId === null || result === null) return;
    const ack = await save.send(instrument.saveCommand(wizard.jobId, measured, confirmNeeded ? { confirm: wizard.confirmed } : {}));
    if (!ack.ok) return;
    set({ jobId: null, measured: '', confirmed: false, saved: instrument.savedMessage(ack.result, result, instrumentId, nameOf) });
  };

  const forget = async () => {
    if (!instrumentId) return;
    const ack = await reset.send(kind === 'pump' ? { type: 'calibration.pump.reset', pumpId: instrumentId } : { type: 'calibration.flow.reset', meterId: instrumentId });
    setResetAsked(false);
    if (ack.ok) set({ saved: null });
  };

  const headingId = `${kind}-calibration-heading`;
  return (
    <section className="panel wizard" aria-labelledby={headingId}>
      <h2 id={headingId}>{instrument.heading}</h2>
      <fieldset disabled={readOnly} className="wizard-steps">
        <div className="wizard-step">
          <SelectField
            label={instrument.target.label}
            value={target}
            options={targets}
            none={instrument.target.none}
            onChange={(id) => set({ target: id, jobId: null, measured: '', saved: null })}
          />
          {target && !instrumentId && instrument.noInstrument && <p className="field-problem">{instrument.noInstrument}</p>}
          {instrumentId && current && (
            <p className="row-note">
              {instrument.figureNote(current.figure, instrumentId, nameOf)}, {describeSource(current.source, current.at, formatDate)}.
            </p>
          )}
          {instrumentId && current?.source === 'measured' && (
            <div className="editor-actions" role="group" aria-label={resetAsked ? 'Confirm the reset' : undefined}>
              {resetAsked ? (
                <>
                  <p>Forget the measured figure of {nameOf(instrumentId)}? The figure in the settings, or the default, applies again from the next job.</p>
                  <button type="button" className="danger" disabled={reset.sending} onClick={() => void forget()}>
                    Yes, reset the calibration
                  </button>
                  <button type="button" onClick={() => setResetAsked(false)}>
                    Keep the calibration
                  </button>
                </>
              ) : (
                <button type="button" onClick={() => setResetAsked(true)}>
                  Reset to default…
                </button>
              )}
              {reset.refusal && (
                <p className="field-problem" role="alert">
                  {reset.refusal}
                </p>
              )}
            </div>
          )}
        </div>

        {wizard.jobId === null ? (
          <div className="wizard-step">
            <TextField
              label={instrument.amount.label(units)}
              inputMode="decimal"
              value={wizard.amount}
              problem={amount.ok ? undefined : amount.problem}
              hint={instrument.amount.hint}
              onChange={(text) => set({ amount: text })}
            />
            <button type="button" className="primary" disabled={!target || !instrumentId || !amount.ok || run.sending} onClick={() => void start()}>
              {instrument.runLabel(nameOf(target), wizard.amount, amount, units)}
            </button>
            {run.refusal && (
              <p className="field-problem" role="alert">
                {run.refusal}
              </p>
            )}
          </div>
        ) : (
          stage && (
            <div className="wizard-step">
              <RunStatus
                stage={stage}
                what={instrument.runName}
                readOnly={readOnly}
                stopping={stop.sending}
                onStop={() => void stop.send({ type: 'job.cancel', jobId: wizard.jobId! })}
                onRestart={() => set({ jobId: null })}
              />
              {stop.refusal && <p className="field-problem">{stop.refusal}</p>}
              {stage.stage === 'measured' && (
                <>
                  <p>{instrument.readingPrompt(reading)}</p>
                  <TextField
                    label={instrument.measured.label(units)}
                    inputMode="decimal"
                    value={wizard.measured}
                    problem={wizard.measured.trim() !== '' && result === null ? instrument.measured.problem(units) : undefined}
                    onChange={(text) => set({ measured: text, confirmed: false })}
                  />
                  <SaveMeasurement
                    result={result}
                    unit={instrument.resultUnit}
                    change={current && result !== null ? describeChange(current.figure, result) : ''}
                    confirmNeeded={confirmNeeded}
                    confirmed={wizard.confirmed}
                    onConfirmed={(confirmed) => set({ confirmed })}
                    what={instrument.what}
                    saving={save.sending}
                    refusal={save.refusal}
                    onSave={() => void store()}
                    onStartOver={() => set({ jobId: null, measured: '' })}
                  />
                </>
              )}
            </div>
          )
        )}
      </fieldset>
      {wizard.saved && (
        <p className="wizard-saved" role="status">
          {wizard.saved}
        </p>
      )}
    </section>
  );
}
