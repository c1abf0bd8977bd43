/**
 * The jobs that are not finished, in the grower's words: the tray lists them, and quitting asks
 * about them. Names come from the channel table, the tanks and the recipes, with the id when a
 * name is not known.
 */
import { litres } from '../../shared/amounts';
import type { Job, StationState } from '../../shared/station';

const ACTIVE: ReadonlySet<Job['state']> = new Set(['running', 'paused', 'queued']);
const STATE_WORD: Record<string, string> = { running: 'Running', paused: 'Paused', queued: 'Queued' };

/** Running first, then paused, then queued; in the order they were made within each. */
export function activeJobs(state: StationState): Job[] {
  const rank = (job: Job): number => ['running', 'paused', 'queued'].indexOf(job.state);
  return state.jobs.filter((job) => ACTIVE.has(job.state)).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/** "Running: dose 10 mL of Nutrient A". */
export function activeJobLine(job: Job, state: StationState): string {
  return `${STATE_WORD[job.state] ?? job.state}: ${jobInWords(job, state)}`;
}

export function jobInWords(job: Job, state: StationState): string {
  const channel = (id: string): string => state.channels.find((c) => c.id === id)?.name ?? id;
  const tank = (id: string): string => state.tanks.find((t) => t.id === id)?.name ?? id;
  const spec = job.spec;
  switch (spec.kind) {
    case 'dose':
      return `dose ${spec.ml} mL of ${channel(spec.pumpId)}`;
    case 'fill':
      return `fill ${tank(spec.tankId)} with ${litres(spec.liters)}`;
    case 'fill-to':
      return `fill ${tank(spec.tankId)} to ${litres(spec.toLiters)}`;
    case 'drain':
      return `drain ${litres(spec.liters)} from ${tank(spec.tankId)}`;
    case 'drain-to':
      return `drain ${tank(spec.tankId)} to ${litres(spec.toLiters)}`;
    case 'mix':
      return `run ${channel(spec.relayId)} for ${duration(spec.seconds)}`;
    case 'adjust-ph':
      return `bring ${tank(spec.tankId)} to pH ${spec.target}`;
    case 'adjust-ec':
      return `bring ${tank(spec.tankId)} to EC ${spec.target} mS/cm`;
    case 'recipe':
      return `recipe ${state.recipes.find((r) => r.id === spec.recipeId)?.name ?? spec.recipeId}`;
    case 'calibrate-pump':
      return `calibration run of ${channel(spec.pumpId)}`;
    case 'calibrate-flow':
      return `calibration fill of ${tank(spec.tankId)}`;
  }
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}
