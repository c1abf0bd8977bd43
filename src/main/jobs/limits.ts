/**
 * The safety limits jobs run within. Every one has a default a grower can live with, and every
 * one can be changed by an operator in Settings → Safety (caps-desk.ts) or as `safety` in settings.json. The
 * device enforces its own bounds as well (maxMl, maxMs, maxPulses per channel); these are the host's, stricter ones,
 * checked before anything is sent so a refusal can say which limit and why.
 */
import type { PumpLimits, SafetyLimits } from '../../shared/limits';

export { DEFAULT_LIMITS, type DrainLimits, type FillLimits, type LoopLimits, type PumpLimits, type SafetyLimits } from '../../shared/limits';

export function pumpLimits(limits: SafetyLimits, pumpId: string): PumpLimits {
  return { ...limits.pump, ...limits.pumps[pumpId] };
}

const round = (ml: number) => Math.round(ml * 100) / 100;

const DAY_MS = 24 * 3600_000;

/**
 * How far back the daily caps look, in host milliseconds: one day of the controller's time. On
 * real hardware that is 24 h. A simulated station sped up N times lives its day in 24 h / N, so a
 * month simulated in hours is held to a month of daily caps, not to one day's.
 */
export function capDayMs(timeScale = 1): number {
  return Number.isFinite(timeScale) && timeScale > 0 ? DAY_MS / timeScale : DAY_MS;
}

/** Room for a pump to get going, on top of its calibrated run time, before the device cuts it. */
const DOSE_MARGIN = 1.2;
const DOSE_MARGIN_MS = 1_000;

/**
 * How long the controller lets a pump run for `ml` at its calibrated rate: the run time with room
 * to get going. The device stops the pump at this bound whatever the host does, so a lost stop
 * never turns a dose into an overdose; the host waits for the end report against the same bound.
 */
export function doseBoundMs(ml: number, mlPerSecond: number): number {
  return (ml / mlPerSecond) * 1000 * DOSE_MARGIN + DOSE_MARGIN_MS;
}

/**
 * Why a dose may not run, or null. `deliveredToday` is what the pump delivered in the last day
 * (`capDayMs`), from the dose audit.
 */
export function doseRefusal(pump: { id: string; name: string }, ml: number, deliveredToday: number, limits: SafetyLimits): string | null {
  const caps = pumpLimits(limits, pump.id);
  if (ml > caps.maxMlPerDose) {
    return `a dose of ${round(ml)} mL exceeds the ${caps.maxMlPerDose} mL per-dose cap for ${pump.name}; dose less, or raise the cap in Settings → Safety`;
  }
  if (deliveredToday + ml > caps.maxMlPerDay) {
    const left = Math.max(0, caps.maxMlPerDay - deliveredToday);
    return `${pump.name} has dosed ${round(deliveredToday)} mL in the last 24 h; ${round(ml)} mL more would pass its ${caps.maxMlPerDay} mL daily cap (${round(left)} mL left)`;
  }
  return null;
}
