/**
 * Wall-clock arithmetic in a named zone, with nothing but Intl. The host's own zone never enters,
 * so a schedule behaves the same on a Pi left on UTC and on a laptop set to Berlin.
 */

/** A calendar day; `month` runs 1 to 12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
}

const DAY_MS = 24 * 3600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function wallFieldsAt(zone: string, at: number): WallTime & { second: number } {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(zone).formatToParts(at)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return fields;
}

/** What a clock on the wall in `zone` shows at the instant `at`, to the minute. */
export function wallTimeAt(zone: string, at: number): WallTime {
  const { year, month, day, hour, minute } = wallFieldsAt(zone, at);
  return { year, month, day, hour, minute };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in milliseconds. */
export function offsetAt(zone: string, at: number): number {
  const wall = wallFieldsAt(zone, at);
  const wholeSecond = at - (((at % 1000) + 1000) % 1000);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - wholeSecond;
}

/**
 * The instant a wall-clock time happens in `zone`.
 * - A time the clock shows twice (fall back) happens at its first pass, so anything tied to it
 *   happens once.
 * - A time the clock skips (spring forward) happens at the first instant after the jump: the
 *   clock reads 03:00 where 02:30 would have been. The day still gets its event, as late as the
 *   jump forces and no later.
 * This is the rule croner applies to fixed-time cron jobs, so light timers and cron schedules agree.
 */
export function instantOf(zone: string, wall: WallTime): number {
  const asIfUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Zones change offset at most a few times a year, so the offsets a day either side are the
  // only two this wall time can have.
  const offsets = [...new Set([offsetAt(zone, asIfUtc - DAY_MS), offsetAt(zone, asIfUtc + DAY_MS)])];
  const passes = offsets.filter((offset) => offsetAt(zone, asIfUtc - offset) === offset).map((offset) => asIfUtc - offset);
  if (passes.length > 0) return Math.min(...passes);

  // In the gap: the offset before the jump still holds at `early`, the one after at `late`.
  const before = Math.min(...offsets);
  let early = asIfUtc - Math.max(...offsets);
  let late = asIfUtc - before;
  while (late - early > 1000) {
    const middle = early + Math.floor((late - early) / 2000) * 1000;
    if (offsetAt(zone, middle) === before) early = middle;
    else late = middle;
  }
  return late;
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** "HH:MM", already checked by the schedule schema. */
export function parseClockTime(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}
