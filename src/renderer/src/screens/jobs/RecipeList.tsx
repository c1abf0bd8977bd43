import { useRef, useState } from 'react';
import type { Recipe } from '../../../../shared/jobs';
import { ConfirmStep } from '../../components/ConfirmStep';
import { recipeSummary } from '../../components/job-words';
import { useCommand, useSendingNote } from '../../components/use-command';
import { useJobNames } from '../../components/use-job-names';
import { useViewOnly, VIEW_ONLY_HINT } from '../../components/view-only';
import { useStationStore } from '../../store';

/** Saved recipes, ready to run. They are written and changed on the Schedules screen. */
export function RecipeList() {
  const recipes = useStationStore((s) => s.station?.recipes);
  return (
    <section className="panel" aria-labelledby="recipes-heading">
      <h2 id="recipes-heading">Recipes</h2>
      {(recipes ?? []).length === 0 ? (
        <p className="empty">No recipes saved yet. Write one on the Schedules screen.</p>
      ) : (
        <ul className="rows">
          {recipes!.map((recipe) => (
            <RecipeRow key={recipe.id} recipe={recipe} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** A recipe doses, so a run reads its steps back first, like a single dose does. */
function RecipeRow({ recipe }: { recipe: Recipe }) {
  const names = useJobNames();
  const viewOnly = useViewOnly();
  const [asking, setAsking] = useState(false);
  const [started, setStarted] = useState<number | null>(null);
  const sendingNote = useSendingNote();
  const { send, sending, refusal } = useCommand();
  const trigger = useRef<HTMLButtonElement>(null);

  const back = () => {
    setAsking(false);
    requestAnimationFrame(() => trigger.current?.focus());
  };

  const run = async () => {
    const ack = await send({ type: 'job.start', job: { kind: 'recipe', recipeId: recipe.id } });
    back();
    if (ack.ok) setStarted((ack.result as { job?: { id?: number } } | undefined)?.job?.id ?? 0);
  };

  return (
    <li className="row recipe">
      <span className="row-name">{recipe.name}</span>
      <span className="row-note">{recipe.steps.length === 1 ? '1 step' : `${recipe.steps.length} steps`}</span>
      {!asking && (
        <button
          ref={trigger}
          type="button"
          aria-label={`Run ${recipe.name}`}
          disabled={viewOnly}
          title={viewOnly ? VIEW_ONLY_HINT : undefined}
          onClick={() => {
            setStarted(null);
            setAsking(true);
          }}
        >
          Run…
        </button>
      )}
      {asking && (
        <ConfirmStep question={`Run ${recipe.name} now?`} confirmLabel="Confirm run" cancelLabel="Don't run" sending={sending} sendingNote={sendingNote} onConfirm={() => void run()} onCancel={back}>
          {recipeSummary(recipe.steps, names)}
        </ConfirmStep>
      )}
      {started !== null && (
        <p className="form-done" role="status">
          {started ? `Started as job ${started}.` : 'Started.'}
        </p>
      )}
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </li>
  );
}
