/**
 * History points as a chart draws them. The station leaves a gap where it has no samples (the
 * station was off, the sensor unplugged); a line drawn straight across would hide that, so a
 * break in the time series becomes a break in the line.
 */

/** A step this many times the usual spacing is a gap, not a slow sample. */
const GAP_FACTOR = 3;

function typicalStep(times: readonly number[]): number {
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) steps.push(times[i]! - times[i - 1]!);
  if (steps.length === 0) return 0;
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

/** Columns for uPlot: times in seconds, values with null where the line must break. */
export function chartColumns(points: ReadonlyArray<readonly [number, number]>): [number[], Array<number | null>] {
  const times: number[] = [];
  const values: Array<number | null> = [];
  const step = typicalStep(points.map(([at]) => at));
  points.forEach(([at, value], index) => {
    const previous = points[index - 1];
    if (previous && step > 0 && at - previous[0] > step * GAP_FACTOR) {
      times.push((previous[0] + at) / 2 / 1000);
      values.push(null);
    }
    times.push(at / 1000);
    values.push(value);
  });
  return [times, values];
}

export interface HistorySummary {
  count: number;
  min: number;
  max: number;
  latest: number;
  latestAt: number;
}

export function summarise(points: ReadonlyArray<readonly [number, number]>): HistorySummary | null {
  const last = points[points.length - 1];
  if (!last) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const [, value] of points) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { count: points.length, min, max, latest: last[1], latestAt: last[0] };
}

/** What a screen reader says for a chart it cannot see. */
export function describeHistory(name: string, windowLabel: string, summary: HistorySummary | null, format: (value: number) => string, unit: string): string {
  if (!summary) return `${name}, last ${windowLabel}: no readings in this window.`;
  const u = unit ? ` ${unit}` : '';
  return `${name}, last ${windowLabel}: ${summary.count} readings from ${format(summary.min)} to ${format(summary.max)}${u}; latest ${format(summary.latest)}${u}.`;
}

/** A chart following the station adds a point at most this often, however fast readings come. */
export const LIVE_STEP_MS = 1000;

export interface LiveSample {
  at: number;
  value: number;
}

/**
 * The chart's points with a live sample added: only when it is at least LIVE_STEP_MS after the
 * last point, so a fast sensor does not redraw the chart more than once a second, and with the
 * points that have slid out of the window (before `from`) dropped. The same array when nothing
 * changes, so nothing redraws.
 */
export function followLive(points: ReadonlyArray<[number, number]>, sample: LiveSample, from: number): ReadonlyArray<[number, number]> {
  if (!Number.isFinite(sample.value) || !Number.isFinite(sample.at)) return points;
  const last = points[points.length - 1];
  if (last && sample.at - last[0] < LIVE_STEP_MS) return points;
  let first = 0;
  while (first < points.length && points[first]![0] < from) first++;
  return [...points.slice(first), [sample.at, sample.value]];
}

export interface ChartSpan {
  from: number;
  to: number;
}

/**
 * The stretch of time a chart spans: the whole window the grower chose, ending now or at the
 * newest point if that is later. A station a few hours old still gets a 7 d axis with its
 * readings at the right-hand end, so the window reads the same on every station.
 */
export function chartSpan(windowMs: number, asOf: number, points: ReadonlyArray<readonly [number, number]>): ChartSpan {
  const newest = points[points.length - 1]?.[0] ?? asOf;
  const to = Math.max(asOf, newest);
  return { from: to - windowMs, to };
}

/**
 * The band a reading should stay in, in the chart's units; an end left null is not watched.
 * With `adjust`, it is what the latest pH or EC adjustment in the window aimed for; without, the
 * reading alarm's limits.
 */
export interface TargetBand {
  low: number | null;
  high: number | null;
  adjust?: { reading: 'pH' | 'EC'; target: number; band: number };
}

/**
 * The value axis: the readings and the target band, so the band is always in sight and a
 * reading drifting towards its edge shows how far it has to go. A flat line gets some room.
 */
export function valueRange(points: ReadonlyArray<readonly [number, number]>, band: TargetBand | null): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const [, value] of points) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  for (const edge of [band?.low, band?.high]) {
    if (edge === null || edge === undefined) continue;
    min = Math.min(min, edge);
    max = Math.max(max, edge);
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return null;
  const pad = max > min ? (max - min) * 0.08 : Math.max(Math.abs(max) * 0.05, 0.5);
  return [min - pad, max + pad];
}

/** The words under the pointer: when, the value, and what the station did then, if anything. */
export function hoverWords(time: string, value: number | null, format: (value: number) => string, unit: string, mark: string | null): string {
  const reading = value === null ? 'no reading' : `${format(value)}${unit ? ` ${unit}` : ''}`;
  return [time, reading, mark].filter((part) => part !== null).join(' · ');
}

/**
 * What the shaded band is, in words under the chart and after its description: "Shaded:
 * 5.60–6.00 pH, what the last pH adjustment aimed for (5.80 ± 0.20)". Null without a band.
 */
export function bandLegend(band: TargetBand | null, format: (value: number) => string, unit: string): string | null {
  if (!band) return null;
  const u = unit ? ` ${unit}` : '';
  if (band.adjust && band.low !== null && band.high !== null) {
    const { reading, target, band: within } = band.adjust;
    return `Shaded: ${format(band.low)}–${format(band.high)}${u}, what the last ${reading} adjustment aimed for (${format(target)} ± ${format(within)})`;
  }
  if (band.low !== null && band.high !== null) return `Shaded: ${format(band.low)}–${format(band.high)}${u}, the reading alarm's limits`;
  if (band.low !== null) return `Shaded: at least ${format(band.low)}${u}, the reading alarm's limit`;
  return `Shaded: at most ${format(band.high!)}${u}, the reading alarm's limit`;
}

/** The band in words after the chart's description, for a screen reader. */
export function describeBand(band: TargetBand | null, format: (value: number) => string, unit: string): string {
  const legend = bandLegend(band, format, unit);
  return legend ? ` ${legend}.` : '';
}

/**
 * The time axis in the screen's own way of writing times and dates: uPlot's built-in labels are
 * American ("9pm", "12/3/26"), which a grower in Britain reads as the 12th of March. A tick says
 * the time; the first, and each one on a new day, says the day under it.
 */
export function timeTicks(splitsSec: readonly number[], locale?: string, timeZone?: string): string[] {
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone });
  let lastDay = '';
  return splitsSec.map((seconds) => {
    const at = new Date(seconds * 1000);
    const today = day.format(at);
    const words = today === lastDay ? time.format(at) : `${time.format(at)}\n${today}`;
    lastDay = today;
    return words;
  });
}
