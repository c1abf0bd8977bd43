/**
 * The sums behind the calibration wizards, shown before saving so the grower can see whether a
 * measurement makes sense. The station does the same sums when it saves (and rounds the same
 * way); what it stores is what it answers.
 */
import { CALIBRATION_LARGE_CHANGE, calibrationFactor, needsCalibrationConfirmation } from '../../../../shared/jobs';
import type { CalibrationSource, Job } from '../../../../shared/station';

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function mlPerSecondFrom(measuredMl: number, seconds: number): number | null {
  return measuredMl > 0 && seconds > 0 ? round(measuredMl / seconds, 4) : null;
}

export function pulsesPerLiterFrom(pulses: number, measuredLiters: number): number | null {
  return pulses > 0 && measuredLiters > 0 ? round(pulses / measuredLiters, 2) : null;
}

/** The station refuses a figure this many times off the one it has (either way) unless confirmed. */
export const LARGE_CHANGE = CALIBRATION_LARGE_CHANGE;

/** How far a new figure is from the current one: "+12%", "−50%", "3.0× the current". */
export function describeChange(previous: number, next: number): string {
  if (!(previous > 0)) return '';
  const factor = calibrationFactor(previous, next);
  if (factor >= LARGE_CHANGE) return next > previous ? `${factor.toFixed(1)}× the current figure` : `1/${factor.toFixed(1)} of the current figure`;
  const percent = Math.round((next / previous - 1) * 100);
  if (percent === 0) return 'the same as now';
  return `${percent > 0 ? '+' : '−'}${Math.abs(percent)}% from now`;
}

/** Whether saving needs the grower's confirmation: the station's own rule (shared/jobs.ts). */
export const needsConfirmation = needsCalibrationConfirmation;

export function describeSource(source: CalibrationSource, at: number | null, formatDate: (at: number) => string): string {
  switch (source) {
    case 'measured':
      return at === null ? 'measured with a calibration run' : `measured on ${formatDate(at)}`;
    case 'settings':
      return 'from settings.json';
    case 'default':
      return 'built-in default: not calibrated yet';
  }
}

/** Where a calibration run stands, from its job. */
export type RunStage = { stage: 'running'; progress: number } | { stage: 'measured'; seconds?: number; pulses?: number } | { stage: 'ended'; why: string } | { stage: 'gone' };

export function runStage(job: Job | undefined): RunStage {
  if (!job) return { stage: 'gone' };
  if (job.state === 'queued' || job.state === 'running' || job.state === 'paused') return { stage: 'running', progress: job.progress };
  if (job.state === 'succeeded' && job.measured) {
    return 'seconds' in job.measured ? { stage: 'measured', seconds: job.measured.seconds } : { stage: 'measured', pulses: job.measured.pulses };
  }
  if (job.state === 'succeeded') return { stage: 'ended', why: 'the run finished without a measurement; run it again' };
  return { stage: 'ended', why: job.detail || `the run ${job.state}` };
}

/** The job a calibration run command answered with; null when the answer is not one. */
export function runJobId(result: unknown): number | null {
  const job = (result as { job?: { id?: unknown } } | null)?.job;
  return typeof job?.id === 'number' ? job.id : null;
}

/**
 * The station asks a LAN client to send the command again "with confirm: true"; here that is the
 * box the refusal brings up, so the words point at it.
 */
export function confirmWords(refusal: string): string {
  return refusal
    .replace(/,? or send confirm: true to capture it as it is/, ', or tick “Capture it as it is” below and capture again')
    .replace(/then save again with confirm: true if it is right/, 'then tick “save it anyway” below and save again if it is right');
}

/** How much a probe's readings vary, to two significant figures: "0.019", never "0.0189". */
export function spread(deviation: number): string {
  return String(Number(deviation.toPrecision(2)));
}
