import { describe, expect, it } from 'vitest';
import { SCHEDULE_SCHEMA, type Schedule, type ScheduleInput } from '../../shared/schedules';
import { latestDue, missedRuns, nextRuns, previewRuns } from './occurrences';

const utc = (iso: string) => new Date(`${iso}Z`);
const instants = (runs: { at: Date }[]) => runs.map((run) => run.at.toISOString().slice(0, 16));

function cron(expression: string, timezone: string, extra: Partial<ScheduleInput> = {}): Schedule {
  return SCHEDULE_SCHEMA.parse({
    id: 'feed',
    name: 'Feed',
    enabled: true,
    timezone,
    trigger: { kind: 'cron', expression, action: { kind: 'dose', pumpId: 'nut_a', ml: 20 } },
    ...extra,
  });
}

/*
 * A daily 02:30 feed on the two nights a year the clock misbehaves. The rule is croner's for
 * fixed-time jobs, and the light timers follow it too:
 * - Spring forward: 02:30 never shows on the clock, so the feed runs at the first minute after the
 *   jump, 03:00. The plants still get that day's feed, as close to its time as the clock allows;
 *   skipping it would be a missed feed nobody asked for.
 * - Fall back: 02:30 shows twice, and the feed runs once, at the first. Two feeds an hour apart
 *   would be a double dose.
 */
