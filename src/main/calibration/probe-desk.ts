/**
 * pH and EC probe calibration. Unlike a pump or a flow meter, a probe is not measured by a job:
 * the grower dips it in a solution, waits for the reading to settle, and captures a point; two or
 * three points make a line. The desk keeps each probe's recent raw readings to judge whether they
 * have settled, the points captured so far, and the calibrations in force, which every reading
 * from the controller passes through on its way to the live state (see station/link-events.ts).
 */
import type { StationChange } from '../../shared/events';
import {
  calibratedValue,
  fitProbe,
  PROBE_POINTS,
  probeFitProblem,
  probeHealth,
  probePoint,
  stability,
  STABLE_WINDOW_MS,
  type ProbeCalibration,
  type ProbeHealth,
  type ProbeKind,
  type ProbePoint,
  type Stability,
} from '../../shared/probe-calibration';
import { Refusal } from '../../shared/refusal';
import { isActive } from '../../shared/alerts';
import type { Alert, AlertLevel, Reading, StationState } from '../../shared/station';
import type { Calibrations } from '../db';

export interface ProbeDeskOptions {
  keeper: Calibrations;
  state(): StationState;
  /** Publishes the calibrations in force (the calibration desk's calibration_update). */
  publish(): void;
  alert(level: AlertLevel, code: string, message: string, subject?: string): void;
  now(): number;
  /** A calibration older than this many days raises a reminder; 0 turns reminders off. */
  reminderDays: number;
  log?: (line: string) => void;
}

/** A captured point, and every point of that probe so far. */
export interface CapturedPoint {
  sensorId: string;
  point: ProbePoint;
  points: ProbePoint[];
  stability: Stability;
}

export interface SavedProbe {
  sensorId: string;
  calibration: ProbeCalibration;
  health: ProbeHealth;
}

export const DEFAULT_PROBE_REMINDER_DAYS = 30;
export const PROBE_REMINDER_CODE = 'PROBE_CALIBRATION_DUE';
/** One reminder per probe: its hourly repeats fold into one alert. */
const reminderSubject = (sensorId: string): string => `calibration:${sensorId}`;

/**
 * The reminders still waiting whose probe has been calibrated since they were last raised, each
 * with who calibrated it: that person has seen to the reminder, so the station acknowledges it in
 * their name rather than leave it waiting (and brought back after every restart) for nothing.
 */
export function settledReminders(alerts: readonly Alert[], probes: Readonly<Record<string, ProbeCalibration>>): Array<{ id: number; by: string }> {
  const settled: Array<{ id: number; by: string }> = [];
  for (const alert of alerts) {
    if (alert.code !== PROBE_REMINDER_CODE || !isActive(alert) || !alert.subject) continue;
    const calibration = Object.entries(probes).find(([sensorId]) => reminderSubject(sensorId) === alert.subject)?.[1];
    if (calibration && calibration.at > (alert.lastAt ?? alert.at)) settled.push({ id: alert.id, by: calibration.by });
  }
  return settled;
}
const DAY_MS = 86_400_000;
/** Reminders are looked at with the readings, at most this often. */
const REMINDER_CHECK_MS = 3_600_000;

export class ProbeDesk {
  private readonly log: (line: string) => void;
  /** Raw readings of the last window and a little more, by channel. */
  private readonly recent = new Map<string, Array<{ value: number; at: number }>>();
  private readonly pending = new Map<string, ProbePoint[]>();
  private calibrations: Record<string, ProbeCalibration>;
  private remindedAt = -Infinity;

  constructor(private readonly options: ProbeDeskOptions) {
    this.log = options.log ?? (() => {});
    this.calibrations = options.keeper.probes();
  }

  /** The calibrations in force, by channel. */
  probes(): Record<string, ProbeCalibration> {
    return { ...this.calibrations };
  }

  /**
   * A change from the controller as the station should see it: a calibrated probe's reading
   * calibrated, with the controller's own value kept as `raw`. Everything else passes unchanged.
   */
  calibrate(change: StationChange): StationChange {
    if (change.type === 'ecph_reading') {
      if (!this.probeKind(change.sensorId)) return change;
      this.remember(change.sensorId, change.value, change.at);
      this.remindIfDue(change.at);
      const calibration = this.calibrations[change.sensorId];
      return calibration ? { ...change, value: calibratedValue(calibration, change.value, this.temperature()), raw: change.value } : change;
    }
    if (change.type === 'device_update') {
      const readings: Record<string, Reading> = {};
      for (const [id, reading] of Object.entries(change.readings)) {
        const calibration = this.calibrations[id];
        readings[id] = calibration ? { ...reading, value: calibratedValue(calibration, reading.value, this.temperature(change.readings)), raw: reading.value } : reading;
      }
      return { ...change, readings };
    }
    return change;
  }

  /** How settled a probe's raw readings are now. */
  stability(sensorId: string): Stability {
    const kind = this.requireProbe(sensorId);
    return stability(kind, this.recent.get(sensorId) ?? [], this.options.now());
  }

