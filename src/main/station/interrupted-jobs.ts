/**
 * What was running when Tendril last stopped is over: at start each unfinished job is marked
 * interrupted, shown as such, and the grower told. Nothing is resumed; a dose cut short and run
 * again could overdose the tank. A dose it left open in the audit keeps its full amount: what
 * the pump delivered before the controller stopped it is not known, and the daily cap must not
 * count less than it may have been.
 */
import type { StationChange } from '../../shared/events';
import type { AlertLevel } from '../../shared/station';
import type { DoseAudit, Jobs } from '../db';
import { describeJob } from '../jobs';
import type { Part } from './lifecycle';

export interface InterruptedJobsOptions {
  /** The station database's jobs; without one nothing outlives Tendril, and nothing is left over. */
  jobs?: Jobs;
  /** The station database's dose audit, beside the jobs. */
  doses?: Pick<DoseAudit, 'settleOpen'>;
  apply(change: StationChange): void;
  alert(level: AlertLevel, code: string, message: string): void;
  now(): number;
}

/** A start step: before the link opens, so no job of this run can be mistaken for the last run's. */
export function interruptedJobs(options: InterruptedJobsOptions): Part {
  return {
    name: 'interrupted jobs',
    start() {
      const { jobs } = options;
      options.doses?.settleOpen();
      if (!jobs) return;
      for (const job of jobs.interruptUnfinished(options.now())) {
        const detail = `interrupted: Tendril stopped while it ran (${job.detail})`;
        jobs.update(job.id, { detail });
        options.apply({ type: 'job_update', job: { ...job, detail, etaMs: null } });
        options.alert(
          'warning',
          'JOB_INTERRUPTED',
          `job ${job.id} (${describeJob(job.spec)}) was interrupted when Tendril stopped, ${Math.round(job.progress * 100)}% done; nothing was resumed. Check the tank, then start it again if it is still needed`,
        );
      }
    },
  };
}
