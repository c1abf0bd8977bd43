/**
 * A journal that keeps jobs and the dose audit in memory: for a station run without a database
 * (the tests of pure job logic), never for a grower's station, whose audit must survive restarts.
 */
import type { DoseAuditEntry, FillLogEntry, JobJournal } from './ports';

export class MemoryJournal implements JobJournal {
  readonly jobs = new Map<number, Record<string, unknown>>();
  readonly doses: DoseAuditEntry[] = [];
  readonly fills: FillLogEntry[] = [];
  private lastId = 0;

  createJob(job: Parameters<JobJournal['createJob']>[0]): number {
    const id = ++this.lastId;
    this.jobs.set(id, { id, ...job, state: 'queued' });
    return id;
  }

  updateJob(id: number, patch: Parameters<JobJournal['updateJob']>[1]): void {
    const job = this.jobs.get(id);
    if (job) Object.assign(job, patch);
  }

  openDose(entry: Omit<DoseAuditEntry, 'deliveredMl' | 'outcome'>): number {
    this.doses.push({ ...entry, deliveredMl: entry.requestedMl, outcome: 'running' });
    return this.doses.length - 1;
  }

  closeDose(id: number, deliveredMl: number, outcome: string): void {
    const dose = this.doses[id];
    if (dose) Object.assign(dose, { deliveredMl, outcome });
  }

  deliveredSince(pumpId: string, since: number): number {
    return this.doses.filter((dose) => dose.pumpId === pumpId && dose.at >= since).reduce((sum, dose) => sum + dose.deliveredMl, 0);
  }

  openFill(entry: Omit<FillLogEntry, 'filledL'>): number {
    this.fills.push({ ...entry, filledL: null });
    return this.fills.length - 1;
  }

  closeFill(id: number, filledL: number): void {
    const fill = this.fills[id];
    if (fill) fill.filledL = filledL;
  }
}
