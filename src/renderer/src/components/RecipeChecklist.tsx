import type { Recipe } from '../../../shared/jobs';
import type { Job } from '../../../shared/station';
import { useStationStore } from '../store';
import { adjustmentProgress } from './job-words';
import { recipeChecklist } from './recipe-progress';
import { useJobNames } from './use-job-names';

const MARKS = { done: '✓', running: '▶', paused: '❚❚', 'to do': '○' } as const;

/** A running recipe's steps, each done, running or still to do; an adjustment running says where it stands. */
export function RecipeChecklist({ job, recipe }: { job: Job; recipe: Recipe }) {
  const names = useJobNames();
  const tanks = useStationStore((s) => s.station?.tanks);
  const readings = useStationStore((s) => s.station?.readings);
  return (
    <ol className="recipe-checklist" aria-label={`Steps of ${recipe.name}`}>
      {recipeChecklist(recipe.steps, job, names).map((step, index) => {
        const now = step.status === 'running' || step.status === 'paused';
        const source = recipe.steps[index];
        const reading = now && source?.kind === 'job' ? adjustmentProgress(source.job, tanks ?? [], readings ?? {}) : null;
        return (
          <li key={index} data-status={step.status} aria-current={now ? 'step' : undefined}>
            <span className="step-mark" aria-hidden="true">
              {MARKS[step.status]}
            </span>
            <span className="step-words">
              {step.words}
              {reading && <span className="job-reading step-reading">{reading}</span>}
            </span>
            <span className="step-status">{step.status}</span>
          </li>
        );
      })}
    </ol>
  );
}
