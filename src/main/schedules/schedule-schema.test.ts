import { describe, expect, it } from 'vitest';
import { describeIssue } from '../../shared/commands';
import { SCHEDULE_COMMAND_PAYLOADS, SCHEDULE_SCHEMA, cronProblem, type ScheduleInput } from '../../shared/schedules';

const nightlyFeed: ScheduleInput = {
  id: 'nightly-feed',
  name: 'Nightly feed',
  enabled: true,
  timezone: 'Europe/Berlin',
  trigger: { kind: 'cron', expression: '30 2 * * *', action: { kind: 'recipe', recipeId: 'veg' } },
};

const vegLights: ScheduleInput = {
  id: 'veg-lights',
  name: 'Veg lights',
  enabled: true,
  timezone: 'America/New_York',
  trigger: { kind: 'light', relayId: 'lights', on: '18:00', off: '06:00' },
};

/** The sentence a screen would show for the first problem, as the command boundary words it. */
function refusal(input: unknown): string {
  const parsed = SCHEDULE_SCHEMA.safeParse(input);
  if (parsed.success) throw new Error('expected the schedule to be refused');
  return describeIssue(parsed.error.issues[0]);
}

describe('schedule schema', () => {
  it('accepts a cron schedule and a light timer, and skips missed runs unless told otherwise', () => {
    expect(SCHEDULE_SCHEMA.parse(nightlyFeed).missedRun).toEqual({ policy: 'skip' });
    expect(SCHEDULE_SCHEMA.parse({ ...vegLights, missedRun: { policy: 'run-once-within-grace', graceMinutes: 90 } }).missedRun).toEqual({
      policy: 'run-once-within-grace',
      graceMinutes: 90,
    });
  });

  it('refuses a time zone it does not know, and says what one looks like', () => {
    expect(refusal({ ...nightlyFeed, timezone: 'Europe/Atlantis' })).toBe(
      'timezone "Europe/Atlantis" is not a time zone this system knows; use an IANA name such as "Europe/Berlin" or "America/New_York"',
    );
    expect(refusal({ ...nightlyFeed, timezone: '' })).toContain('is not a time zone this system knows');
  });

  it('refuses a bad cron expression, says what is wrong and gives an example', () => {
    expect(refusal({ ...nightlyFeed, trigger: { ...nightlyFeed.trigger, expression: '61 2 * * *' } })).toBe(
      'trigger.expression: expression "61 2 * * *" is not a cron expression (Invalid value for minute: 61); write five fields, minute hour day-of-month month day-of-week, such as "30 2 * * *" for 02:30 every day',
    );
    expect(cronProblem('30 2 * *')).toBe(
      'expression "30 2 * *" has 4 fields, not five; write five fields, minute hour day-of-month month day-of-week, such as "30 2 * * *" for 02:30 every day',
    );
    // A seconds field is refused: minutes are the finest step a grower schedules.
    expect(cronProblem('0 30 2 * * *')).toMatch(/^expression "0 30 2 \* \* \*" has 6 fields, not five; /);
    expect(cronProblem('0 2 * * FRY')).toMatch(/^expression "0 2 \* \* FRY" is not a cron expression \(.+\); write five fields/);
    expect(cronProblem('@reboot')).toMatch(/^expression "@reboot" is not a cron expression \(@reboot is not supported/);
    expect(cronProblem('Fri May 01 2026 08:00')).toMatch(/is a date, not a repeating schedule/);
    expect(cronProblem('0 8 31 2 *')).toMatch(/never matches a real date/);
    expect(cronProblem('@daily')).toBeUndefined();
    expect(cronProblem('0 6,18 * * MON-FRI')).toBeUndefined();
  });

  it('refuses a light time that is not HH:MM on a 24-hour clock', () => {
    const at = (on: string, off: string) => ({ ...vegLights, trigger: { kind: 'light', relayId: 'lights', on, off } });
    expect(refusal(at('6:00', '18:00'))).toBe('trigger.on: on must be a time of day as "HH:MM" on a 24-hour clock, such as "06:00" or "18:30"; got "6:00"');
    expect(refusal(at('06:00', '24:00'))).toContain('trigger.off: off must be a time of day as "HH:MM"');
    expect(refusal(at('06:00', '06:60'))).toContain('got "06:60"');
    expect(refusal(at('06:00', '06:00'))).toBe('trigger.off: on and off must differ: a light that is on all day, or never, needs no timer');
  });

  it('refuses a job it could not run and a grace period that is not minutes', () => {
    expect(refusal({ ...nightlyFeed, trigger: { ...nightlyFeed.trigger, action: { kind: 'dose', pumpId: 'nut_a', ml: -1 } } })).toBe(
      'trigger.action.ml: ml must be more than 0',
    );
    expect(refusal({ ...nightlyFeed, missedRun: { policy: 'run-once-within-grace', graceMinutes: 2000 } })).toBe(
      'missedRun.graceMinutes: graceMinutes must be at most 1440 (one day)',
    );
    expect(refusal({ ...nightlyFeed, missedRun: { policy: 'catch-up' } })).toBe('missedRun.policy: missedRun policy must be one of skip, run-once-within-grace');
  });

  it('checks the command payloads, and a preview names a draft or a saved schedule, not both', () => {
    expect(SCHEDULE_COMMAND_PAYLOADS['schedule.create'].safeParse({ schedule: nightlyFeed }).success).toBe(true);
    expect(SCHEDULE_COMMAND_PAYLOADS['schedule.enable'].parse({ scheduleId: 'veg-lights', enabled: false })).toEqual({ scheduleId: 'veg-lights', enabled: false });
    expect(SCHEDULE_COMMAND_PAYLOADS['schedule.delete'].safeParse({ scheduleId: 'no spaces' }).success).toBe(false);
    expect(SCHEDULE_COMMAND_PAYLOADS['schedule.preview'].parse({ scheduleId: 'veg-lights' })).toEqual({ scheduleId: 'veg-lights', count: 10 });

    const both = SCHEDULE_COMMAND_PAYLOADS['schedule.preview'].safeParse({ scheduleId: 'veg-lights', schedule: vegLights, count: 5 });
    expect(describeIssue(both.error?.issues[0])).toBe('give exactly one of schedule (a draft being edited) or scheduleId (a saved schedule)');
    expect(SCHEDULE_COMMAND_PAYLOADS['schedule.preview'].safeParse({ count: 5 }).success).toBe(false);
  });
});
