import { CALIBRATION_LITERS_SCHEMA } from '../../../../shared/jobs';
import { describeIssue } from '../../../../shared/commands';
import type { StationState } from '../../../../shared/station';
import { useCommand } from '../../components/use-command';
import { useViewOnly } from '../../components/view-only';
import { useStationStore } from '../../store';
import { litersFrom, tankVolumeUnit, useUnits } from '../../units';
import { SelectField, TextField } from '../schedules/fields';
import { numberFrom } from '../../job-spec-form';
import { useStationOptions } from '../schedules/station-options';
import { describeChange, describeSource, needsConfirmation, pulsesPerLiterFrom, runJobId, runStage } from './calibration-maths';
import { useCalibrationWizards } from './calibration-wizards';
import { formatDate } from './dates';
import { RunStatus } from './run-status';
import { SaveMeasurement } from './save-measurement';

/** The meter a tank's fills count on: as plumbed, or the tank's only flow channel. */
export function tankFlowMeter(station: StationState | null, tankId: string): string | undefined {
  const tank = station?.tanks.find((candidate) => candidate.id === tankId);
  if (!tank) return undefined;
  return tank.plumbing?.flowMeter ?? station?.channels.find((channel) => channel.kind === 'flow' && tank.channelIds.includes(channel.id))?.id;
}

/** Fill a known volume through a tank's meter, measure it, and store the meter's pulses per litre. */
export function FlowCalibration() {
  const readOnly = useViewOnly();
  const { tanks, nameOf } = useStationOptions();
  const system = useUnits((units) => units.system);
  const unit = tankVolumeUnit(system);
  const wizard = useCalibrationWizards((s) => s.flow);
  const set = useCalibrationWizards((s) => s.setFlow);
  const tankId = wizard.tankId || tanks[0]?.value || '';
  const meterId = useStationStore((s) => tankFlowMeter(s.station, tankId));
  const current = useStationStore((s) => (meterId ? s.station?.calibration.flowMeters[meterId] : undefined));
  const job = useStationStore((s) => (wizard.jobId === null ? undefined : s.station?.jobs.find((candidate) => candidate.id === wizard.jobId)));
  const run = useCommand();
  const stop = useCommand();
  const save = useCommand();

  const typed = numberFrom(wizard.volume);
  const liters = CALIBRATION_LITERS_SCHEMA.safeParse(typeof typed === 'number' ? litersFrom(typed, system) : typed);
  const litersProblem = liters.success ? undefined : describeIssue(liters.error.issues[0]);
  const stage = wizard.jobId === null ? null : runStage(job);
  const measuredTyped = Number(numberFrom(wizard.measured));
  const measuredLiters = Number.isFinite(measuredTyped) ? litersFrom(measuredTyped, system) : Number.NaN;
  const pulses = stage?.stage === 'measured' ? (stage.pulses ?? 0) : 0;
  const result = pulsesPerLiterFrom(pulses, measuredLiters);
  const confirmNeeded = result !== null && current !== undefined && needsConfirmation(current.pulsesPerLiter, result);

  const start = async () => {
    if (!liters.success) return;
    const ack = await run.send({ type: 'calibration.flow.run', tankId, liters: liters.data });
    if (ack.ok) set({ jobId: runJobId(ack.result), measured: '', confirmed: false, saved: null });
  };

  const store = async () => {
    if (wizard.jobId === null || result === null) return;
    const ack = await save.send({ type: 'calibration.flow.save', jobId: wizard.jobId, measuredLiters, ...(confirmNeeded ? { confirm: wizard.confirmed } : {}) });
    if (!ack.ok) return;
    const answer = ack.result as { meterId?: unknown; pulsesPerLiter?: unknown } | undefined;
    const meter = typeof answer?.meterId === 'string' ? answer.meterId : (meterId ?? '');
    const figure = typeof answer?.pulsesPerLiter === 'number' ? answer.pulsesPerLiter : result;
    set({ jobId: null, measured: '', confirmed: false, saved: `Saved: ${nameOf(meter)} now counts ${figure} pulses per litre.` });
  };

  return (
    <section className="panel wizard" aria-labelledby="flow-calibration-heading">
      <h2 id="flow-calibration-heading">Calibrate a flow meter</h2>
      <fieldset disabled={readOnly} className="wizard-steps">
        <div className="wizard-step">
          <SelectField label="Tank to fill" value={tankId} options={tanks} none="no tanks configured" onChange={(id) => set({ tankId: id, jobId: null, measured: '', saved: null })} />
          {tankId && !meterId && <p className="field-problem">This tank has no flow meter, so its fills cannot be calibrated.</p>}
          {meterId && current && (
            <p className="row-note">
              {nameOf(meterId)}: now {current.pulsesPerLiter} pulses/L, {describeSource(current.source, current.at, formatDate)}.
            </p>
          )}
        </div>

        {wizard.jobId === null ? (
          <div className="wizard-step">
            <TextField
              label={`Fill about (${unit})`}
              inputMode="decimal"
              value={wizard.volume}
              problem={litersProblem}
              hint="Make room for it in the tank, or fill into a container you can measure. The valve closes when the meter has counted about this much."
              onChange={(text) => set({ volume: text })}
            />
            <button type="button" className="primary" disabled={!tankId || !meterId || !liters.success || run.sending} onClick={() => void start()}>
              Fill {nameOf(tankId) || 'tank'} with about {wizard.volume.trim() || '…'} {unit}
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
                what="Calibration fill"
                readOnly={readOnly}
                stopping={stop.sending}
                onStop={() => void stop.send({ type: 'job.cancel', jobId: wizard.jobId! })}
                onRestart={() => set({ jobId: null })}
              />
              {stop.refusal && <p className="field-problem">{stop.refusal}</p>}
              {stage.stage === 'measured' && (
                <>
                  <p>The meter counted {pulses.toLocaleString()} pulses. How much water went in?</p>
                  <TextField
                    label={`Measured water (${unit})`}
                    inputMode="decimal"
                    value={wizard.measured}
                    problem={wizard.measured.trim() !== '' && result === null ? `enter the ${unit === 'L' ? 'litres' : 'gallons'} that went in, a number more than 0` : undefined}
                    onChange={(text) => set({ measured: text, confirmed: false })}
                  />
                  <SaveMeasurement
                    result={result}
                    unit="pulses/L"
                    change={current && result !== null ? describeChange(current.pulsesPerLiter, result) : ''}
                    confirmNeeded={confirmNeeded}
                    confirmed={wizard.confirmed}
                    onConfirmed={(confirmed) => set({ confirmed })}
                    what="flow meter"
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