  /**
   * Captures a point: the probe's raw reading now, in the solution labelled `nominal`. Refused
   * while the reading has not settled unless `confirm`; a point in the same solution replaces
   * the one captured before it. The `first` point of a new calibration drops the points a screen
   * captured before and never saved, so a wizard started over is not saved with them.
   */
  capture(sensorId: string, nominal: number, confirm: boolean, first = false): CapturedPoint {
    const kind = this.requireProbe(sensorId);
    const reading = this.options.state().readings[sensorId];
    if (!reading) throw new Refusal('NOT_READY', `${this.nameOf(sensorId)} has not sent a reading yet; wait for one, then capture`);
    const settled = this.stability(sensorId);
    // The window's mean: the probe's noise averaged out of the point.
    const raw = settled.mean ?? reading.raw ?? reading.value;
    if (!settled.stable && !confirm) {
      const watched = Math.floor(settled.watchedMs / 1000);
      throw new Refusal(
        'REFUSED',
        settled.watchedMs < STABLE_WINDOW_MS
          ? `${this.nameOf(sensorId)} has been read for only ${watched} s; wait until it has been steady for ${STABLE_WINDOW_MS / 1000} s, or send confirm: true to capture it as it is`
          : `${this.nameOf(sensorId)} has not settled: its readings vary by ±${Number(settled.deviation.toPrecision(2))} over the last ${STABLE_WINDOW_MS / 1000} s; wait until it is steady, or send confirm: true to capture it as it is`,
      );
    }
    const point = probePoint(kind, nominal, raw, this.temperature(), this.options.now());
    const others = (first ? [] : (this.pending.get(sensorId) ?? [])).filter((earlier) => earlier.nominal !== nominal);
    const max = PROBE_POINTS[kind].max;
    if (others.length >= max) throw new Refusal('REFUSED', `${this.nameOf(sensorId)} already has ${max} points; save the calibration, or reset it to start again`);
    const points = [...others, point].sort((a, b) => a.nominal - b.nominal);
    this.pending.set(sensorId, points);
    return { sensorId, point, points, stability: settled };
  }

  /** Fits the captured points, stores the line with who made it, and applies it from the next reading on. */
  save(sensorId: string, by: string, confirm: boolean): SavedProbe {
    const kind = this.requireProbe(sensorId);
    const points = this.pending.get(sensorId) ?? [];
    const problem = probeFitProblem(kind, points);
    if (problem && (problem.hard || !confirm)) throw new Refusal('REFUSED', `${this.nameOf(sensorId)}: ${problem.message}`);
    const fit = fitProbe(points)!;
    const calibration: ProbeCalibration = { kind, slope: fit.slope, offset: fit.offset, points, at: this.options.now(), by };
    this.options.keeper.setProbe(sensorId, calibration);
    this.calibrations = { ...this.calibrations, [sensorId]: calibration };
    this.pending.delete(sensorId);
    this.options.publish();
    const health = probeHealth(kind, fit);
    this.log(`calibration: probe ${sensorId} slope ${fit.slope} offset ${fit.offset} from ${points.map((point) => `${point.raw}→${point.reference}`).join(', ')} by ${by}; ${health.words}`);
    return { sensorId, calibration, health };
  }

  /** Back to uncalibrated: readings are the controller's own again, and the captured points are dropped. */
  reset(sensorId: string, by: string): { sensorId: string; wasCalibrated: boolean } {
    this.requireProbe(sensorId);
    const wasCalibrated = sensorId in this.calibrations;
    this.pending.delete(sensorId);
    if (wasCalibrated) {
      this.options.keeper.resetProbe(sensorId, by, this.options.now());
      const { [sensorId]: _dropped, ...rest } = this.calibrations;
      this.calibrations = rest;
      this.options.publish();
      this.log(`calibration: probe ${sensorId} reset to uncalibrated by ${by}`);
    }
    return { sensorId, wasCalibrated };
  }

  /** Raises a reminder for each calibration older than the configured age, folded by probe. */
  remindIfDue(now: number): void {
    if (this.options.reminderDays <= 0 || now - this.remindedAt < REMINDER_CHECK_MS) return;
    this.remindedAt = now;
    for (const [sensorId, calibration] of Object.entries(this.calibrations)) {
      const days = Math.floor((now - calibration.at) / DAY_MS);
      if (days < this.options.reminderDays) continue;
      const noun = calibration.kind === 'ph' ? 'pH probe' : 'EC probe';
      this.options.alert(
        'warning',
        PROBE_REMINDER_CODE,
        // Before the controller has told its channels, the probe has only its id.
        `${this.named(sensorId) ?? `the ${noun} ${sensorId}`} was last calibrated ${days} days ago; calibrate the ${noun} again in Settings → Calibration`,
        reminderSubject(sensorId),
      );
    }
  }

  /** A probe as the grower named it; the id where nobody did. */
  private nameOf(sensorId: string): string {
    return this.named(sensorId) ?? sensorId;
  }

  private named(sensorId: string): string | undefined {
    return this.options.state().channels.find((candidate) => candidate.id === sensorId)?.name;
  }

  private probeKind(sensorId: string): ProbeKind | undefined {
    const channel = this.options.state().channels.find((candidate) => candidate.id === sensorId);
    return channel?.kind === 'ph' || channel?.kind === 'ec' ? channel.kind : undefined;
  }

  private requireProbe(sensorId: string): ProbeKind {
    const kind = this.probeKind(sensorId);
    if (kind) return kind;
    const probes = this.options.state().channels.filter((channel) => channel.kind === 'ph' || channel.kind === 'ec').map((channel) => channel.id);
    throw new Refusal('NOT_FOUND', `${sensorId} is not a pH or EC probe; the probes are ${probes.join(', ') || 'none yet (is the controller connected?)'}`);
  }

  private remember(sensorId: string, value: number, at: number): void {
    const samples = this.recent.get(sensorId) ?? [];
    samples.push({ value, at });
    // One sample older than the window is kept: it shows the window was watched in full.
    while (samples.length > 1 && samples[1]!.at <= at - STABLE_WINDOW_MS) samples.shift();
    this.recent.set(sensorId, samples);
  }

  /** The water temperature, from the first temperature probe, or null without one. */
  private temperature(readings: Record<string, Reading> = this.options.state().readings): number | null {
    const probe = this.options.state().channels.find((channel) => channel.kind === 'temp');
    const reading = probe ? readings[probe.id] : undefined;
    return reading ? reading.value : null;
  }
}
