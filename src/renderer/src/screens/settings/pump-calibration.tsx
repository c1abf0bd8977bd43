import { CALIBRATION_SECONDS_SCHEMA } from '../../../../shared/jobs';
import { describeIssue } from '../../../../shared/commands';
import { useCommand } from '../../components/use-command';
import { useViewOnly } from '../../components/view-only';
import { useStationStore } from '../../store';
import { SelectField, TextField } from '../schedules/fields';
import { numberFrom } from '../../job-spec-form';
import { useStationOptions } from '../schedules/station-options';
import { describeChange, describeSource, mlPerSecondFrom, needsConfirmation, runJobId, runStage } from './calibration-maths';
import { useCalibrationWizards } from './calibration-wizards';
import { formatDate } from './dates';
import { RunStatus } from './run-status';
import { SaveMeasurement } from './save-measurement';

/** Run a pump into a measuring cylinder for a known time, measure, and store its mL/s. */
export function PumpCalibration() {
  const readOnly = useViewOnly();
  const { pumps, nameOf } = useStationOptions();
  const wizard = useCalibrationWizards((s) => s.pump);
  const set = useCalibrationWizards((s) => s.setPump);
  const pumpId = wizard.pumpId || pumps[0]?.value || '';
  const current = useStationStore((s) => s.station?.calibration.pumps[pumpId]);
  const job = useStationStore((s) => (wizard.jobId === null ? undefined : s.station?.jobs.find((candidate) => candidate.id === wizard.jobId)));
  const run = useCommand();
  const stop = useCommand();
  const save = useCommand();

  const seconds = CALIBRATION_SECONDS_SCHEMA.safeParse(numberFrom(wizard.seconds));
  const secondsProblem = seconds.success ? undefined : describeIssue(seconds.error.issues[0]);
  const stage = wizard.jobId === null ? null : runStage(job);
  const measuredMl = Number(numberFrom(wizard.measuredMl));
  const ranFor = stage?.stage === 'measured' ? (stage.seconds ?? 0) : 0;
  const result = mlPerSecondFrom(measuredMl, ranFor);
  const confirmNeeded = result !== null && current !== undefined && needsConfirmation(current.mlPerSecond, result);
  const pumpName = nameOf(pumpId);

  const start = async () => {
    if (!seconds.success) return;
    const ack = await run.send({ type: 'calibration.pump.run', pumpId, seconds: seconds.data });
    if (ack.ok) set({ jobId: runJobId(ack.result), measuredMl: '', confirmed: false, saved: null });
  };

  const store = async () => {
    if (wizard.jobId === null || result === null) return;
    const ack = await save.send({ type: 'calibration.pump.save', jobId: wizard.jobId, measuredMl, ...(confirmNeeded ? { confirm: wizard.confirmed } : {}) });
    if (!ack.ok) return;
    const saved = (ack.result as { mlPerSecond?: unknown } | undefined)?.mlPerSecond;
    set({ jobId: null, measuredMl: '', confirmed: false, saved: `Saved: ${pumpName} now doses ${typeof saved === 'number' ? saved : result} mL/s.` });
  };

  return (
    <section className="panel wizard" aria-labelledby="pump-calibration-heading">
      <h2 id="pump-calibration-heading">Calibrate a dosing pump</h2>
      <fieldset disabled={readOnly} className="wizard-steps">
        <div className="wizard-step">
          <SelectField
            label="Pump to calibrate"
            value={pumpId}
            options={pumps}
            none="no pumps reported"
            onChange={(id) => set({ pumpId: id, jobId: null, measuredMl: '', saved: null })}
          />
          {current && (
            <p className="row-note">
              Now {current.mlPerSecond} mL/s, {describeSource(current.source, current.at, formatDate)}.
            </p>
          )}
        </div>

        {wizard.jobId === null ? (
          <div className="wizard-step">
            <TextField
              label="Run for (s)"
              inputMode="decimal"
              value={wizard.seconds}
              problem={secondsProblem}
              hint="Put the pump’s outlet in a measuring cylinder first. Longer runs measure more precisely."
              onChange={(text) => set({ seconds: text })}
            />
            <button type="button" className="primary" disabled={!pumpId || !seconds.success || run.sending} onClick={() => void start()}>
              Run {pumpName || 'pump'} for {seconds.success ? seconds.data : '…'} s
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
                what="Pump run"
                readOnly={readOnly}
                stopping={stop.sending}
                onStop={() => void stop.send({ type: 'job.cancel', jobId: wizard.jobId! })}
                onRestart={() => set({ jobId: null })}
              />
              {stop.refusal && <p className="field-problem">{stop.refusal}</p>}
              {stage.stage === 'measured' && (
                <>
                  <p>The pump ran for {ranFor.toFixed(1)} s. How much did it pump?</p>
                  <TextField
                    label="Measured volume (mL)"
                    inputMode="decimal"
                    value={wizard.measuredMl}
                    problem={wizard.measuredMl.trim() !== '' && result === null ? 'enter the millilitres in the cylinder, a number more than 0' : undefined}
                    onChange={(text) => set({ measuredMl: text, confirmed: false })} />
                  <SaveMeasurement
                    result={result}
                    unit="mL/s"
                    change={current && result !== null ? describeChange(current.mlPerSecond, result) : ''}
                    confirmNeeded={confirmNeeded}
                    confirmed={wizard.confirmed}
                    onConfirmed={(confirmed) => set({ confirmed })}
                    what="pump"
                    saving={save.sending}
                    refusal={save.refusal}
                    onSave={() => void store()}
                    onStartOver={() => set({ jobId: null, measuredMl: '' })}
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
