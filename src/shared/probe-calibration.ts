/**
 * pH and EC probe calibration, as arithmetic: what a buffer really reads at the water's
 * temperature, when a probe's reading has settled, the straight line through the captured
 * points, what that line says about the probe, and the calibrated value of a raw reading.
 * Pure: the station applies it to every reading, and the wizard shows the same figures.
 */

export type ProbeKind = 'ph' | 'ec';

/** One captured point: the solution's value (at the water's temperature) and what the probe read. */
export interface ProbePoint {
  /** The value printed on the bottle: 7.00, or 1.413 mS/cm. */
  nominal: number;
  /** What the solution really is at `tempC` (pH buffers drift with temperature); for EC, at 25 °C. */
  reference: number;
  /** The probe's raw reading; for EC, compensated to 25 °C. */
  raw: number;
  /** The water temperature when captured, or null without a temperature probe (25 °C assumed). */
  tempC: number | null;
  at: number;
}

/** A calibration in force: calibrated = slope × raw + offset (raw EC first compensated to 25 °C). */
export interface ProbeCalibration {
  kind: ProbeKind;
  slope: number;
  offset: number;
  points: ProbePoint[];
  at: number;
  by: string;
}

export const DEFAULT_PH_BUFFERS: readonly number[] = [4.0, 7.0, 10.01];
export const DEFAULT_EC_SOLUTIONS: readonly number[] = [1.413, 12.88];

/** Points a calibration takes: pH two or three buffers, EC one or two solutions. */
export const PROBE_POINTS: Record<ProbeKind, { min: number; max: number }> = { ph: { min: 2, max: 3 }, ec: { min: 1, max: 2 } };

/** The temperature EC is reported at, and the usual change of a nutrient solution's EC per °C. */
export const EC_REFERENCE_C = 25;
export const EC_COMPENSATION_PER_C = 0.02;

/**
 * The standard buffers' pH by temperature (°C → pH), as buffer makers print them on the bottle.
 * Between rows the value is interpolated; outside, the nearest row is used.
 */
const PH_BUFFER_TABLES: Record<string, ReadonlyArray<readonly [number, number]>> = {
  '4': [[0, 4.0], [5, 4.0], [10, 4.0], [15, 4.0], [20, 4.0], [25, 4.0], [30, 4.01], [35, 4.02], [40, 4.03], [50, 4.06]],
  '7': [[0, 7.12], [5, 7.09], [10, 7.06], [15, 7.04], [20, 7.02], [25, 7.0], [30, 6.99], [35, 6.98], [40, 6.97], [50, 6.97]],
  '10.01': [[0, 10.32], [5, 10.25], [10, 10.18], [15, 10.12], [20, 10.06], [25, 10.01], [30, 9.97], [35, 9.93], [40, 9.89], [50, 9.83]],
};

/** What a pH buffer labelled `nominal` (at 25 °C) reads at `tempC`; a buffer not in the tables is taken as labelled. */
export function phBufferAt(nominal: number, tempC: number | null): number {
  const table = PH_BUFFER_TABLES[String(nominal)];
  if (!table || tempC === null) return nominal;
  const first = table[0]!;
  const last = table[table.length - 1]!;
  if (tempC <= first[0]) return first[1];
  if (tempC >= last[0]) return last[1];
  for (let i = 1; i < table.length; i++) {
    const [t1, v1] = table[i]!;
    const [t0, v0] = table[i - 1]!;
    if (tempC <= t1) return round(v0 + ((v1 - v0) * (tempC - t0)) / (t1 - t0), 3);
  }
  return nominal;
}

/** An EC read at `tempC`, as it would read at 25 °C (linear, EC_COMPENSATION_PER_C per °C). */
export function ecAt25(value: number, tempC: number | null): number {
  if (tempC === null) return value;
  return value / (1 + EC_COMPENSATION_PER_C * (tempC - EC_REFERENCE_C));
}

/** A point from a probe reading in a solution: the reference and raw as the fit takes them. */
export function probePoint(kind: ProbeKind, nominal: number, raw: number, tempC: number | null, at: number): ProbePoint {
  return kind === 'ph'
    ? { nominal, reference: phBufferAt(nominal, tempC), raw, tempC, at }
    : { nominal, reference: nominal, raw: round(ecAt25(raw, tempC), 4), tempC, at };
}

/**
 * When a reading has settled: it has been watched for the last 30 s, and over them the readings'
 * standard deviation is under 0.02 pH, or under 2% of their mean for EC. A probe just dipped in
 * a buffer drifts for tens of seconds, and a point captured then is a wrong point; the deviation
 * rather than the spread, so one noisy reading does not hold a settled probe back.
 */
export const STABLE_WINDOW_MS = 30_000;
export const STABLE_DEVIATION: Record<ProbeKind, { absolute?: number; relative?: number }> = { ph: { absolute: 0.02 }, ec: { relative: 0.02 } };

export interface Stability {
  stable: boolean;
  /** The standard deviation of the readings in the window. */
  deviation: number;
  /** Their mean: the value a point is captured at. */
  mean: number | null;
  /** How long the readings have been watched, up to the window. */
  watchedMs: number;
}

