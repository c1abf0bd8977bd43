/**
 * The maths of a sparkline: values in, an SVG path out. Kept apart from the component so it
 * can be checked without a browser.
 */
export interface SparklineBox {
  width: number;
  height: number;
  /** Room kept at the top and bottom so the stroke is not cut off. */
  pad: number;
}

/**
 * The path through the values, oldest at the left. `minSpan` is the smallest range the height
 * stands for: without it, ±0.01 of probe noise would fill the box and look like a swing.
 */
export function sparklinePath(values: readonly number[], box: SparklineBox, minSpan = 0): string {
  if (values.length === 0) return '';
  const { low, high } = verticalRange(values, minSpan);
  const inner = box.height - 2 * box.pad;
  const y = (value: number) => (high === low ? box.height / 2 : box.pad + ((high - value) / (high - low)) * inner);
  if (values.length === 1) {
    const level = round(y(values[0]!));
    return `M0 ${level}H${round(box.width)}`;
  }
  const step = box.width / (values.length - 1);
  return values.map((value, index) => `${index === 0 ? 'M' : 'L'}${round(index * step)} ${round(y(value))}`).join('');
}

/** The range the box shows: the values' own, widened about their middle to at least minSpan. */
export function verticalRange(values: readonly number[], minSpan: number): { low: number; high: number } {
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < minSpan) {
    const middle = (low + high) / 2;
    low = middle - minSpan / 2;
    high = middle + minSpan / 2;
  }
  return { low, high };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
