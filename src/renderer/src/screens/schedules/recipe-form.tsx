import { useMemo, useState, type FormEvent } from 'react';
import { TextField, SelectField } from './fields';
import { firstProblemWords } from '../../field-words';
import { problemsUnder } from './form-problems';
import { STEP_KIND_LABELS, addStep, checkRecipe, moveStep, removeStep, replaceStep, type RecipeDraft, type StepKind } from './recipe-draft';
import { StepFields } from './step-fields';
import { useStationOptions } from './station-options';
import { useViewOnly } from '../../components/view-only';
import { useStationStore } from '../../store';
import { abPauseShortfall, abPauseWords, nutrientPumpsOf } from '../../../../shared/jobs';
import { useCommand } from '../../components/use-command';

const STEP_KINDS = (Object.keys(STEP_KIND_LABELS) as StepKind[]).map((kind) => ({ value: kind, label: STEP_KIND_LABELS[kind] }));

interface RecipeFormProps {
  initial: RecipeDraft;
  takenIds: ReadonlySet<string>;
  onClose: () => void;
}

export function RecipeForm({ initial, takenIds, onClose }: RecipeFormProps) {
  const options = useStationOptions();
  const readOnly = useViewOnly();
  const { sending: busy, refusal: error, send } = useCommand();
  const [draft, setDraft] = useState(initial);
  const [edited, setEdited] = useState(false);
  const [triedToSave, setTriedToSave] = useState(false);
  const [newKind, setNewKind] = useState<StepKind>('job');

  const isNew = initial.id === '';
  const check = useMemo(() => checkRecipe(draft, takenIds, options), [draft, takenIds, options]);
  // The station refuses two nutrients closer than the A/B pause; say so as the grower types.
  const abPauseMs = useStationStore((s) => s.station?.limits.loop.abPauseMs);
  const tooSoon = useMemo(() => {
    if (abPauseMs === undefined) return null;
    const nutrients = nutrientPumpsOf(options.tables.tanks, options.tables.channels);
    const steps = check.ok ? check.recipe.steps : [];
    const shortfall = abPauseShortfall(steps, (pumpId) => nutrients.has(pumpId), abPauseMs);
    return shortfall ? abPauseWords(shortfall, abPauseMs, options.nameOf) : null;
  }, [check, abPauseMs, options]);
  const shown = edited || triedToSave ? check.problems : {};

  const update = (next: (current: RecipeDraft) => RecipeDraft) => {
    setDraft(next);
    setEdited(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTriedToSave(true);
    if (!check.ok || tooSoon || readOnly) return;
    const ack = await send({ type: isNew ? 'recipe.create' : 'recipe.update', recipe: check.recipe });
    if (ack.ok) onClose();
  };

  const summary = triedToSave && !check.ok ? firstProblemWords(check.problems, options.units) : undefined;

  return (
    <form className="panel editor" aria-labelledby="recipe-form-heading" onSubmit={(event) => void save(event)} noValidate>
      <h2 id="recipe-form-heading">{isNew ? 'New recipe' : `Recipe ${initial.name}`}</h2>
      <fieldset className="editor-fields" disabled={readOnly}>
        <TextField label="Recipe name" value={draft.name} problem={shown.name ?? shown.id} onChange={(name) => update((d) => ({ ...d, name }))} />
        {shown.steps && <p className="field-problem">{shown.steps}</p>}
        {tooSoon && <p className="field-problem">{tooSoon.charAt(0).toUpperCase() + tooSoon.slice(1)}</p>}
        <ol className="steps" aria-label="Steps, in the order they run">
          {draft.steps.map((step, index) => (
            <StepFields
              key={step.key}
              step={step}
              index={index}
              count={draft.steps.length}
              problems={problemsUnder(shown, `steps.${index}`)}
              options={options}
              onChange={(changed) => update((d) => ({ ...d, steps: replaceStep(d.steps, index, changed) }))}
              onMove={(by) => update((d) => ({ ...d, steps: moveStep(d.steps, index, by) }))}
              onRemove={() => update((d) => ({ ...d, steps: removeStep(d.steps, index) }))}
            />
          ))}
        </ol>
        <div className="add-step">
          <SelectField label="New step" value={newKind} options={STEP_KINDS} onChange={(kind) => setNewKind(kind as StepKind)} />
          <button type="button" onClick={() => update((d) => ({ ...d, steps: addStep(d.steps, newKind, options.defaults) }))}>
            Add step
          </button>
        </div>
      </fieldset>
      <div className="editor-actions">
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {isNew ? 'Create recipe' : 'Save recipe'}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
        {busy && <span className="row-note">Saving…</span>}
      </div>
      {(summary || error) && (
        <p className="field-problem" role="alert">
          {error ?? `Not saved yet: ${summary}`}
        </p>
      )}
    </form>
  );
}
