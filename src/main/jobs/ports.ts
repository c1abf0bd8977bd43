/**
 * What the job engine needs from the rest of main, as small interfaces: the station (its state,
 * its changes, the controller's commands), the journal (the database), and the settings.
 */
import type { StationChange } from '../../shared/events';
import type { DoseAuditEntry, FillLogEntry, JobSpec, Recipe } from '../../shared/jobs';

export type { DoseAuditEntry, FillLogEntry };
import type { AlertLevel, JobState, StationState, Tank } from '../../shared/station';
import type { SafetyLimits } from './limits';

export interface JobStation {
  state(): StationState;
  onChange(listener: (change: StationChange) => void): () => void;
  /** Starts a dose at the pump's calibrated rate; resolves once the controller took it. */
  dose(pumpId: string, ml: number): Promise<void>;
  fill(valveId: string, meterId: string, pulses: number, maxMs: number, noFlowMs: number): Promise<void>;
  setRelay(relayId: string, on: boolean, maxMs?: number): Promise<void>;
  /** Ends whatever one channel is doing (a dose, a fill, a relay that is on). */
  stop(channelId: string): Promise<void>;
  alert(level: AlertLevel, code: string, message: string): void;
  /**
   * How many times faster the controller's clock runs than the host's: the simulated station's
   * time scale, 1 (or absent) for real hardware.
   */
  timeScale?(): number;
  /** Marks a sensor suspect (a dose it did not answer); closed loops then refuse to dose on it. */
  suspectSensor(sensorId: string, detail: string): void;
}

export interface JobJournal {
  createJob(job: { spec: JobSpec; tankId: string | null; requestedBy: string; createdAt: number }): number;
  updateJob(id: number, patch: Partial<{ state: JobState; startedAt: number; endedAt: number; progress: number; detail: string }>): void;
  /**
   * Writes a dose to the audit before the pump starts, at its full amount, and returns its
   * number: a crash before `closeDose` leaves the most it may have delivered on the books.
   */
  openDose(entry: Omit<DoseAuditEntry, 'deliveredMl' | 'outcome'>): number;
  /** What the dose really delivered, and how it ended. */
  closeDose(id: number, deliveredMl: number, outcome: string): void;
  /** Millilitres the pump delivered since `since`, from the dose audit. */
  deliveredSince(pumpId: string, since: number): number;
  /** Logs a fill as its water starts, so a chart marks it then; returns its number. */
  openFill(entry: Omit<FillLogEntry, 'filledL'>): number;
  /** What the fill let in. */
  closeFill(id: number, filledL: number): void;
}

export interface JobSettings {
  limits(): SafetyLimits;
  recipe(id: string): Recipe | null;
  pulsesPerLiter(meterId: string): number | undefined;
  /** The pump's calibrated flow, as the core doses with it. */
  mlPerSecond(pumpId: string): number;
  /**
   * How the tank answers a dose: pH units, or mS/cm, per mL per litre (health/dose-response.ts).
   * Absent where no job runs (checking a schedule): the tank's configured figure applies.
   */
  doseResponse?(tank: Tank, kind: 'ph' | 'ec'): number;
  /** What a successful adjustment measured, to refine that figure. */
  learnDoseResponse?(tank: Tank, kind: 'ph' | 'ec', measured: number): void;
}
