import { sparklinePath } from './sparkline';

const BOX = { width: 100, height: 24, pad: 2 };

interface SparklineProps {
  values: readonly number[];
  /** The smallest range the height stands for, in the reading's unit. */
  minSpan?: number;
  label: string;
}

/** A tiny trend line: which way a reading is going, not a chart to read values from. */
export function Sparkline({ values, minSpan = 0, label }: SparklineProps) {
  if (values.length < 2) return <span className="sparkline sparkline-empty" aria-hidden="true" />;
  return (
    <svg className="sparkline" viewBox={`0 0 ${BOX.width} ${BOX.height}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <path d={sparklinePath(values, BOX, minSpan)} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" strokeLinejoin="round" />
    </svg>
  );
}
