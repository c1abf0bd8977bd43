import { useMemo } from 'react';
import type { Job } from '../../../../shared/station';
import { jobDetail } from '../../components/delivered-words';
import { JOB_STATE_LABELS, jobTitle, sortJobs } from '../../components/job-words';
import { useJobNames } from '../../components/use-job-names';
import { formatMoment } from '../../format';
import { useStationStore } from '../../store';

/** Jobs that ended, newest first: the last ones the station keeps live; older ones are in History. */
export function JobHistory() {
  const jobs = useStationStore((s) => s.station?.jobs);
  const finished = useMemo(() => sortJobs(jobs ?? []).finished, [jobs]);
  return (
    <section className="panel" aria-labelledby="job-history-heading">
      <h2 id="job-history-heading">Finished</h2>
      {finished.length === 0 ? (
        <p className="empty">No finished jobs yet.</p>
      ) : (
        <ol className="jobs job-history" aria-label="Finished jobs">
          {finished.map((job) => (
            <FinishedJob key={job.id} job={job} />
          ))}
        </ol>
      )}
    </section>
  );
}

function FinishedJob({ job }: { job: Job }) {
  const names = useJobNames();
  const title = jobTitle(job, names);
  const percent = Math.round(job.progress * 100);
  const detail = jobDetail(job, names);
  return (
    <li className="job" data-state={job.state}>
      <div className="job-head">
        <span className="job-title">{title}</span>
        <span className="pill job-state">{JOB_STATE_LABELS[job.state]}</span>
      </div>
      {/* How far it got: all the way, or where a failure or a cancel stopped it. */}
      {job.startedAt !== null && (
        <div className="job-progress">
          <progress max={1} value={job.progress} aria-label={title} aria-valuetext={`${percent}%`} />
          <span className="job-eta">{percent}%</span>
        </div>
      )}
      {detail && <p className="job-detail">{detail}</p>}
      <p className="row-note">
        asked by {job.requestedBy}
        {job.endedAt !== null && <> · ended {formatMoment(job.endedAt)}</>}
      </p>
    </li>
  );
}
