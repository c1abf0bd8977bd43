import { JOB_KIND_LABELS, tankLimitHint, type JobDraft, type JobKind } from '../../job-spec-form';
import { tankVolumeUnit } from '../../units';
import { amountProblem } from '../../field-words';
import type { Problems } from './form-problems';
import { SelectField, TextField } from './fields';
import type { StationOptions } from './station-options';

interface JobFieldsProps {
  draft: JobDraft;
  onChange: (draft: JobDraft) => void;
  /** Problems keyed relative to the job ("ml", "tankId"). */
  problems: Problems;
  /** A recipe step may not start another recipe. */
  kinds: readonly JobKind[];
  options: StationOptions;
  /** Prefixes labels where several jobs share a screen: "Step 3 volume (mL)". */
  labelPrefix?: string;
}

/** The fields of one job, for the kind chosen; the others keep their text out of sight. */
export function JobFields({ draft, onChange, problems, kinds, options, labelPrefix = '' }: JobFieldsProps) {
  const set = (patch: Partial<JobDraft>) => onChange({ ...draft, ...patch });
  const label = (text: string) => (labelPrefix ? `${labelPrefix} ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text);
  const kindOptions = kinds.map((kind) => ({ value: kind, label: JOB_KIND_LABELS[kind] }));
  return (
    <div className="job-fields">
      <SelectField label={label('Job')} value={draft.kind} options={kindOptions} problem={problems.kind} onChange={(kind) => set({ kind: kind as JobKind })} />
      {draft.kind === 'dose' && (
        <>
          <SelectField label={label('Pump')} value={draft.pumpId} options={options.pumps} none="no pumps reported" problem={problems.pumpId} onChange={(pumpId) => set({ pumpId })} />
          <TextField label={label('Volume (mL)')} inputMode="decimal" value={draft.ml} problem={amountProblem('ml', problems.ml, options.units)} onChange={(ml) => set({ ml })} />
        </>
      )}
      {draft.kind === 'fill' && (
        <>
          <SelectField label={label('Tank')} value={draft.tankId} options={options.tanks} none="no tanks configured" problem={problems.tankId} onChange={(tankId) => set({ tankId })} />
          <TextField label={label(`Water to add (${tankVolumeUnit(options.units)})`)} inputMode="decimal" value={draft.liters} problem={amountProblem('liters', problems.liters, options.units)} onChange={(liters) => set({ liters })} />
        </>
      )}
      {(draft.kind === 'drain' || draft.kind === 'fill-to' || draft.kind === 'drain-to') && (
        <>
          <SelectField label={label('Tank')} value={draft.tankId} options={options.tanks} none="no tanks configured" problem={problems.tankId} onChange={(tankId) => set({ tankId })} />
          {draft.kind === 'drain' ? (
            <TextField
              label={label(`Water to let out (${tankVolumeUnit(options.units)})`)}
              inputMode="decimal"
              value={draft.liters}
              problem={amountProblem('liters', problems.liters, options.units)}
              hint={tankLimitHint(options.tables, draft.tankId, draft.kind, options.units)}
              onChange={(liters) => set({ liters })}
            />
          ) : (
            <TextField
              label={label(`${draft.kind === 'fill-to' ? 'Fill' : 'Drain'} to (${tankVolumeUnit(options.units)})`)}
              inputMode="decimal"
              value={draft.toLiters}
              problem={amountProblem('toLiters', problems.toLiters, options.units)}
              hint={tankLimitHint(options.tables, draft.tankId, draft.kind, options.units)}
              onChange={(toLiters) => set({ toLiters })}
            />
          )}
        </>
      )}
      {draft.kind === 'mix' && (
        <>
          <SelectField label={label('Relay')} value={draft.relayId} options={options.relays} none="no relays reported" problem={problems.relayId} onChange={(relayId) => set({ relayId })} />
          <TextField label={label('Run for (s)')} inputMode="numeric" value={draft.seconds} problem={amountProblem('seconds', problems.seconds, options.units)} onChange={(seconds) => set({ seconds })} />
        </>
      )}
      {draft.kind === 'adjust-ph' && (
        <>
          <SelectField label={label('Tank')} value={draft.tankId} options={options.tanks} none="no tanks configured" problem={problems.tankId} onChange={(tankId) => set({ tankId })} />
          <TextField label={label('Target pH')} inputMode="decimal" value={draft.phTarget} problem={problems.target} onChange={(phTarget) => set({ phTarget })} />
          <TextField label={label('Band (± pH)')} inputMode="decimal" value={draft.phBand} problem={problems.band} onChange={(phBand) => set({ phBand })} />
        </>
      )}
      {draft.kind === 'adjust-ec' && (
        <>
          <SelectField label={label('Tank')} value={draft.tankId} options={options.tanks} none="no tanks configured" problem={problems.tankId} onChange={(tankId) => set({ tankId })} />
          <TextField label={label('Target EC (mS/cm)')} inputMode="decimal" value={draft.ecTarget} problem={problems.target} onChange={(ecTarget) => set({ ecTarget })} />
          <TextField label={label('Band (± mS/cm)')} inputMode="decimal" value={draft.ecBand} problem={problems.band} onChange={(ecBand) => set({ ecBand })} />
        </>
      )}
      {draft.kind === 'recipe' && (
        <SelectField label={label('Recipe')} value={draft.recipeId} options={options.recipes} none="no recipes saved" problem={problems.recipeId} onChange={(recipeId) => set({ recipeId })} />
      )}
    </div>
  );
}
