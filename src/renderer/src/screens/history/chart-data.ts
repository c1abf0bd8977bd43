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
