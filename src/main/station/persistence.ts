/**
 * The job engine's journal, kept in the station database: every job, dose and fill survives a
 * restart, and the daily dose caps count what was really delivered, whenever it was.
 */
import type { StationDatabase } from '../db';
import type { JobJournal } from '../jobs';

export function databaseJournal(db: StationDatabase): JobJournal {
  return {
    createJob: (job) => db.jobs.create(job),
    updateJob: (id, patch) => db.jobs.update(id, patch),
    openDose: (entry) => db.doseAudit.open(entry),
    closeDose: (id, deliveredMl, outcome) => db.doseAudit.close(id, deliveredMl, outcome),
    deliveredSince: (pumpId, since) => db.doseAudit.deliveredSince(pumpId, since),
    openFill: (entry) => db.fills.open(entry),
    closeFill: (id, filledL) => db.fills.close(id, filledL),
  };
}
