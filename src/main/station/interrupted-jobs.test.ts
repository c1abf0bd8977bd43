import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { openStationDatabase } from '../db';
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

  it('are none without a database', () => {
    const changes: StationChange[] = [];
    interruptedJobs({ apply: (change) => void changes.push(change), alert: () => {}, now: () => 0 }).start!();
    expect(changes).toEqual([]);
  });
});
