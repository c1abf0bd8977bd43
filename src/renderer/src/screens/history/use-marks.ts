import { useEffect, useMemo, useState } from 'react';
import { HISTORY_WINDOWS, type HistoryWindow } from '../../../../shared/history';
import { marksPath } from '../../../../shared/records';
import type { Channel } from '../../../../shared/station';
import { namesFrom } from '../../components/job-words';
import { useStationStore } from '../../store';
import { useUnits } from '../../units';
import type { ChartSpan, TargetBand } from './chart-data';
import { chartMarks, stopsOf, targetBand, type ChartMark, type MarkedDose, type MarkedFill, type MarkedJob, type Stop } from './chart-marks';
import { records } from './history-source';

/** What the station recorded in the charts' window: the jobs they mark and each emergency stop. */
export interface RecordedMarks {
  jobs: readonly MarkedJob[];
  stops: readonly Stop[];
  /** Each dose a recipe made, so a chart marks it rather than only the recipe's start. */
  doses: readonly MarkedDose[];
  /** Each fill a recipe made, marked when its water started. */
  fills: readonly MarkedFill[];
}

const NOTHING_RECORDED: RecordedMarks = { jobs: [], stops: [], doses: [], fills: [] };

/** Changes when a live recipe moves to another step: its next dose is then in the records. */
function useRecipeSteps(): string {
  return useStationStore((s) => (s.station?.jobs ?? []).filter((job) => job.spec.kind === 'recipe' && job.startedAt !== null).map((job) => `${job.id}:${job.state}:${job.detail.split(' (')[0]}`).join('|'));
}

/**
 * The doses, fills and emergency stops the station recorded in the window ending at `asOf`,
 * asked again with the charts. The live state's jobs and alerts are added in `useChartMarks`, so
 * a dose started while the screen is open is marked at once. A station that cannot answer leaves
 * the charts with the marks they had rather than unreadable.
 */
export function useRecordedMarks(window: HistoryWindow, asOf: number): RecordedMarks {
  const [recorded, setRecorded] = useState<RecordedMarks>(NOTHING_RECORDED);
  // A recipe running while the charts are open doses step by step; each step asks again, up to
  // now, as a followed chart spans.
  const recipeSteps = useRecipeSteps();
  useEffect(() => {
    let current = true;
    void records()
      .get(marksPath({ from: Math.round(asOf - HISTORY_WINDOWS[window].ms), to: Math.round(Math.max(asOf, Date.now())) }))
      .then((answer) => {
        if (!current || !answer.ok) return;
        try {
          const parsed = JSON.parse(answer.body) as { jobs?: unknown; stops?: unknown; doses?: unknown; fills?: unknown };
          const jobs = Array.isArray(parsed.jobs) ? parsed.jobs.filter(isMarkedJob) : [];
          const stops = Array.isArray(parsed.stops) ? parsed.stops.filter(isStop) : [];
          const doses = Array.isArray(parsed.doses) ? parsed.doses.filter(isMarkedDose) : [];
          const fills = Array.isArray(parsed.fills) ? parsed.fills.filter(isMarkedFill) : [];
          setRecorded({ jobs, stops, doses, fills });
        } catch {
          // An answer this screen cannot read marks nothing; the readings still chart.
        }
      });
    return () => {
      current = false;
    };
  }, [window, asOf, recipeSteps]);
  return recorded;
}

function isMarkedDose(dose: unknown): dose is MarkedDose {
  if (typeof dose !== 'object' || dose === null) return false;
  const { at, jobId, pumpId, deliveredMl } = dose as Record<string, unknown>;
  return typeof at === 'number' && typeof jobId === 'number' && typeof pumpId === 'string' && typeof deliveredMl === 'number';
}

function isMarkedFill(fill: unknown): fill is MarkedFill {
  if (typeof fill !== 'object' || fill === null) return false;
  const { at, jobId, tankId, filledL } = fill as Record<string, unknown>;
  return typeof at === 'number' && typeof jobId === 'number' && typeof tankId === 'string' && (filledL === null || typeof filledL === 'number');
}

function isMarkedJob(job: unknown): job is MarkedJob {
  if (typeof job !== 'object' || job === null) return false;
  const { id, spec, startedAt } = job as Record<string, unknown>;
  return typeof id === 'number' && typeof spec === 'object' && spec !== null && (startedAt === null || typeof startedAt === 'number');
}

function isStop(stop: unknown): stop is Stop {
  return typeof stop === 'object' && stop !== null && typeof (stop as Record<string, unknown>)['at'] === 'number';
}

/** The recorded jobs with the live state's; live first, the newer word on a job both hold. */
function useKnownJobs(recorded: RecordedMarks): readonly MarkedJob[] {
  const live = useStationStore((s) => s.station?.jobs);
  return useMemo(() => [...(live ?? []), ...recorded.jobs], [live, recorded.jobs]);
}

/** One channel's marks over its span, in the grower's words and units. */
export function useChartMarks(channel: Channel, recorded: RecordedMarks, span: ChartSpan): ChartMark[] {
  const station = useStationStore((s) => s.station);
  const system = useUnits((units) => units.system);
  const jobs = useKnownJobs(recorded);
  const alerts = station?.alerts;
  const tanks = station?.tanks;
  const channels = station?.channels;
  const recipes = station?.recipes;
  return useMemo(() => {
    const names = namesFrom({ channels: channels ?? [], tanks: tanks ?? [], recipes: recipes ?? [] }, system);
    return chartMarks(channel.id, jobs, [...stopsOf(alerts ?? []), ...recorded.stops], tanks ?? [], names, span, recipes, recorded);
  }, [channel.id, jobs, recorded, alerts, tanks, channels, recipes, system, span]);
}

/** The band one channel's chart shades: its tank's latest adjustment in the span, or its reading alarm's limits. */
export function useTargetBand(channel: Channel, recorded: RecordedMarks, span: ChartSpan, convert: (value: number) => number): TargetBand | null {
  const readingAlarms = useStationStore((s) => s.station?.readingAlarms);
  const tanks = useStationStore((s) => s.station?.tanks);
  const recipes = useStationStore((s) => s.station?.recipes);
  const jobs = useKnownJobs(recorded);
  return useMemo(() => targetBand(channel, readingAlarms, tanks ?? [], convert, jobs, span, recipes), [channel, readingAlarms, tanks, convert, jobs, span, recipes]);
}
