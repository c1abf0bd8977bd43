/**
 * Reading alarm limits as the form shows them: in this screen's units (a water temperature in
 * °F and a level in gallons on a US screen, as the Overview shows those readings), checked in the
 * form's own words, and turned back into the sensor's unit that the station keeps. A limit left
 * as it was shown is sent as the station had it, so rounding to show it never moves it.
 */
import { limitsProblem, MAX_HOLD_SECONDS, type ReadingLimits } from '../../../../shared/reading-alarms';
import { LITERS_PER_GALLON, type UnitSystem } from '../../units';

export const LIMIT_FIELDS = [
  ['criticalLow', 'Critical below'],
  ['warningLow', 'Warning below'],
  ['warningHigh', 'Warning above'],
  ['criticalHigh', 'Critical above'],
] as const;

type LimitField = (typeof LIMIT_FIELDS)[number][0];

export type LimitsDraft = Record<LimitField | 'hysteresis' | 'holdSeconds', string> & { percentOfCapacity: boolean };

/** How a sensor's limits read on this screen. */
export interface LimitScale {
  /** The unit the fields are in: "°F", "gal", "%", "pH", "mS/cm"… */
  unit: string;
  /** A limit in the sensor's unit, as shown. */
  show(value: number): number;
  /** A limit as typed, in the sensor's unit. */
  keep(value: number): number;
  /** A difference (the hysteresis), as shown: °F degrees are smaller, but have no offset. */
  showGap(value: number): number;
  keepGap(value: number): number;
}

const same = (value: number) => value;

export function limitScale(sensorUnit: string, system: UnitSystem, percentOfCapacity: boolean): LimitScale {
  if (percentOfCapacity) return { unit: '%', show: same, keep: same, showGap: same, keepGap: same };
  if (system === 'us' && sensorUnit === '°C') {
    return { unit: '°F', show: (c) => (c * 9) / 5 + 32, keep: (f) => ((f - 32) * 5) / 9, showGap: (c) => (c * 9) / 5, keepGap: (f) => (f * 5) / 9 };
  }
  if (system === 'us' && sensorUnit === 'L') {
    const gallons = (liters: number) => liters / LITERS_PER_GALLON;
    const liters = (gal: number) => gal * LITERS_PER_GALLON;
    return { unit: 'gal', show: gallons, keep: liters, showGap: gallons, keepGap: liters };
  }
  return { unit: sensorUnit, show: same, keep: same, showGap: same, keepGap: same };
}

/** Two decimals at most, and none that say nothing: 78.8, not 78.80000000000001. */
const shown = (value: number) => String(Math.round(value * 100) / 100);
/** Four decimals in the sensor's unit are finer than any probe reads. */
const kept = (value: number) => Math.round(value * 10_000) / 10_000;

export function limitsDraftOf(limits: ReadingLimits, scale: LimitScale): LimitsDraft {
  const limit = (value: number | undefined) => (value === undefined ? '' : shown(scale.show(value)));
  return {
    criticalLow: limit(limits.criticalLow),
    warningLow: limit(limits.warningLow),
    warningHigh: limit(limits.warningHigh),
    criticalHigh: limit(limits.criticalHigh),
    hysteresis: shown(scale.showGap(limits.hysteresis)),
    holdSeconds: String(limits.holdSeconds),
    percentOfCapacity: limits.percentOfCapacity ?? false,
  };
}

/** A field's number, undefined when left empty, or NaN when it is not a number. */
const numberOf = (value: string): number | undefined => (value.trim() === '' ? undefined : Number(value.trim().replace(',', '.')));

export type LimitsCheck = { limits: ReadingLimits } | { problem: string; field?: keyof LimitsDraft };

/**
 * The draft as limits in the sensor's unit, or what is wrong with it in the form's words. The
 * station checks the same rules again (shared/reading-alarms.ts) when the limits arrive.
 */
