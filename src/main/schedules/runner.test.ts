import { describe, expect, it } from 'vitest';
import { SCHEDULE_SCHEMA, type Schedule, type ScheduleInput } from '../../shared/schedules';
import { ScheduleRunner } from './runner';
import { FakeClock } from '../../test-support/main/schedules';

const utc = (iso: string) => Date.parse(`${iso}Z`);
const minute = (at: number) => new Date(at).toISOString().slice(0, 16);

function cron(id: string, expression: string, timezone: string, extra: Partial<ScheduleInput> = {}): Schedule {
  return SCHEDULE_SCHEMA.parse({
    id,
    name: id,
    enabled: true,
    timezone,
    trigger: { kind: 'cron', expression, action: { kind: 'recipe', recipeId: 'veg' } },
    ...extra,
  });
}

function lights(id: string, timezone: string, on: string, off: string, extra: Partial<ScheduleInput> = {}): Schedule {
  return SCHEDULE_SCHEMA.parse({ id, name: id, enabled: true, timezone, trigger: { kind: 'light', relayId: 'lights', on, off }, ...extra });
}

/** A runner on a fake clock that writes down everything it is asked to do. */
function station(schedules: Schedule[], start: string, lastRuns: Record<string, string> = {}) {
  const clock = new FakeClock(utc(start));
  const stored = new Map(Object.entries(lastRuns).map(([id, iso]) => [id, utc(iso)]));
  /** "<when it happened> <what>": a job queued, a light switched or a run recorded. */
  const calls: string[] = [];
  const log: string[] = [];
  const failing = new Set<string>();
  const options = {
    clock,
    lastRunAt: (id: string) => stored.get(id) ?? null,
    enqueue: (schedule: Schedule, _job: unknown, occurrence: number) => {
      if (failing.has(schedule.id)) throw new Error('the pump is busy');
      calls.push(`${minute(clock.now())} ${schedule.id} queued for ${minute(occurrence)}`);
    },
    setLight: (schedule: Schedule, relayId: string, on: boolean) => {
      calls.push(`${minute(clock.now())} ${schedule.id} ${relayId} ${on ? 'on' : 'off'}`);
    },
    markRun: (id: string, at: number) => stored.set(id, at),
    log: (line: string) => log.push(line),
  };
  const runner = new ScheduleRunner({ ...options, schedules });
  /** A second process on the same database, as after a restart. */
  const restart = (at: string, current: Schedule[] = schedules) => {
    runner.stop();
    clock.setWallClock(utc(at));
    calls.length = 0;
    const next = new ScheduleRunner({ ...options, schedules: current });
    next.start();
    return next;
  };
  const advanceTo = (iso: string) => clock.advanceTo(utc(iso));
  const jobs = () => calls.filter((call) => call.includes('queued'));
  return { clock, runner, calls, jobs, log, stored, failing, restart, advanceTo };
}

