/**
 * Times as the schedule reads them: on the wall clock of the schedule's own zone, which may not
 * be this device's (a phone set to home time, a station abroad). The zone is always named, so a
 * time is never read in the wrong one.
 */
import type { SchedulePreviewEntry } from '../../../../shared/schedules';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format;
}

/** "Sun 22 Nov, 13:00 CET" in en-GB; the device's own language when no locale is given. */
export function formatInZone(at: number, timeZone: string, locale?: string): string {
  try {
    return formatFor(timeZone, locale).format(at);
  } catch {
    // A zone this browser does not know (the station's may be newer): say so rather than guess.
    return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC (zone ${timeZone} unknown here)`;
  }
}

export interface PreviewLine {
  key: string;
  at: number;
  when: string;
  what: string;
}

/** The preview as lines to show; light timers say which way the relay switches. */
export function previewLines(runs: readonly SchedulePreviewEntry[], timeZone: string, runLabel: string, locale?: string): PreviewLine[] {
  return runs.map((run, index) => ({
    key: `${run.at}-${index}`,
    at: run.at,
    when: formatInZone(run.at, timeZone, locale),
    what: run.kind === 'light' ? (run.on ? 'Light on' : 'Light off') : runLabel,
  }));
}

/** Reads `schedule.preview`'s result; null when it is not one. */
export function readPreview(result: unknown): SchedulePreviewEntry[] | null {
  if (typeof result !== 'object' || result === null) return null;
  const runs = (result as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) return null;
  const entries: SchedulePreviewEntry[] = [];
  for (const run of runs) {
    if (typeof run !== 'object' || run === null) return null;
    const { at, kind, on } = run as { at?: unknown; kind?: unknown; on?: unknown };
    if (typeof at !== 'number') return null;
    if (kind === 'light' && typeof on === 'boolean') entries.push({ at, kind, on });
    else if (kind === 'job') entries.push({ at, kind });
    else return null;
  }
  return entries;
}
