import { SIMPLE_JOB_KINDS, tankLimitHint } from '../../job-spec-form';
import { tankVolumeUnit } from '../../units';
import { SelectField, TextField } from './fields';
import { problemsUnder, type Problems } from './form-problems';
import { JobFields } from './job-fields';
import { readingScale, STEP_KIND_LABELS, type StepDraft, type StepKind } from './recipe-draft';
import type { StationOptions } from './station-options';

const STEP_KINDS = (Object.keys(STEP_KIND_LABELS) as StepKind[]).map((kind) => ({ value: kind, label: STEP_KIND_LABELS[kind] }));

interface StepFieldsProps {
  step: StepDraft;
  index: number;
  count: number;
  problems: Problems;
  options: StationOptions;
  onChange: (step: StepDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

export function StepFields({ step, index, count, problems, options, onChange, onMove, onRemove }: StepFieldsProps) {
  const n = index + 1;
  const name = `Step ${n}`;
  const set = (patch: Partial<StepDraft>) => onChange({ ...step, ...patch });
  const { unit } = readingScale(options.tables.channels.find((channel) => channel.id === step.sensorId), options.units);
  const inUnit = unit ? ` (${unit})` : '';
  return (
    <li className="step">
      <fieldset>
        <legend>{name}</legend>
        <SelectField label={`${name} kind`} value={step.kind} options={STEP_KINDS} onChange={(kind) => set({ kind: kind as StepKind })} />
        {step.kind === 'job' && (
          <JobFields draft={step.job} onChange={(job) => set({ job })} problems={problemsUnder(problems, 'job')} kinds={SIMPLE_JOB_KINDS} options={options} labelPrefix={name} />
        )}
        {step.kind === 'wait' && <TextField label={`${name} wait (s)`} inputMode="numeric" value={step.seconds} problem={problems.seconds} onChange={(seconds) => set({ seconds })} />}
        {step.kind === 'wait-in-band' && (
          <>
            <SelectField label={`${name} sensor`} value={step.sensorId} options={options.sensors} none="no sensors reported" problem={problems.sensorId} onChange={(sensorId) => set({ sensorId })} />
            <TextField label={`${name} lowest reading${inUnit}`} inputMode="decimal" value={step.min} problem={problems.min} onChange={(min) => set({ min })} />
            <TextField label={`${name} highest reading${inUnit}`} inputMode="decimal" value={step.max} problem={problems.max} onChange={(max) => set({ max })} />
            <TextField
              label={`${name} give up after (s)`}
              inputMode="numeric"
              value={step.timeoutSeconds}
              problem={problems.timeoutSeconds}
              hint="The recipe fails, and says so, if the reading is not in range by then."
              onChange={(timeoutSeconds) => set({ timeoutSeconds })}
            />
          </>
        )}
        {step.kind === 'water-change' && (
          <>
            <SelectField label={`${name} tank`} value={step.job.tankId} options={options.tanks} none="no tanks configured" problem={problems.tankId} onChange={(tankId) => set({ job: { ...step.job, tankId } })} />
            <TextField
              label={`${name} fill to (${tankVolumeUnit(options.units)})`}
              inputMode="decimal"
              value={step.job.toLiters}
              problem={problems.toLiters}
              hint={`Drains to the floor first. ${tankLimitHint(options.tables, step.job.tankId, 'drain-to', options.units) ?? ''}`.trim()}
              onChange={(toLiters) => set({ job: { ...step.job, toLiters } })}
            />
          </>
        )}
        {step.kind === 'notify' && <TextField label={`${name} message`} value={step.message} problem={problems.message} onChange={(message) => set({ message })} />}
        <div className="step-actions">
          <button type="button" aria-label={`Move step ${n} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑ Up
          </button>
          <button type="button" aria-label={`Move step ${n} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓ Down
          </button>
          <button type="button" className="danger-quiet" aria-label={`Remove step ${n}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      </fieldset>
    </li>
  );
}
