import { formatMoment } from '../../format';
import { markTally, type ChartMark } from './chart-marks';

const LEGEND = { dose: 'dotted line', fill: 'dashed line', estop: 'solid line' } as const;

/**
 * The marks on a chart as text: what the lines are, for a screen reader and for a grower who
 * wants the exact minute of a dose.
 */
export function MarkList({ name, marks }: { name: string; marks: readonly ChartMark[] }) {
  if (marks.length === 0) return null;
  return (
    <details className="chart-marks">
      <summary>{markTally(marks)}</summary>
      <ul aria-label={`Doses, fills and stops on the ${name} chart`}>
        {marks.map((mark) => (
          <li key={`${mark.kind}-${mark.at}-${mark.label}`} className={`mark-${mark.kind}`}>
            <time dateTime={new Date(mark.at).toISOString()}>{formatMoment(mark.at)}</time> {mark.label} <span className="row-note">({LEGEND[mark.kind]})</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
