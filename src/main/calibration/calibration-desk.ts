/**
 * The figures doses and fills are measured with: each pump's mL/s and each flow meter's pulses
 * per litre. A calibration run measures an instrument; the grower says what it really delivered,
 * and the figure is stored, published to every screen and used from the next job on. A measured
 * figure wins over settings.json's, which wins over the built-in default.
 */
import type { StationChange } from '../../shared/events';
import { calibrationFactor, needsCalibrationConfirmation } from '../../shared/jobs';
import { Refusal } from '../../shared/refusal';
import type { Calibration, CalibrationSource, Job, StationState } from '../../shared/station';
import type { Calibrations } from '../db';
import { describeJob, type JobAnswer, type JobControl } from '../jobs';
import { DEFAULT_PROBE_REMINDER_DAYS, ProbeDesk, type ProbeDeskOptions } from './probe-desk';
import { INSTRUMENTS, type Instrument, type InstrumentKind, type RunReading } from './instruments';

/** An instrument kind's figures before any is measured. */
export interface UnmeasuredFigures {
  /** Written in settings.json, by instrument id. */
  configured: Record<string, number>;
  /** What an uncalibrated instrument is assumed to do. */
  default(): number;
}

export interface CalibrationDeskOptions {
  keeper: Calibrations;
  figures: Record<InstrumentKind, UnmeasuredFigures>;
  state(): StationState;
  apply(change: StationChange): void;
  jobs: JobControl;
  now(): number;
  log?: (line: string) => void;
  /** Where pH and EC probe reminders go, and after how many days (probe-desk.ts). */
  probes?: Pick<ProbeDeskOptions, 'alert' | 'reminderDays'>;
}

/** A figure just saved, and the one it replaced. */
export interface SavedFigure {
  id: string;
  figure: number;
  previous: number;
}

/** What the rest of the station asks of the calibrations. */
export interface CalibrationBook {
  /** The figure in use for an instrument: measured, else configured, else the default. */
  figure(kind: InstrumentKind, id: string): number;
  mlPerSecond(pumpId: string): number;
  pulsesPerLiter(meterId: string): number;
  /** Starts a calibration run: a pump for `amount` seconds, or a tank's fill of `amount` litres. */
  run(kind: InstrumentKind, target: string, amount: number, by: string): JobAnswer;
  /** The figure from a finished run and what the grower measured; a large change needs `confirm`. */
  save(kind: InstrumentKind, jobId: number, measured: number, confirm: boolean): SavedFigure;
  /** Forgets an instrument's measured figure, so the configured one or the default applies again. */
  reset(kind: InstrumentKind, id: string, by: string): SavedFigure;
  /** Every instrument's figure in use, including defaults for the uncalibrated ones. */
  calibration(): Calibration;
  /** pH and EC probes: captured points and a fit rather than a run (probe-desk.ts). */
  readonly probes: ProbeDesk;
}

const KINDS = Object.keys(INSTRUMENTS) as InstrumentKind[];

export class CalibrationDesk implements CalibrationBook {
  private readonly log: (line: string) => void;
  readonly probes: ProbeDesk;

  constructor(private readonly options: CalibrationDeskOptions) {
    this.log = options.log ?? (() => {});
    this.probes = new ProbeDesk({
      keeper: options.keeper,
      state: options.state,
      publish: () => this.publish(),
      alert: options.probes?.alert ?? (() => {}),
      reminderDays: options.probes?.reminderDays ?? DEFAULT_PROBE_REMINDER_DAYS,
      now: options.now,
      log: this.log,
    });
  }

  /** Publishes the figures to every screen. */
  start(): void {
    this.publish();
  }

  /** A new channel table: instruments may have come or gone. */
  channelsChanged(): void {
    this.publish();
  }

  figure(kind: InstrumentKind, id: string): number {
    const figures = this.options.figures[kind];
    return INSTRUMENTS[kind].stored(this.options.keeper)[id]?.value ?? figures.configured[id] ?? figures.default();
  }

  mlPerSecond(pumpId: string): number {
    return this.figure('pump', pumpId);
  }

  pulsesPerLiter(meterId: string): number {
    return this.figure('flow', meterId);
  }

  run(kind: InstrumentKind, target: string, amount: number, by: string): JobAnswer {
    return this.options.jobs.start(INSTRUMENTS[kind].runSpec(target, amount), by, 'high');
  }

