import type { Job } from '../../../shared/station';
import { useCommand } from './use-command';
import { useViewOnly, VIEW_ONLY_HINT } from './view-only';

/**
 * Pause, resume and cancel, as the job's state allows: only a running job pauses, only a paused
 * one resumes. Cancelling asks nothing: it stops outputs, which is always safe.
 */
export function JobControls({ job }: { job: Job }) {
  const viewOnly = useViewOnly();
  const { send, sending, refusal } = useCommand();
  const hint = viewOnly ? VIEW_ONLY_HINT : undefined;
  const disabled = viewOnly || sending;
  return (
    <div className="job-controls">
      {job.state === 'running' && (
        <button type="button" aria-label={`Pause job ${job.id}`} title={hint} disabled={disabled} onClick={() => void send({ type: 'job.pause', jobId: job.id })}>
          Pause
        </button>
      )}
      {job.state === 'paused' && (
        <button type="button" aria-label={`Resume job ${job.id}`} title={hint} disabled={disabled} onClick={() => void send({ type: 'job.resume', jobId: job.id })}>
          Resume
        </button>
      )}
      <button type="button" className="danger-quiet" aria-label={`Cancel job ${job.id}`} title={hint} disabled={disabled} onClick={() => void send({ type: 'job.cancel', jobId: job.id })}>
        Cancel
      </button>
      {refusal && (
        <p className="row-problem" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
