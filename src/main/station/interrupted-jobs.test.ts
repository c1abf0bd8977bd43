import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { openStationDatabase } from '../db';
import { DOSE_UNKNOWN } from '../db/logbook';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { interruptedJobs } from './interrupted-jobs';

const scratch = useScratchFolders();

describe('jobs interrupted when Tendril last stopped', () => {
  it('are marked interrupted at start, shown so, and the grower told; nothing is resumed', () => {
    const db = openStationDatabase(join(scratch(), 'tendril.db'));
    try {
      const dosing = db.jobs.create({ spec: { kind: 'dose', pumpId: 'nut_a', ml: 20 }, tankId: 'main', requestedBy: 'Ana', createdAt: 1_000 });
      db.jobs.update(dosing, { state: 'running', startedAt: 2_000, progress: 0.4, detail: '8 of 20 mL' });
      const done = db.jobs.create({ spec: { kind: 'mix', relayId: 'mixer', seconds: 60 }, tankId: 'main', requestedBy: 'Ana', createdAt: 1_000 });
      db.jobs.update(done, { state: 'succeeded', endedAt: 3_000, progress: 1 });

      const changes: StationChange[] = [];
      const alerts: string[] = [];
      const part = interruptedJobs({ jobs: db.jobs, apply: (change) => void changes.push(change), alert: (level, code, message) => void alerts.push(`${level} ${code} ${message}`), now: () => 5_000 });
      part.start!();

      expect(db.jobs.get(dosing)).toMatchObject({ state: 'interrupted', endedAt: 5_000, detail: 'interrupted: Tendril stopped while it ran (8 of 20 mL)' });
      expect(db.jobs.get(done)).toMatchObject({ state: 'succeeded' });
      expect(changes).toEqual([{ type: 'job_update', job: expect.objectContaining({ id: dosing, state: 'interrupted', etaMs: null, detail: 'interrupted: Tendril stopped while it ran (8 of 20 mL)' }) }]);
      expect(alerts).toEqual([
        `warning JOB_INTERRUPTED job ${dosing} (dose 20 mL with nut_a) was interrupted when Tendril stopped, 40% done; nothing was resumed. Check the tank, then start it again if it is still needed`,
      ]);
    } finally {
      db.close();
    }
  });

  it('leave a dose that was running on the books at its full amount, since what the pump delivered is not known', () => {
    const db = openStationDatabase(join(scratch(), 'tendril.db'));
    try {
      const job = db.jobs.create({ spec: { kind: 'dose', pumpId: 'nut_a', ml: 20 }, tankId: 'main', requestedBy: 'Ana', createdAt: 1_000 });
      const closed = db.doseAudit.open({ at: 1_500, pumpId: 'nut_a', requestedMl: 10, jobId: job, requestedBy: 'Ana' });
      db.doseAudit.close(closed, 10, 'complete');
      // Tendril died here, after it sent the second dose and before it heard how it ended.
      db.doseAudit.open({ at: 2_000, pumpId: 'nut_a', requestedMl: 20, jobId: job, requestedBy: 'Ana' });

      interruptedJobs({ jobs: db.jobs, doses: db.doseAudit, apply: () => {}, alert: () => {}, now: () => 5_000 }).start!();

      expect(db.doseAudit.list().map((dose) => [dose.deliveredMl, dose.outcome])).toEqual([
        [10, 'complete'],
        [20, DOSE_UNKNOWN],
      ]);
      expect(db.doseAudit.deliveredSince('nut_a', 0)).toBe(30);
    } finally {
      db.close();
    }
  });

  it('are none without a database', () => {
    const changes: StationChange[] = [];
    interruptedJobs({ apply: (change) => void changes.push(change), alert: () => {}, now: () => 0 }).start!();
    expect(changes).toEqual([]);
  });
});