  save(kind: InstrumentKind, jobId: number, measured: number, confirm: boolean): SavedFigure {
    const instrument = INSTRUMENTS[kind];
    const reading = this.finishedRun(instrument, jobId);
    const tooLittle = instrument.tooLittle(reading);
    if (tooLittle) throw new Refusal('REFUSED', tooLittle);
    const { id } = reading;
    const figure = instrument.figure(reading, measured);
    const previous = this.figure(kind, id);
    this.refuseLargeChange(instrument, id, previous, figure, this.source(kind, id), confirm);
    instrument.store(this.options.keeper, id, figure, this.options.now());
    this.publish();
    this.log(`calibration: ${instrument.noun} ${id} ${previous} → ${figure} ${instrument.logUnit} (${instrument.explain(reading, measured)}, run ${jobId})`);
    return { id, figure, previous };
  }

  reset(kind: InstrumentKind, id: string, by: string): SavedFigure {
    const instrument = INSTRUMENTS[kind];
    const previous = this.figure(kind, id);
    if (this.source(kind, id) !== 'measured') {
      throw new Refusal('REFUSED', `${this.nameOf(id)} has no measured calibration to reset; it already uses the ${this.source(kind, id) === 'settings' ? 'figure in settings.json' : 'default'} of ${previous} ${instrument.unit}`);
    }
    instrument.forget(this.options.keeper, id);
    const figure = this.figure(kind, id);
    this.publish();
    this.log(`calibration: ${instrument.noun} ${id} reset by ${by}, ${previous} → ${figure} ${instrument.logUnit} (${this.source(kind, id)})`);
    return { id, figure, previous };
  }

  private nameOf(id: string): string {
    return this.options.state().channels.find((channel) => channel.id === id)?.name || id;
  }

  calibration(): Calibration {
    const channels = this.options.state().channels;
    const calibration: Calibration = { pumps: {}, flowMeters: {} };
    for (const kind of KINDS) {
      const instrument = INSTRUMENTS[kind];
      const measured = instrument.stored(this.options.keeper);
      const ids = new Set([
        ...channels.filter((channel) => channel.kind === instrument.channel).map((channel) => channel.id),
        ...Object.keys(this.options.figures[kind].configured),
        ...Object.keys(measured),
      ]);
      for (const id of [...ids].sort()) instrument.publish(calibration, id, this.figure(kind, id), this.source(kind, id), measured[id]?.at ?? null);
    }
    const probes = this.probes.probes();
    if (Object.keys(probes).length > 0) calibration.probes = probes;
    return calibration;
  }

  /** The run's reading, refused unless the run is this kind's and finished well. */
  private finishedRun(instrument: Instrument, jobId: number): RunReading {
    const job: Job | undefined = this.options.state().jobs.find((candidate) => candidate.id === jobId);
    if (!job) throw new Refusal('NOT_FOUND', `there is no recent job ${jobId}; start a calibration run with ${instrument.runCommand} and measure that one`);
    if (job.spec.kind !== instrument.job) throw new Refusal('REFUSED', `job ${jobId} (${describeJob(job.spec)}) is not a ${instrument.noun} calibration run`);
    if (job.state !== 'succeeded') {
      throw new Refusal('REFUSED', job.endedAt ? `calibration run ${jobId} did not finish (${job.detail}); run it again` : `calibration run ${jobId} is still ${job.state}; measure once it has finished`);
    }
    const reading = instrument.reading(job.measured);
    if (!reading) throw new Refusal('REFUSED', `calibration run ${jobId} has no measurement; run it again`);
    return reading;
  }

  private refuseLargeChange(instrument: Instrument, id: string, previous: number, next: number, source: CalibrationSource, confirm: boolean): void {
    if (confirm || !needsCalibrationConfirmation(previous, next)) return;
    throw new Refusal(
      'REFUSED',
      `${next} ${instrument.unit} is ${calibrationFactor(previous, next).toFixed(1)}× ${source === 'default' ? 'the usual figure' : `the ${source} calibration`} of ${instrument.noun} ${id} (${previous}); check the measurement and the units, then send it again with confirm: true if it is right`,
    );
  }

  private source(kind: InstrumentKind, id: string): CalibrationSource {
    if (INSTRUMENTS[kind].stored(this.options.keeper)[id]) return 'measured';
    return this.options.figures[kind].configured[id] !== undefined ? 'settings' : 'default';
  }

  /** Publishes the figures and probe calibrations to every screen. */
  publish(): void {
    this.options.apply({ type: 'calibration_update', calibration: this.calibration() });
  }
}
