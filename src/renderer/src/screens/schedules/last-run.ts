import type { ScheduleStatus } from '../../../../shared/station';

export interface LastRun {
  at: number;
  /** "skipped: the emergency stop is latched; …" when the station refused that run, else null. */
  skipped: string | null;
}

/**
 * A schedule's last run as its row tells it. One that never ran has none, not a made-up time or
 * a "never" in its place; one the station refused (a latched stop, the link down) says it was
 * skipped and why, so the grower knows the dose or fill did not happen.
 */
export function lastRunOf(status: Pick<ScheduleStatus, 'lastRunAt' | 'lastRunSkipped'>): LastRun | null {
  if (status.lastRunAt === null) return null;
  return { at: status.lastRunAt, skipped: status.lastRunSkipped === undefined ? null : `skipped: ${status.lastRunSkipped}` };
}