describe('schedule runner', () => {
  // See occurrences.test.ts for why a skipped 02:30 runs at 03:00 and a repeated one runs once.
  it.each([
    ['Europe/Berlin', '2026-03-27T12:00', '2026-03-30T12:00', ['2026-03-28T01:30', '2026-03-29T01:00', '2026-03-30T00:30']],
    ['Europe/Berlin', '2026-10-23T12:00', '2026-10-26T12:00', ['2026-10-24T00:30', '2026-10-25T00:30', '2026-10-26T01:30']],
    ['America/New_York', '2026-03-06T12:00', '2026-03-09T12:00', ['2026-03-07T07:30', '2026-03-08T07:00', '2026-03-09T06:30']],
    ['America/New_York', '2026-10-30T12:00', '2026-11-02T12:00', ['2026-10-31T06:30', '2026-11-01T07:30', '2026-11-02T07:30']],
  ])('fires a daily 02:30 feed in %s at the right instants from %s', (zone, from, to, expected) => {
    const { runner, jobs, advanceTo } = station([cron('feed', '30 2 * * *', zone)], from);
    runner.start();
    advanceTo(to);
    expect(jobs()).toEqual(expected.map((at) => `${at} feed queued for ${at}`));
  });

  it('fires a 01:30 feed once in New York on the night 01:30 happens twice', () => {
    const { runner, jobs, advanceTo } = station([cron('feed', '30 1 * * *', 'America/New_York')], '2026-10-31T12:00');
    runner.start();
    advanceTo('2026-11-01T12:00');
    expect(jobs()).toEqual(['2026-11-01T05:30 feed queued for 2026-11-01T05:30']);
  });

  it('arms one timer, for the earliest occurrence across schedules, and wakes at least once a minute', () => {
    const { runner, clock } = station([cron('morning', '0 8 * * *', 'UTC'), cron('evening', '0 20 * * *', 'UTC')], '2026-06-01T07:59:20');
    runner.start();
    expect(clock.pending()).toEqual([new Date(utc('2026-06-01T08:00'))]);
    clock.advanceTo(utc('2026-06-01T08:00'));
    expect(clock.pending()).toEqual([new Date(utc('2026-06-01T08:01'))]);
    clock.advanceTo(utc('2026-06-01T19:59:30'));
    expect(clock.pending()).toEqual([new Date(utc('2026-06-01T20:00'))]);
    runner.stop();
    expect(clock.pending()).toEqual([]);
  });

  it('switches a light at its edges across fall back, after setting the state it should have now', () => {
    const { runner, calls, advanceTo } = station([lights('flower', 'America/New_York', '18:00', '06:00')], '2026-10-31T20:00');
    runner.start();
    advanceTo('2026-11-02T12:00');
    expect(calls).toEqual([
      '2026-10-31T20:00 flower lights off',
      '2026-10-31T22:00 flower lights on',
      '2026-11-01T11:00 flower lights off',
      '2026-11-01T23:00 flower lights on',
      '2026-11-02T11:00 flower lights off',
    ]);
  });

  it('switches a light at its edges across spring forward, including an on time in the skipped hour', () => {
    const { runner, calls, advanceTo } = station(
      [lights('flower', 'Europe/Berlin', '18:00', '06:00'), lights('late', 'Europe/Berlin', '02:30', '04:00')],
      '2026-03-28T12:00',
    );
    runner.start();
    advanceTo('2026-03-29T12:00');
    // At start each light is set in the order its current state began.
    expect(calls).toEqual([
      '2026-03-28T12:00 late lights off',
      '2026-03-28T12:00 flower lights off',
      '2026-03-28T17:00 flower lights on',
      '2026-03-29T01:00 late lights on',
      '2026-03-29T02:00 late lights off',
      '2026-03-29T04:00 flower lights off',
    ]);
  });

  it('after downtime, skips by default and runs the most recent missed occurrence once within the grace period', () => {
    const grace = { missedRun: { policy: 'run-once-within-grace', graceMinutes: 30 } } as const;
    const schedules = [
      cron('skipper', '0 * * * *', 'UTC'),
      cron('graceful', '0 * * * *', 'UTC', grace),
      cron('too-late', '0 4 * * *', 'UTC', grace),
      lights('flower', 'UTC', '18:00', '06:00'),
    ];
    const ran = '2026-06-01T01:00';
    const { runner, calls, stored, restart } = station(schedules, '2026-06-01T05:10', { skipper: ran, graceful: ran, 'too-late': '2026-05-31T04:00' });
    runner.start();
    expect(calls).toEqual(['2026-06-01T05:10 flower lights on', '2026-06-01T05:10 graceful queued for 2026-06-01T05:00']);
    expect(stored.get('graceful')).toBe(utc('2026-06-01T05:00'));

    // Down again straight away: the made-up run is on record and is not made up twice.
    restart('2026-06-01T05:20');
    expect(calls).toEqual(['2026-06-01T05:20 flower lights on']);
  });

  it('never fires a disabled schedule, and does not make up what fell while it was off', () => {
    const grace = { missedRun: { policy: 'run-once-within-grace', graceMinutes: 30 } } as const;
    const feed = cron('feed', '0 * * * *', 'UTC', { ...grace, enabled: false });
    const { runner, jobs, advanceTo, restart } = station([feed], '2026-06-01T00:30');
    runner.start();
    advanceTo('2026-06-01T03:10');
    expect(jobs()).toEqual([]);

    // 03:00 fell while the schedule was off: switching it on does not make it up, even within
    // the grace period, and neither does a restart straight after.
    expect(runner.setEnabled('feed', true)).toBe(true);
    advanceTo('2026-06-01T03:14');
    expect(jobs()).toEqual([]);
    const again = restart('2026-06-01T03:15', [{ ...feed, enabled: true }]);
    expect(jobs()).toEqual([]);
    advanceTo('2026-06-01T04:30');
    expect(jobs()).toEqual(['2026-06-01T04:00 feed queued for 2026-06-01T04:00']);

    expect(again.setEnabled('feed', false)).toBe(true);
    advanceTo('2026-06-01T06:30');
    expect(jobs()).toHaveLength(1);
    expect(again.setEnabled('no-such-schedule', true)).toBe(false);
  });

  it('keeps no run time for a schedule that never ran, and moves it on for one that did when it is changed', () => {
    const { runner, stored, advanceTo } = station([], '2026-06-01T06:00');
    runner.start();
    runner.upsert(cron('feed', '0 8 * * *', 'UTC'));
    runner.upsert(cron('feed', '30 7 * * *', 'UTC'));
    expect(stored.has('feed')).toBe(false);
    advanceTo('2026-06-01T07:40');
    expect(stored.get('feed')).toBe(utc('2026-06-01T07:30'));
    runner.upsert(cron('feed', '0 9 * * *', 'UTC'));
    expect(stored.get('feed')).toBe(utc('2026-06-01T07:40'));
  });

  it('replans after an update and stops firing after a delete', () => {
    const { runner, jobs, advanceTo, clock } = station([cron('feed', '0 8 * * *', 'UTC')], '2026-06-01T06:00');
    runner.start();
    advanceTo('2026-06-01T07:00');
    runner.upsert(cron('feed', '30 7 * * *', 'UTC'));
    advanceTo('2026-06-01T09:00');
    expect(jobs()).toEqual(['2026-06-01T07:30 feed queued for 2026-06-01T07:30']);

    // Moved to a time already past today: it starts tomorrow rather than catching up.
    runner.upsert(cron('feed', '0 8 * * *', 'UTC', { missedRun: { policy: 'run-once-within-grace', graceMinutes: 120 } }));
    advanceTo('2026-06-02T07:00');
    expect(jobs()).toHaveLength(1);
    runner.remove('feed');
    advanceTo('2026-06-03T09:00');
    expect(jobs()).toHaveLength(1);
    expect(clock.pending()).toEqual([]);
  });

  it('switches a light to its new state at once when its window is changed or it is switched on', () => {
    const { runner, calls, advanceTo } = station([lights('veg', 'UTC', '06:00', '18:00', { enabled: false })], '2026-06-01T12:00');
    runner.start();
    expect(calls).toEqual([]);
    runner.setEnabled('veg', true);
    advanceTo('2026-06-01T13:00');
    runner.upsert(lights('veg', 'UTC', '06:00', '12:30'));
    runner.upsert({ ...lights('veg', 'UTC', '06:00', '12:30'), name: 'Veg room' });
    expect(calls).toEqual(['2026-06-01T12:00 veg lights on', '2026-06-01T13:00 veg lights off']);
  });

  it('does not fire an occurrence twice when the clock is set back', () => {
    const { runner, jobs, clock, advanceTo } = station([cron('feed', '0 8 * * *', 'UTC')], '2026-06-01T07:00');
    runner.start();
    advanceTo('2026-06-01T08:10');
    clock.setWallClock(utc('2026-06-01T07:00'));
    advanceTo('2026-06-02T08:30');
    expect(jobs()).toEqual(['2026-06-01T08:00 feed queued for 2026-06-01T08:00', '2026-06-02T08:00 feed queued for 2026-06-02T08:00']);
  });

  it('notices within a minute that the clock was set forward, and treats what it jumped over as missed', () => {
    // A Pi boots with the time it last saved; NTP moves the clock on hours later.
    const grace = { missedRun: { policy: 'run-once-within-grace', graceMinutes: 30 } } as const;
    const { runner, jobs, clock, advanceTo } = station([cron('skipper', '0 * * * *', 'UTC'), cron('graceful', '0 * * * *', 'UTC', grace)], '2026-06-01T05:10');
    runner.start();
    clock.setWallClock(utc('2026-06-01T09:20'));
    advanceTo('2026-06-01T09:21');
    expect(jobs()).toEqual(['2026-06-01T09:21 graceful queued for 2026-06-01T09:00']);
    advanceTo('2026-06-01T10:00');
    expect(jobs().slice(1)).toEqual(['2026-06-01T10:00 skipper queued for 2026-06-01T10:00', '2026-06-01T10:00 graceful queued for 2026-06-01T10:00']);
  });

  it('sets every enabled light to its current state again when asked, as after the controller rebooted', () => {
    const { runner, calls } = station([lights('veg', 'UTC', '06:00', '18:00'), lights('spare', 'UTC', '06:00', '18:00', { enabled: false })], '2026-06-01T12:00');
    runner.restoreLights();
    expect(calls).toEqual([]);
    runner.start();
    runner.restoreLights();
    expect(calls).toEqual(['2026-06-01T12:00 veg lights on', '2026-06-01T12:00 veg lights on']);
  });

  it('records a run before queuing it, and keeps going when one schedule fails', () => {
    const { runner, jobs, log, stored, failing, advanceTo } = station([cron('busy', '0 8 * * *', 'UTC'), cron('feed', '0 8 * * *', 'UTC')], '2026-06-01T07:00');
    failing.add('busy');
    runner.start();
    advanceTo('2026-06-01T08:30');
    expect(jobs()).toEqual(['2026-06-01T08:00 feed queued for 2026-06-01T08:00']);
    expect(log).toEqual(['schedule "busy" (busy): the pump is busy']);
    // A failed queue is not retried: the grower sees the refusal, not a late dose.
    expect(stored.get('busy')).toBe(utc('2026-06-01T08:00'));
    failing.clear();
    advanceTo('2026-06-02T08:30');
    expect(jobs()).toHaveLength(3);
  });
});
