import { useMemo } from 'react';
import { JobList } from '../../components/JobList';
import { sortJobs } from '../../components/job-words';
import { useStationStore } from '../../store';

/** What runs now and what waits its turn; ended jobs are on the Jobs screen. */
export function CurrentJobs() {
  const jobs = useStationStore((s) => s.station?.jobs);
  const { active, queued } = useMemo(() => sortJobs(jobs ?? []), [jobs]);
  return (
    <section className="panel" aria-labelledby="current-jobs-heading">
      <h2 id="current-jobs-heading">Running now</h2>
      <JobList jobs={active} label="Running jobs" empty="Nothing running." />
      {queued.length > 0 && (
        <>
          <h3 className="subheading">Waiting ({queued.length})</h3>
          <JobList jobs={queued} label="Queue" empty="" />
        </>
      )}
    </section>
  );
}
