import { useEffect, useMemo, useState } from 'react';
import { MAX_JOBS, jobsPath } from '../../../../shared/records';
import type { Channel } from '../../../../shared/station';
import { namesFrom } from '../../components/job-words';
import { useStationStore } from '../../store';
import { useUnits } from '../../units';
import type { ChartSpan } from './chart-data';
import { chartMarks, type ChartMark, type MarkedJob } from './chart-marks';
import { records } from './history-source';

/**
 * The station's recent jobs from its records, asked again with the charts (`asOf`). The live
 * state's jobs are added in `useChartMarks`, so a dose started while the screen is open is marked
 * at once. A station that cannot answer leaves the charts unmarked rather than unreadable.
 */
export function useJobRecords(asOf: number): readonly MarkedJob[] {
  const [jobs, setJobs] = useState<readonly MarkedJob[]>([]);
  useEffect(() => {
    let current = true;
    void records()
      .get(jobsPath(MAX_JOBS))
      .then((answer) => {
        if (!current || !answer.ok) return;
        try {
          const parsed = JSON.parse(answer.body) as { jobs?: unknown };
          if (Array.isArray(parsed.jobs)) setJobs(parsed.jobs.filter(isMarkedJob));
        } catch {
          // An answer this screen cannot read marks nothing; the readings still chart.
        }
      });
    return () => {
      current = false;
    };
  }, [asOf]);
  return jobs;
}

function isMarkedJob(job: unknown): job is MarkedJob {
  if (typeof job !== 'object' || job === null) return false;
  const { id, spec, startedAt } = job as Record<string, unknown>;
  return typeof id === 'number' && typeof spec === 'object' && spec !== null && (startedAt === null || typeof startedAt === 'number');
}

/** One channel's marks over its span, in the grower's words and units. */
export function useChartMarks(channel: Channel, recorded: readonly MarkedJob[], span: ChartSpan): ChartMark[] {
  const station = useStationStore((s) => s.station);
  const system = useUnits((units) => units.system);
  const jobs = station?.jobs;
  const alerts = station?.alerts;
  const tanks = station?.tanks;
  const channels = station?.channels;
  const recipes = station?.recipes;
  return useMemo(() => {
    const names = namesFrom({ channels: channels ?? [], tanks: tanks ?? [], recipes: recipes ?? [] }, system);
    // Live jobs first: the newer word on a job the records also hold.
    return chartMarks(channel.id, [...(jobs ?? []), ...recorded], alerts ?? [], tanks ?? [], names, span);
  }, [channel.id, recorded, jobs, alerts, tanks, channels, recipes, system, span]);
}
