/**
 * What a failed or cancelled job had put into or taken out of the tank, in this screen's units.
 * The station writes it into the job's detail in mL and litres; a screen in gallons says it again
 * from `Job.delivered`, so the grower reads one unit down the whole list and never doses twice.
 */
import { millilitres } from '../../../shared/amounts';
import type { JobDelivered } from '../../../shared/jobs';
import type { Job } from '../../../shared/station';
import { formatLiters } from '../units';
import { volumesIn } from '../volume-words';
import type { StationNames } from './job-words';

/** How the station's own words for a delivery begin; the detail ends with them. */
const STATION_DELIVERY_WORDS = ['. Before it stopped: ', '. Nothing was dosed, filled or drained before it stopped'];

/** "Before it stopped: 12.3 mL of Nutrient A, 0.53 gal filled", or that nothing was. */
export function deliveredWords(delivered: JobDelivered, names: StationNames): string {
  // Doses stay in mL in either unit system, as nutrient labels give them.
  const parts = Object.entries(delivered.dosedMl)
    .filter(([, ml]) => ml > 0)
    .map(([pumpId, ml]) => `${millilitres(ml)} of ${names.channel(pumpId)}`);
  if (delivered.filledL > 0) parts.push(`${formatLiters(delivered.filledL, names.units)} filled`);
  if (delivered.drainedL > 0) parts.push(`${formatLiters(delivered.drainedL, names.units)} drained`);
  return parts.length > 0 ? `Before it stopped: ${parts.join(', ')}` : 'Nothing was dosed, filled or drained before it stopped';
}

/**
 * A job's detail as this screen shows it: a stopped job's delivery said again in the screen's
 * units in place of the station's. A detail without the station's delivery words is left whole,
 * so nothing the station said is lost.
 */
export function jobDetail(job: Pick<Job, 'detail' | 'delivered'>, names: StationNames): string {
  const detail = volumesIn(job.detail, names.units);
  if (!job.delivered) return detail;
  const starts = STATION_DELIVERY_WORDS.map((words) => detail.lastIndexOf(words)).filter((at) => at >= 0);
  if (starts.length === 0) return detail;
  return `${detail.slice(0, Math.min(...starts))}. ${deliveredWords(job.delivered, names)}`;
}
