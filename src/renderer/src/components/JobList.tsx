import { useId } from 'react';
import type { Job } from '../../../shared/station';
import { formatEta } from '../format';
import { JobControls } from './JobControls';
import { adjustmentProgress, JOB_STATE_LABELS, jobTitle } from './job-words';
import { recipeOf, recipeTimeLeft, timeLeftWords } from './recipe-progress';
import { RecipeChecklist } from './RecipeChecklist';
import { runningDetail } from './running-detail';
import { useStationStore } from '../store';
import { useJobNames } from './use-job-names';
import { volumesIn } from '../volume-words';

/** Jobs that run or wait: what each is doing, how far along, and its controls. */
export function JobList({ jobs, label, empty }: { jobs: readonly Job[]; label: string; empty: string }) {
  if (jobs.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul className="jobs" aria-label={label}>
      {jobs.map((job) => (
        <JobItem key={job.id} job={job} />
      ))}
    </ul>
  );
}

function JobItem({ job }: { job: Job }) {
  const names = useJobNames();
  const titleId = useId();
  const title = jobTitle(job, names);
  const percent = Math.round(job.progress * 100);
  const started = job.state !== 'queued';
  const recipes = useStationStore((s) => s.station?.recipes);
  const pumps = useStationStore((s) => s.station?.calibration.pumps);
  const recipe = recipeOf(job, recipes ?? []);
  const detail = runningDetail(volumesIn(job.detail, names.units), started && recipe !== null);
  // The station cannot time a recipe as a whole; its steps, timed one by one, can.
  const timeLeft = job.state === 'paused' ? 'paused' : recipe ? timeLeftWords(recipeTimeLeft(recipe.steps, job.progress, pumps ?? {})) : formatEta(job.etaMs);
  return (
    <li className="job" data-state={job.state} aria-labelledby={titleId}>
      <div className="job-head">
        <span className="job-title" id={titleId}>
          {title}
        </span>
        <span className="pill job-state">{JOB_STATE_LABELS[job.state]}</span>
      </div>
      {started && (
        <div className="job-progress">
          <progress max={1} value={job.progress} aria-label={title} aria-valuetext={`${percent}%, ${timeLeft}`} />
          <span className="job-eta">
            {percent}% · {timeLeft}
          </span>
        </div>
      )}
      {started && <AdjustmentProgress job={job} />}
      {started && recipe && <RecipeChecklist job={job} recipe={recipe} />}
      {detail && <p className="job-detail">{detail}</p>}
      <div className="job-foot">
        <span className="row-note">asked by {job.requestedBy}</span>
        <JobControls job={job} />
      </div>
    </li>
  );
}

/** An adjustment's reading and target, live from its tank's probe. */
function AdjustmentProgress({ job }: { job: Job }) {
  const tanks = useStationStore((s) => s.station?.tanks);
  const readings = useStationStore((s) => s.station?.readings);
  const progress = adjustmentProgress(job.spec, tanks ?? [], readings ?? {});
  return progress ? <p className="job-reading">{progress}</p> : null;
}
