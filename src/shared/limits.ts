/**
 * The host's safety limits: what jobs may dose, fill and adjust. Main reads them from `safety`
 * in settings.json (main/jobs/limits.ts) and checks every job against them; they are in the live
 * state too, so every screen can show the caps a refusal will quote.
 */

export interface PumpLimits {
  maxMlPerDose: number;
  maxMlPerDay: number;
}

export interface LoopLimits {
  /** A reading older than this is not trusted for a dosing decision. */
  maxReadingAgeMs: number;
  /** After each dose, wait this long for the solution to mix before measuring again. */
  mixWaitMs: number;
  /** Between nutrient A and nutrient B: concentrates must never meet undiluted. */
  abPauseMs: number;
  /** The most one adjustment may dose, over all its steps. */
  maxTotalMl: number;
  /** The most one step may dose. */
  maxStepMl: number;
  /** Millilitres per unit of error (pH or mS/cm) for a step, before the step cap. */
  mlPerUnit: number;
  /** Doses in a row that did not move the reading before the loop gives up on the sensor. */
  unresponsiveSteps: number;
  /** A dose must move the reading by at least this fraction of what it was meant to. */
  minResponse: number;
  /** Refuse to dose while the tank's circulation relay is off. */
  requireCirculation: boolean;
}

export interface FillLimits {
  /** No fill runs longer than this. */
  timeoutMs: number;
  /** The valve is open but no pulse has come for this long: no water, or a stuck meter. */
  noFlowMs: number;
  /** Flow meter calibration used until one is measured. */
  defaultPulsesPerLiter: number;
  /** Expected flow, to set the device's time bound for a fill; slower fills hit timeoutMs. */
  nominalLitersPerMinute: number;
}

export interface DrainLimits {
  /** No drain runs longer than this. */
  timeoutMs: number;
  /** The valve is open but the level has not fallen for this long: a stuck valve or a blocked outlet. */
  noFallMs: number;
  /** Expected outflow, to set the device's time bound on the drain valve. */
  nominalLitersPerMinute: number;
}

export interface SafetyLimits {
  pump: PumpLimits;
  /** Per-pump overrides of `pump`. */
  pumps: Record<string, Partial<PumpLimits>>;
  fill: FillLimits;
  drain: DrainLimits;
  loop: LoopLimits;
}

export const DEFAULT_LIMITS: SafetyLimits = {
  pump: { maxMlPerDose: 50, maxMlPerDay: 500 },
  pumps: {},
  fill: { timeoutMs: 20 * 60_000, noFlowMs: 15_000, defaultPulsesPerLiter: 450, nominalLitersPerMinute: 8 },
  drain: { timeoutMs: 20 * 60_000, noFallMs: 60_000, nominalLitersPerMinute: 10 },
  loop: {
    maxReadingAgeMs: 15_000,
    mixWaitMs: 60_000,
    abPauseMs: 30_000,
    maxTotalMl: 60,
    maxStepMl: 10,
    mlPerUnit: 10,
    unresponsiveSteps: 3,
    minResponse: 0.1,
    requireCirculation: true,
  },
};
