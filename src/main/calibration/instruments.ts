/**
 * The instruments Tendril calibrates, each described once: which job measures it, what the run
 * reads, how little is too little to trust, how the figure comes from what the grower measured,
 * and where the figure is kept. The calibration desk runs, saves and checks every kind by the
 * same code; a new kind (probes next) is one more descriptor.
 */
import type { JobSpec } from '../../shared/jobs';
import type { Calibration, CalibrationSource, ChannelKind, Job } from '../../shared/station';
import type { Calibrations, Measured } from '../db';

export type InstrumentKind = 'pump' | 'flow';

/** What a calibration run read from the instrument: its id and the run's own figure. */
export interface RunReading {
  id: string;
  /** Seconds the pump really ran, or pulses the meter counted. */
  amount: number;
}

export interface Instrument {
  /** How the grower and the log name it: "pump nut_a", "flow meter flow1". */
  noun: string;
  /** The controller's channel kind for it. */
  channel: ChannelKind;
  /** The job that measures it, and the command a grower starts that job with. */
  job: 'calibrate-pump' | 'calibrate-flow';
  runCommand: 'calibration.pump.run' | 'calibration.flow.run';
  runSpec(target: string, amount: number): JobSpec;
  /** The figure's unit, in a refusal and in the log. */
  unit: string;
  logUnit: string;
  /** The run's reading, or null when the run measured nothing. */
  reading(measured: Job['measured']): RunReading | null;
  /** Why the reading is too small to trust, or undefined when it is enough. */
  tooLittle(reading: RunReading): string | undefined;
  /** The figure from the run's reading and what the grower measured. */
  figure(reading: RunReading, measured: number): number;
  /** The measurement as the log tells it. */
  explain(reading: RunReading, measured: number): string;
  /** Where its measured figures are kept. */
  stored(keeper: Calibrations): Record<string, Measured>;
  store(keeper: Calibrations, id: string, figure: number, at: number): void;
  forget(keeper: Calibrations, id: string): void;
  /** Its figure in the live state's Calibration. */
  publish(calibration: Calibration, id: string, figure: number, source: CalibrationSource, at: number | null): void;
}

/** A run shorter than this measures the pump's start-up more than its flow. */
const MIN_PUMP_SECONDS = 5;
/** Fewer pulses than this give a pulses-per-litre figure coarser than 1%. */
const MIN_FLOW_PULSES = 100;

export const INSTRUMENTS: Record<InstrumentKind, Instrument> = {
  pump: {
    noun: 'pump',
    channel: 'pump',
    job: 'calibrate-pump',
    runCommand: 'calibration.pump.run',
    runSpec: (pumpId, seconds) => ({ kind: 'calibrate-pump', pumpId, seconds }),
    unit: 'mL/s',
    logUnit: 'mL/s',
    reading: (measured) => (measured && 'pumpId' in measured ? { id: measured.pumpId, amount: measured.seconds } : null),
    tooLittle: ({ amount: seconds }) =>
      seconds < MIN_PUMP_SECONDS ? `the pump ran only ${seconds.toFixed(1)} s, too short to measure its flow; run it for at least ${MIN_PUMP_SECONDS * 2} s` : undefined,
    figure: ({ amount: seconds }, ml) => round(ml / seconds, 4),
    explain: ({ amount: seconds }, ml) => `${ml} mL in ${seconds} s`,
    stored: (keeper) => keeper.pumps(),
    store: (keeper, id, figure, at) => keeper.setPump(id, figure, at),
    forget: (keeper, id) => keeper.forgetPump(id),
    publish: (calibration, id, mlPerSecond, source, at) => void (calibration.pumps[id] = { mlPerSecond, source, at }),
  },
  flow: {
    noun: 'flow meter',
    channel: 'flow',
    job: 'calibrate-flow',
    runCommand: 'calibration.flow.run',
    runSpec: (tankId, liters) => ({ kind: 'calibrate-flow', tankId, liters }),
    unit: 'pulses per litre',
    logUnit: 'pulses/L',
    reading: (measured) => (measured && 'meterId' in measured ? { id: measured.meterId, amount: measured.pulses } : null),
    tooLittle: ({ id, amount: pulses }) => (pulses < MIN_FLOW_PULSES ? `${id} counted only ${pulses} pulses, too few to calibrate it; fill more litres` : undefined),
    figure: ({ amount: pulses }, liters) => round(pulses / liters, 2),
    explain: ({ amount: pulses }, liters) => `${pulses} pulses for ${liters} L`,
    stored: (keeper) => keeper.flowMeters(),
    store: (keeper, id, figure, at) => keeper.setFlowMeter(id, figure, at),
    forget: (keeper, id) => keeper.forgetFlowMeter(id),
    publish: (calibration, id, pulsesPerLiter, source, at) => void (calibration.flowMeters[id] = { pulsesPerLiter, source, at }),
  },
};

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
