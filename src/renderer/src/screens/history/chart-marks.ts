/**
 * What the station did, drawn on the charts: a dose, a fill and an emergency stop are the
 * moments that explain a step in a reading. Doses and fills come from the job history, each on
 * the charts of its own tank; an emergency stop concerns every chart.
 */
import { limitsOf, resolveLimits, type ReadingAlarmSettings } from '../../../../shared/reading-alarms';
import type { Alert, Channel, Job, Tank } from '../../../../shared/station';
import { describeJob, type StationNames } from '../../components/job-words';
import type { ChartSpan, TargetBand } from './chart-data';

export type MarkKind = 'dose' | 'fill' | 'estop';

export interface ChartMark {
  at: number;
  kind: MarkKind;
  label: string;
}

/** A job as the history answers it (no time left) or as the live state holds it. */
export type MarkedJob = Pick<Job, 'id' | 'spec' | 'tankId' | 'startedAt'>;

const JOB_MARKS: Partial<Record<MarkedJob['spec']['kind'], MarkKind>> = {
  dose: 'dose',
  'adjust-ph': 'dose',
  'adjust-ec': 'dose',
  fill: 'fill',
  'fill-to': 'fill',
  'calibrate-flow': 'fill',
};

export const ESTOP_CODE = 'ESTOP_LATCHED';

/**
 * The marks on one channel's chart within its span, oldest first: each dose and fill when it
 * started, and each emergency stop when it latched. A job of another tank is left off; a job
 * with no tank, or a channel that belongs to none, shows them all rather than hide one.
 */
export function chartMarks(
  channelId: string,
  jobs: readonly MarkedJob[],
  alerts: readonly Pick<Alert, 'code' | 'at' | 'lastAt' | 'count' | 'message'>[],
  tanks: readonly Pick<Tank, 'id' | 'channelIds'>[],
  names: StationNames,
  span: ChartSpan,
): ChartMark[] {
  const inSpan = (at: number) => at >= span.from && at <= span.to;
  const ownTanks = new Set(tanks.filter((tank) => tank.channelIds.includes(channelId)).map((tank) => tank.id));
  const marks: ChartMark[] = [];
  const seen = new Set<number>();
  for (const job of jobs) {
    const kind = JOB_MARKS[job.spec.kind];
    if (!kind || job.startedAt === null || seen.has(job.id) || !inSpan(job.startedAt)) continue;
    if (job.tankId !== null && ownTanks.size > 0 && !ownTanks.has(job.tankId)) continue;
    seen.add(job.id);
    marks.push({ at: job.startedAt, kind, label: describeJob(job.spec, names) });
  }
  for (const alert of alerts) {
    if (alert.code !== ESTOP_CODE) continue;
    // Repeats fold into one alert: its first and its latest latch are what it still tells.
    const times = alert.lastAt !== undefined && alert.lastAt !== alert.at ? [alert.at, alert.lastAt] : [alert.at];
    for (const at of times) if (inSpan(at)) marks.push({ at, kind: 'estop', label: 'Emergency stop' });
  }
  return marks.sort((a, b) => a.at - b.at);
}

/** The mark nearest `at` within `withinMs`, so a pointer need not land on a one-pixel line. */
export function nearestMark(marks: readonly ChartMark[], at: number, withinMs: number): ChartMark | null {
  let best: ChartMark | null = null;
  for (const mark of marks) {
    const distance = Math.abs(mark.at - at);
    if (distance <= withinMs && (!best || distance < Math.abs(best.at - at))) best = mark;
  }
  return best;
}

/**
 * The band a sensor's reading should stay in: its reading alarm's warning limits (a critical
 * one where no warning is set), in the chart's units. A level in percent of its tank's capacity
 * is turned into litres first, as the probe reads. Null for a flow meter or a sensor nobody
 * set limits for.
 */
export function targetBand(channel: Channel, settings: ReadingAlarmSettings, tanks: readonly Tank[], convert: (value: number) => number): TargetBand | null {
  const limits = limitsOf(settings, channel);
  if (!limits) return null;
  const tank = tanks.find((candidate) => candidate.channelIds.includes(channel.id));
  // Percent of nothing: a level probe in no tank has no capacity to place its band by.
  if (limits.percentOfCapacity && channel.unit !== '%' && !tank) return null;
  const resolved = resolveLimits(limits, channel, tank);
  const low = resolved.warningLow ?? resolved.criticalLow;
  const high = resolved.warningHigh ?? resolved.criticalHigh;
  if (low === null && high === null) return null;
  return { low: low === null ? null : convert(low), high: high === null ? null : convert(high) };
}

const TALLY_WORDS: Record<MarkKind, [string, string]> = { dose: ['dose', 'doses'], fill: ['fill', 'fills'], estop: ['emergency stop', 'emergency stops'] };

/** "2 doses, 1 fill, 1 emergency stop": the marks on a chart counted. */
export function markTally(marks: readonly ChartMark[]): string {
  return (['dose', 'fill', 'estop'] as const)
    .map((kind) => [kind, marks.filter((mark) => mark.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${TALLY_WORDS[kind][count === 1 ? 0 : 1]}`)
    .join(', ');
}