export function limitsFromDraft(draft: LimitsDraft, scale: LimitScale, before?: ReadingLimits): LimitsCheck {
  const unchanged = before && (before.percentOfCapacity ?? false) === draft.percentOfCapacity ? limitsDraftOf(before, scale) : null;
  const limits: ReadingLimits = { hysteresis: 0, holdSeconds: 0 };
  const typed: Array<[string, number]> = [];
  for (const [field, label] of LIMIT_FIELDS) {
    const value = numberOf(draft[field]);
    if (value === undefined) continue;
    if (!Number.isFinite(value)) return { problem: 'Enter a number, or leave it empty to not watch this limit.', field };
    typed.push([label, value]);
    limits[field] = unchanged?.[field] === draft[field] ? before?.[field] : kept(scale.keep(value));
  }
  if (typed.length === 0) return { problem: 'Set at least one limit, or use the defaults.' };
  const unit = scale.unit === 'pH' ? '' : ` ${scale.unit}`;
  // Low to high: critical below < warning below < warning above < critical above.
  for (let i = 1; i < typed.length; i++) {
    const [lowLabel, low] = typed[i - 1]!;
    const [highLabel, high] = typed[i]!;
    if (!(low < high)) return { problem: `${lowLabel} (${low}${unit}) must be lower than ${highLabel.toLowerCase()} (${high}${unit}).` };
  }
  if (draft.percentOfCapacity && typed.some(([, value]) => value < 0 || value > 100)) return { problem: 'Limits in percent of the tank must be 0 to 100.' };
  const hysteresis = numberOf(draft.hysteresis);
  if (hysteresis === undefined || !Number.isFinite(hysteresis) || hysteresis < 0) {
    return { problem: `Enter how far back inside a limit a reading must come, such as ${shown(scale.showGap(0.5))}${unit} (0 for none).`, field: 'hysteresis' };
  }
  const warningLow = numberOf(draft.warningLow);
  const warningHigh = numberOf(draft.warningHigh);
  if (warningLow !== undefined && warningHigh !== undefined && hysteresis * 2 >= warningHigh - warningLow) {
    return { problem: `Enter less than half the gap between the warnings (${shown((warningHigh - warningLow) / 2)}${unit}), or an alarm could never clear.`, field: 'hysteresis' };
  }
  const hold = numberOf(draft.holdSeconds);
  if (hold === undefined || !Number.isFinite(hold) || hold < 0 || hold > MAX_HOLD_SECONDS) return { problem: `Enter the seconds a crossing must last, 0 to ${MAX_HOLD_SECONDS}.`, field: 'holdSeconds' };
  limits.hysteresis = unchanged?.hysteresis === draft.hysteresis && before ? before.hysteresis : kept(scale.keepGap(hysteresis));
  limits.holdSeconds = hold;
  if (draft.percentOfCapacity) limits.percentOfCapacity = true;
  // The station's own rules, as a last word: the form's checks above say the same, in its words.
  const problem = limitsProblem(limits);
  return problem ? { problem } : { limits };
}

/** The limits in a line: "warning below 5.5 or above 6.5; critical below 5 or above 7; clears 0.05 inside, after 30 s". */
export function limitsSummary(limits: ReadingLimits, scale: LimitScale): string {
  const u = scale.unit === '%' ? '%' : scale.unit === 'pH' ? '' : ` ${scale.unit}`;
  const at = (value: number) => `${shown(scale.show(value))}${u}`;
  const band = (low: number | undefined, high: number | undefined) => [low !== undefined ? `below ${at(low)}` : null, high !== undefined ? `above ${at(high)}` : null].filter(Boolean).join(' or ');
  const warning = band(limits.warningLow, limits.warningHigh);
  const critical = band(limits.criticalLow, limits.criticalHigh);
  return [warning && `warning ${warning}`, critical && `critical ${critical}`, `clears ${shown(scale.showGap(limits.hysteresis))}${u} inside, after ${limits.holdSeconds} s`]
    .filter(Boolean)
    .join('; ');
}

/** A limit's field label in the form's unit; pH has none, so none is shown. */
export function limitLabel(label: string, unit: string): string {
  return unit === 'pH' ? label : `${label} (${unit})`;
}