describe('a daily 02:30 feed across DST', () => {
  it('in Berlin, runs at 03:00 CEST on 29 March and once on 25 October', () => {
    const feed = cron('30 2 * * *', 'Europe/Berlin');
    // 28 March 02:30 CET; 29 March 03:00 CEST (02:30 does not exist); 30 March 02:30 CEST.
    expect(instants(nextRuns(feed, utc('2026-03-28T00:00'), 3))).toEqual(['2026-03-28T01:30', '2026-03-29T01:00', '2026-03-30T00:30']);
    // 25 October 02:30 CEST, not again at 02:30 CET an hour later; then 26 October 02:30 CET.
    expect(instants(nextRuns(feed, utc('2026-10-24T12:00'), 2))).toEqual(['2026-10-25T00:30', '2026-10-26T01:30']);
    expect(instants(nextRuns(feed, utc('2026-10-25T00:45'), 1))).toEqual(['2026-10-26T01:30']);
  });

  it('in New York, runs at 03:00 EDT on 8 March; on 1 November 02:30 happens once anyway', () => {
    const feed = cron('30 2 * * *', 'America/New_York');
    expect(instants(nextRuns(feed, utc('2026-03-07T00:00'), 3))).toEqual(['2026-03-07T07:30', '2026-03-08T07:00', '2026-03-09T06:30']);
    // New York repeats 01:00-02:00, so 02:30 EST is an ordinary time that night.
    expect(instants(nextRuns(feed, utc('2026-10-31T12:00'), 2))).toEqual(['2026-11-01T07:30', '2026-11-02T07:30']);
  });

  it('in New York, a 01:30 feed runs once in the repeated hour, at 01:30 EDT', () => {
    const feed = cron('30 1 * * *', 'America/New_York');
    expect(instants(nextRuns(feed, utc('2026-10-31T12:00'), 2))).toEqual(['2026-11-01T05:30', '2026-11-02T06:30']);
    expect(latestDue(feed, utc('2026-11-01T06:45'))?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('runs a list of clock times each once, as it does a single time', () => {
    const feeds = cron('30 2,14 * * *', 'Europe/Berlin');
    expect(instants(nextRuns(feeds, utc('2026-03-29T00:00'), 2))).toEqual(['2026-03-29T01:00', '2026-03-29T12:30']);
  });

  it('runs an every-30-minutes job on both passes through the repeated hour, and not in the skipped one', () => {
    const aerate = cron('*/30 * * * *', 'Europe/Berlin');
    expect(instants(nextRuns(aerate, utc('2026-10-24T23:45'), 6))).toEqual([
      '2026-10-25T00:00',
      '2026-10-25T00:30',
      '2026-10-25T01:00',
      '2026-10-25T01:30',
      '2026-10-25T02:00',
      '2026-10-25T02:30',
    ]);
    expect(instants(nextRuns(aerate, utc('2026-03-29T00:15'), 2))).toEqual(['2026-03-29T00:30', '2026-03-29T01:00']);
  });
});

describe('preview', () => {
  it('lists the next runs of a job schedule, strictly after the given instant', () => {
    const feed = cron('0 8 * * MON', 'Europe/Berlin');
    expect(previewRuns(feed, utc('2026-06-01T06:00'), 3)).toEqual([
      { at: utc('2026-06-08T06:00').getTime(), kind: 'job' },
      { at: utc('2026-06-15T06:00').getTime(), kind: 'job' },
      { at: utc('2026-06-22T06:00').getTime(), kind: 'job' },
    ]);
    expect(nextRuns(feed, utc('2026-06-01T06:00'), 1)[0]).toEqual({ at: utc('2026-06-08T06:00'), kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 20 } });
    expect(nextRuns(feed, utc('2026-06-01T06:00'), 0)).toEqual([]);
  });

  it('lists a light timer as switches, each with the state it switches to', () => {
    const lights = SCHEDULE_SCHEMA.parse({
      id: 'veg-lights',
      name: 'Veg lights',
      enabled: true,
      timezone: 'Europe/Berlin',
      trigger: { kind: 'light', relayId: 'lights', on: '18:00', off: '06:00' },
    });
    expect(previewRuns(lights, utc('2026-06-01T12:00'), 3)).toEqual([
      { at: utc('2026-06-01T16:00').getTime(), kind: 'light', on: true },
      { at: utc('2026-06-02T04:00').getTime(), kind: 'light', on: false },
      { at: utc('2026-06-02T16:00').getTime(), kind: 'light', on: true },
    ]);
  });
});

describe('missed runs after downtime', () => {
  const hourly = (missedRun: ScheduleInput['missedRun']) => cron('0 * * * *', 'Europe/Berlin', { missedRun });
  const grace = { policy: 'run-once-within-grace', graceMinutes: 30 } as const;

  it('skips everything by default', () => {
    expect(missedRuns(hourly(undefined), utc('2026-06-01T00:00'), utc('2026-06-01T05:10'))).toEqual([]);
  });

  it('runs the most recent missed occurrence once, if it is within the grace period', () => {
    // Down from 00:30 to 05:10: 01:00 to 05:00 were missed; only 05:00 is made up.
    expect(instants(missedRuns(hourly(grace), utc('2026-06-01T00:00'), utc('2026-06-01T05:10')))).toEqual(['2026-06-01T05:00']);
    expect(instants(missedRuns(hourly(grace), utc('2026-06-01T00:00'), utc('2026-06-01T05:30')))).toEqual(['2026-06-01T05:00']);
  });

  it('runs nothing when the most recent missed occurrence is older than the grace period', () => {
    expect(missedRuns(cron('0 2 * * *', 'Europe/Berlin', { missedRun: grace }), utc('2026-05-31T00:00'), utc('2026-06-01T00:31'))).toEqual([]);
  });

  it('runs nothing that already ran, and nothing for a schedule that never ran', () => {
    expect(missedRuns(hourly(grace), utc('2026-06-01T05:00'), utc('2026-06-01T05:10'))).toEqual([]);
    expect(missedRuns(hourly(grace), null, utc('2026-06-01T05:10'))).toEqual([]);
  });

  it('has nothing to make up for a light timer: it is set to the state it should have now', () => {
    const lights = SCHEDULE_SCHEMA.parse({
      id: 'lights',
      name: 'Lights',
      enabled: true,
      timezone: 'Europe/Berlin',
      trigger: { kind: 'light', relayId: 'lights', on: '06:00', off: '18:00' },
      missedRun: grace,
    });
    expect(missedRuns(lights, utc('2026-06-01T00:00'), utc('2026-06-01T05:10'))).toEqual([]);
  });
});
