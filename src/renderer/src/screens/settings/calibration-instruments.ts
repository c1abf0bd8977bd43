/**
 * What the calibration wizard says and sends for each kind of instrument. The station calibrates
 * every kind by one code path (src/main/calibration); the wizard does the same, and the words,
 * fields and commands that differ between a pump and a flow meter are here, once per kind.
 */
import type { z } from 'zod';
import { describeIssue } from '../../../../shared/commands';
import { CALIBRATION_LITERS_SCHEMA, CALIBRATION_SECONDS_SCHEMA } from '../../../../shared/jobs';
import type { Calibration, CalibrationSource, StationState } from '../../../../shared/station';
import type { CommandRequest } from '../../commands';
import { numberFrom } from '../../job-spec-form';
import { litersFrom, type UnitSystem } from '../../units';
import type { NameOf, Option, StationOptions } from '../schedules/station-options';
import { mlPerSecondFrom, pulsesPerLiterFrom, type RunStage } from './calibration-maths';

export type InstrumentKind = 'pump' | 'flow';

/** An instrument's figure in use, whichever kind it is. */
export interface FigureInUse {
  figure: number;
  source: CalibrationSource;
  at: number | null;
}

/** The grower's unit system and the tank volume unit it gives. */
export interface Units {
  system: UnitSystem;
  volume: 'L' | 'gal';
}

/** The run's length as typed: its value for the run command, or why it cannot be one. */
export type AmountCheck = { ok: true; value: number } | { ok: false; problem: string };

export interface CalibrationInstrument {
  heading: string;
  /** What the grower picks first: the pump itself, or the tank whose fills the meter counts. */
  target: { label: string; none: string; options(options: StationOptions): Option[] };
  /** The instrument the target's run measures. */
  instrumentOf(station: StationState | null, target: string): string | undefined;
  /** Said when the target has no instrument to calibrate. */
  noInstrument?: string;
  figureOf(calibration: Calibration | undefined, id: string): FigureInUse | undefined;
  /** The figure in use, before its source: "Now 1.2 mL/s". */
  figureNote(figure: number, id: string, nameOf: NameOf): string;
  amount: { label(units: Units): string; hint: string; initial: string; check(text: string, units: Units): AmountCheck };
  runLabel(targetName: string, text: string, check: AmountCheck, units: Units): string;
  runCommand(target: string, amount: number): CommandRequest;
  /** What the run's progress bar is named. */
  runName: string;
  /** The run's own reading: seconds the pump ran, or pulses the meter counted. */
  reading(stage: RunStage): number;
  readingPrompt(reading: number): string;
  measured: { label(units: Units): string; problem(units: Units): string; value(text: string, units: Units): number };
  result(reading: number, measured: number): number | null;
  resultUnit: string;
  /** "pump" or "flow meter", for the buttons' names. */
  what: string;
  /** `confirm`: sent only when the station will ask for it, as the grower ticked it. */
  saveCommand(jobId: number, measured: number, confirm: { confirm?: boolean }): CommandRequest;
  savedMessage(answer: unknown, result: number, instrumentId: string | undefined, nameOf: NameOf): string;
}

/** The meter a tank's fills count on: as plumbed, or the tank's only flow channel. */
export function tankFlowMeter(station: StationState | null, tankId: string): string | undefined {
  const tank = station?.tanks.find((candidate) => candidate.id === tankId);
  if (!tank) return undefined;
  return tank.plumbing?.flowMeter ?? station?.channels.find((channel) => channel.kind === 'flow' && tank.channelIds.includes(channel.id))?.id;
}

function checked(parsed: z.ZodSafeParseResult<number>): AmountCheck {
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error.issues[0]) };
}

