/**
 * The closed loop that brings pH or EC into band, as a pure decision: given what the loop has
 * done so far and the latest reading, what to do next. Measure, dose a bounded step, wait for it
 * to mix, measure again, until in band or a limit is reached. The job around it does the I/O.
 */
import type { Reading, SensorHealth } from '../../shared/station';
import type { LoopLimits } from './limits';

export interface AdjustGoal {
  kind: 'adjust-ph' | 'adjust-ec';
  target: number;
  band: number;
}

/** Which pumps raise and lower the reading, from the tank's plumbing. */
export interface AdjustPumps {
  /** Doses that raise the reading, in order (EC: nutrients A then B; pH: pH up). */
  raise: string[];
  /** Doses that lower it (pH: pH down; EC cannot be lowered by dosing). */
  lower: string[];
}

export interface LoopProgress {
  dosedMl: number;
  steps: number;
  /** Doses in a row after which the reading did not move as it should. */
  unresponsive: number;
  /** The reading before the last dose, and which way that dose should have moved it. */
  lastDose: { before: number; direction: 1 | -1; expected: number } | null;
}

export const NO_PROGRESS: LoopProgress = { dosedMl: 0, steps: 0, unresponsive: 0, lastDose: null };

export type LoopDecision =
  | { kind: 'done'; value: number }
  | { kind: 'dose'; doses: { pumpId: string; ml: number }[]; direction: 1 | -1; progress: LoopProgress }
  | { kind: 'abort'; code: string; message: string };

const unitOf = (goal: AdjustGoal) => (goal.kind === 'adjust-ph' ? 'pH' : 'mS/cm');
const what = (goal: AdjustGoal) => (goal.kind === 'adjust-ph' ? 'pH' : 'EC');
const fixed = (n: number) => n.toFixed(2);

export function decideAdjustment(goal: AdjustGoal, pumps: AdjustPumps, reading: Reading | undefined, now: number, limits: LoopLimits, progress: LoopProgress): LoopDecision {
  if (!reading || now - reading.at > limits.maxReadingAgeMs) {
    const age = reading ? `${Math.round((now - reading.at) / 1000)} s old` : 'missing';
    return {
      kind: 'abort',
      code: 'READING_STALE',
      message: `the ${what(goal)} reading is ${age} (more than ${limits.maxReadingAgeMs / 1000} s); check the probe and its cable, then start again`,
    };
  }
  const value = reading.value;
  let next = progress;
  if (progress.lastDose) {
    const moved = (value - progress.lastDose.before) * progress.lastDose.direction;
    const responded = moved >= progress.lastDose.expected * limits.minResponse;
    next = { ...progress, unresponsive: responded ? 0 : progress.unresponsive + 1, lastDose: null };
    if (next.unresponsive >= limits.unresponsiveSteps) {
      return {
        kind: 'abort',
        code: 'SENSOR_NO_RESPONSE',
        message: `${what(goal)} stayed at ${fixed(value)} ${unitOf(goal)} after ${next.unresponsive} doses; a sensor fault is suspected. Check and calibrate the probe before dosing again`,
      };
    }
  }
  const error = goal.target - value;
  if (Math.abs(error) <= goal.band) return { kind: 'done', value };

  const direction: 1 | -1 = error > 0 ? 1 : -1;
  const chosen = direction > 0 ? pumps.raise : pumps.lower;
  if (chosen.length === 0) {
    const hint = goal.kind === 'adjust-ec' ? 'EC can only be lowered by adding water (a fill)' : `the tank has no pH ${direction > 0 ? 'up' : 'down'} pump`;
    return { kind: 'abort', code: 'CANNOT_ADJUST', message: `${what(goal)} is ${fixed(value)} ${unitOf(goal)}, ${direction > 0 ? 'below' : 'above'} the target ${fixed(goal.target)}; ${hint}` };
  }
  const left = limits.maxTotalMl - next.dosedMl;
  const wanted = Math.min(limits.maxStepMl, Math.abs(error) * limits.mlPerUnit);
  const each = Math.min(wanted, left / chosen.length);
  if (each < 0.1) {
    return {
      kind: 'abort',
      code: 'LOOP_CAP',
      message: `${what(goal)} is still ${fixed(value)} ${unitOf(goal)} after ${fixed(next.dosedMl)} mL, the ${limits.maxTotalMl} mL cap for one adjustment; check the tank before adjusting again`,
    };
  }
  const ml = Math.round(each * 100) / 100;
  return {
    kind: 'dose',
    doses: chosen.map((pumpId) => ({ pumpId, ml })),
    direction,
    progress: {
      dosedMl: next.dosedMl + ml * chosen.length,
      steps: next.steps + 1,
      unresponsive: next.unresponsive,
      // Expect at least the error this dose was sized for, scaled by how much of it was dosed.
      lastDose: { before: value, direction, expected: (Math.abs(error) * ml) / wanted },
    },
  };
}

/**
 * A dose that moved the reading by less than this share of what the tank's response figure says
 * it should have is taken as a probe that cannot see the dose: frozen, or out of the water. A
 * quarter leaves room for a response figure a few times too high and for probe noise, and still
 * stops the loop after the first such dose, before a second one lands on a tank it cannot see.
 */
export const FAR_BELOW_RESPONSE = 0.25;

/** Expected moves smaller than this are within probe noise, so such a step is not judged. */
export const MIN_JUDGED_MOVE: Record<AdjustGoal['kind'], number> = { 'adjust-ph': 0.05, 'adjust-ec': 0.05 };

/** One dosing step, as the response check needs it. */
export interface DoseStep {
  /** The reading the step was sized from. */
  before: number;
  direction: 1 | -1;
  /** Millilitres dosed in the step, over all its pumps. */
  ml: number;
  /** The tank's volume the step was dosed into. */
  volumeL: number;
  /** The move the tank's response figure predicts: figure × mL / litres. */
  expected: number;
}

export type ResponseVerdict =
  | { kind: 'answered'; moved: number; perMlPerL: number }
  | { kind: 'far-below'; moved: number }
  /** Too small a step to tell from noise. */
  | { kind: 'unjudged' };

export function doseStep(before: number, direction: 1 | -1, ml: number, volumeL: number, responsePerMlPerL: number): DoseStep {
  return { before, direction, ml, volumeL, expected: (responsePerMlPerL * ml) / volumeL };
}

/** What the reading after the mixing wait says about the step before it. */
export function judgeResponse(goal: AdjustGoal, step: DoseStep, value: number): ResponseVerdict {
  const moved = (value - step.before) * step.direction;
  if (step.expected < MIN_JUDGED_MOVE[goal.kind]) return { kind: 'unjudged' };
  if (moved < step.expected * FAR_BELOW_RESPONSE) return { kind: 'far-below', moved };
  return { kind: 'answered', moved, perMlPerL: moved / (step.ml / step.volumeL) };
}

/** Why a closed loop will not dose on this probe, and what to do; null when it is trusted. */
export function suspectProbeRefusal(goal: AdjustGoal['kind'], sensorId: string, health: SensorHealth | undefined, now: number): string | null {
  if (!health || health.status !== 'suspect') return null;
  const probe = `the ${goal === 'adjust-ph' ? 'pH' : 'EC'} probe ${sensorId}`;
  const minutes = Math.max(0, Math.round((now - health.since) / 60_000));
  return `${probe} is suspect (${health.detail}; for ${minutes} min), so no dose is based on it. Check that it is in the water, clean and calibrated, and measure by hand; once its readings move normally again it is trusted and the adjustment can start`;
}
