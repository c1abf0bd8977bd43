import { useMemo } from 'react';
import { JobList } from '../../components/JobList';
import { sortJobs } from '../../components/job-words';
import { useStationStore } from '../../store';
import { JobHistory } from './JobHistory';
import { RecipeList } from './RecipeList';
import { StartJob } from './StartJob';

export function JobsScreen() {
  const hasStation = useStationStore((s) => s.station !== null);
  if (!hasStation) return <p className="empty waiting">Waiting for the station…</p>;
  return (
    <div className="jobs-screen">
      <div className="jobs-column">
        <StartJob />
        <RecipeList />
      </div>
      <div className="jobs-column">
        <JobQueue />
        <JobHistory />
      </div>
    </div>
  );
}

function JobQueue() {
  const jobs = useStationStore((s) => s.station?.jobs);
  const { active, queued } = useMemo(() => sortJobs(jobs ?? []), [jobs]);
  return (
    <section className="panel" aria-labelledby="job-queue-heading">
      <h2 id="job-queue-heading">Running and waiting</h2>
      <JobList jobs={active} label="Running jobs" empty="Nothing running." />
      <h3 className="subheading">Waiting</h3>
      <JobList jobs={queued} label="Queue" empty="No jobs waiting." />
    </section>
  );
}