export const CALIBRATION_INSTRUMENTS: Record<InstrumentKind, CalibrationInstrument> = {
  pump: {
    heading: 'Calibrate a dosing pump',
    target: { label: 'Pump to calibrate', none: 'no pumps reported', options: (options) => options.pumps },
    instrumentOf: (_station, pumpId) => pumpId,
    figureOf: (calibration, id) => {
      const figure = calibration?.pumps[id];
      return figure && { figure: figure.mlPerSecond, source: figure.source, at: figure.at };
    },
    figureNote: (figure) => `Now ${figure} mL/s`,
    amount: {
      label: () => 'Run for (s)',
      hint: 'Put the pump’s outlet in a measuring cylinder first. Longer runs measure more precisely.',
      initial: '30',
      check: (text) => checked(CALIBRATION_SECONDS_SCHEMA.safeParse(numberFrom(text))),
    },
    runLabel: (pumpName, _text, check) => `Run ${pumpName || 'pump'} for ${check.ok ? check.value : '…'} s`,
    runCommand: (pumpId, seconds) => ({ type: 'calibration.pump.run', pumpId, seconds }),
    runName: 'Pump run',
    reading: (stage) => (stage.stage === 'measured' ? (stage.seconds ?? 0) : 0),
    readingPrompt: (seconds) => `The pump ran for ${seconds.toFixed(1)} s. How much did it pump?`,
    measured: {
      label: () => 'Measured volume (mL)',
      problem: () => 'enter the millilitres in the cylinder, a number more than 0',
      value: (text) => Number(numberFrom(text)),
    },
    result: (seconds, ml) => mlPerSecondFrom(ml, seconds),
    resultUnit: 'mL/s',
    what: 'pump',
    saveCommand: (jobId, measuredMl, confirm) => ({ type: 'calibration.pump.save', jobId, measuredMl, ...confirm }),
    savedMessage: (answer, result, pumpId, nameOf) => {
      const saved = (answer as { mlPerSecond?: unknown } | undefined)?.mlPerSecond;
      return `Saved: ${nameOf(pumpId ?? '')} now doses ${typeof saved === 'number' ? saved : result} mL/s.`;
    },
  },
  flow: {
    heading: 'Calibrate a flow meter',
    target: { label: 'Tank to fill', none: 'no tanks configured', options: (options) => options.tanks },
    instrumentOf: tankFlowMeter,
    noInstrument: 'This tank has no flow meter, so its fills cannot be calibrated.',
    figureOf: (calibration, id) => {
      const figure = calibration?.flowMeters[id];
      return figure && { figure: figure.pulsesPerLiter, source: figure.source, at: figure.at };
    },
    figureNote: (figure, meterId, nameOf) => `${nameOf(meterId)}: now ${figure} pulses/L`,
    amount: {
      label: (units) => `Fill about (${units.volume})`,
      hint: 'Make room for it in the tank, or fill into a container you can measure. The valve closes when the meter has counted about this much.',
      initial: '10',
      check: (text, units) => {
        const typed = numberFrom(text);
        return checked(CALIBRATION_LITERS_SCHEMA.safeParse(typeof typed === 'number' ? litersFrom(typed, units.system) : typed));
      },
    },
    runLabel: (tankName, text, _check, units) => `Fill ${tankName || 'tank'} with about ${text.trim() || '…'} ${units.volume}`,
    runCommand: (tankId, liters) => ({ type: 'calibration.flow.run', tankId, liters }),
    runName: 'Calibration fill',
    reading: (stage) => (stage.stage === 'measured' ? (stage.pulses ?? 0) : 0),
    readingPrompt: (pulses) => `The meter counted ${pulses.toLocaleString()} pulses. How much water went in?`,
    measured: {
      label: (units) => `Measured water (${units.volume})`,
      problem: (units) => `enter the ${units.volume === 'L' ? 'litres' : 'gallons'} that went in, a number more than 0`,
      value: (text, units) => {
        const typed = Number(numberFrom(text));
        return Number.isFinite(typed) ? litersFrom(typed, units.system) : Number.NaN;
      },
    },
    result: (pulses, liters) => pulsesPerLiterFrom(pulses, liters),
    resultUnit: 'pulses/L',
    what: 'flow meter',
    saveCommand: (jobId, measuredLiters, confirm) => ({ type: 'calibration.flow.save', jobId, measuredLiters, ...confirm }),
    savedMessage: (answer, result, meterId, nameOf) => {
      const saved = answer as { meterId?: unknown; pulsesPerLiter?: unknown } | undefined;
      const meter = typeof saved?.meterId === 'string' ? saved.meterId : (meterId ?? '');
      const figure = typeof saved?.pulsesPerLiter === 'number' ? saved.pulsesPerLiter : result;
      return `Saved: ${nameOf(meter)} now counts ${figure} pulses per litre.`;
    },
  },
};
