import type { Recipe } from '../../../shared/jobs';
import type { Job } from '../../../shared/station';
import { recipeChecklist } from './recipe-progress';
import { useJobNames } from './use-job-names';

const MARKS = { done: '✓', running: '▶', paused: '❚❚', 'to do': '○' } as const;

/** A running recipe's steps, each done, running or still to do. */
export function RecipeChecklist({ job, recipe }: { job: Job; recipe: Recipe }) {
  const names = useJobNames();
  return (
    <ol className="recipe-checklist" aria-label={`Steps of ${recipe.name}`}>
      {recipeChecklist(recipe.steps, job, names).map((step, index) => (
        <li key={index} data-status={step.status} aria-current={step.status === 'running' || step.status === 'paused' ? 'step' : undefined}>
          <span className="step-mark" aria-hidden="true">
            {MARKS[step.status]}
          </span>
          <span className="step-words">{step.words}</span>
          <span className="step-status">{step.status}</span>
        </li>
      ))}
    </ol>
  );
}