/** Whether `samples` (oldest first) have settled as of `now`. */
export function stability(kind: ProbeKind, samples: ReadonlyArray<{ value: number; at: number }>, now: number): Stability {
  const recent = samples.filter((sample) => sample.at > now - STABLE_WINDOW_MS && sample.at <= now);
  // A sample from before the window shows the readings were watched for all of it.
  const watchedFully = samples.some((sample) => sample.at <= now - STABLE_WINDOW_MS);
  if (recent.length === 0) return { stable: false, deviation: 0, mean: null, watchedMs: 0 };
  const watchedMs = watchedFully ? STABLE_WINDOW_MS : now - recent[0]!.at;
  const values = recent.map((sample) => sample.value);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const deviation = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  const limit = STABLE_DEVIATION[kind].absolute ?? (STABLE_DEVIATION[kind].relative ?? 0) * Math.abs(mean);
  return { stable: watchedMs >= STABLE_WINDOW_MS && deviation < limit, deviation: round(deviation, 4), mean: round(mean, 4), watchedMs };
}

export interface ProbeFit {
  slope: number;
  offset: number;
}

/**
 * The line through the points by least squares (through two, exactly). One EC point fixes the
 * slope alone: a conductivity cell reads zero in pure water.
 */
export function fitProbe(points: readonly ProbePoint[]): ProbeFit | null {
  if (points.length === 0) return null;
  if (points.length === 1) {
    const [point] = points as [ProbePoint];
    return point.raw > 0 ? { slope: round(point.reference / point.raw, 5), offset: 0 } : null;
  }
  const n = points.length;
  const meanRaw = points.reduce((sum, point) => sum + point.raw, 0) / n;
  const meanRef = points.reduce((sum, point) => sum + point.reference, 0) / n;
  const sxx = points.reduce((sum, point) => sum + (point.raw - meanRaw) ** 2, 0);
  if (sxx < 1e-12) return null;
  const sxy = points.reduce((sum, point) => sum + (point.raw - meanRaw) * (point.reference - meanRef), 0);
  const slope = sxy / sxx;
  return { slope: round(slope, 5), offset: round(meanRef - slope * meanRaw, 5) };
}

/**
 * The probe's own slope as a percentage of an ideal probe's: 100% reads the buffers exactly as
 * they are. A pH probe at 90–105% is healthy; an EC cell within 80–120% of its nominal constant.
 */
export function probeEfficiency(fit: ProbeFit): number {
  return round(100 / fit.slope, 1);
}

const HEALTHY: Record<ProbeKind, [number, number]> = { ph: [90, 105], ec: [80, 120] };
/** Beyond these a calibration is refused unless confirmed: a slip, the wrong bottle, a dead probe. */
const PLAUSIBLE: Record<ProbeKind, [number, number]> = { ph: [80, 120], ec: [50, 200] };

export interface ProbeHealth {
  healthy: boolean;
  efficiency: number;
  words: string;
}

export function probeHealth(kind: ProbeKind, fit: ProbeFit): ProbeHealth {
  const efficiency = probeEfficiency(fit);
  const [low, high] = HEALTHY[kind];
  const healthy = efficiency >= low && efficiency <= high;
  const noun = kind === 'ph' ? 'pH probe' : 'EC probe';
  const words = healthy
    ? `the ${noun} is healthy: its slope is ${efficiency}% of ideal (${low}–${high}% is healthy)`
    : `the ${noun}'s slope is ${efficiency}% of ideal, outside ${low}–${high}%: it may need cleaning or replacing`;
  return { healthy, efficiency, words };
}

/**
 * Why these points cannot make a calibration (`hard`: not even with confirmation), or why they
 * should be confirmed first; undefined when they are fine.
 */
export function probeFitProblem(kind: ProbeKind, points: readonly ProbePoint[]): { hard: boolean; message: string } | undefined {
  const { min } = PROBE_POINTS[kind];
  const unit = kind === 'ph' ? 'pH' : 'mS/cm';
  if (points.length < min) {
    return { hard: true, message: `a ${kind === 'ph' ? 'pH' : 'EC'} calibration needs at least ${min} points; ${points.length} captured so far` };
  }
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      if (Math.abs(a.reference - b.reference) < (kind === 'ph' ? 1 : 0.1 * Math.max(a.reference, b.reference))) {
        return { hard: true, message: `two points are in solutions of nearly the same value (${a.nominal} and ${b.nominal} ${unit}); capture the second point in a different solution` };
      }
    }
  }
  const fit = fitProbe(points);
  if (!fit || !(fit.slope > 0)) {
    return { hard: true, message: `the probe read the same or backwards in different solutions (${points.map((point) => point.raw).join(', ')}); rinse it, check it is in the solution named, and capture again` };
  }
  const efficiency = probeEfficiency(fit);
  const [low, high] = PLAUSIBLE[kind];
  if (efficiency < low || efficiency > high) {
    return { hard: false, message: `the probe's slope would be ${efficiency}% of ideal, far outside ${low}–${high}%; check the solutions and the probe, then save again with confirm: true if it is right` };
  }
  return undefined;
}

/** A raw reading as calibrated; EC compensated to 25 °C with the water temperature. */
export function calibratedValue(calibration: Pick<ProbeCalibration, 'kind' | 'slope' | 'offset'>, raw: number, tempC: number | null): number {
  const input = calibration.kind === 'ec' ? ecAt25(raw, tempC) : raw;
  return round(calibration.slope * input + calibration.offset, calibration.kind === 'ph' ? 3 : 4);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
