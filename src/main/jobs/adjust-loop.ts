/**
 * The closed loop that brings pH or EC into band, as a pure decision: given what the loop has
 * done so far and the latest reading, what to do next. Measure, dose a bounded step, wait for it
 * to mix, measure again, until in band or a limit is reached. The job around it does the I/O.
 */
import type { Reading } from '../../shared/station';
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
