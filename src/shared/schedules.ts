/**
 * What the station does by the clock: cron schedules that queue a job or a recipe, and light
 * timers that switch a relay on and off each day. Checked here, at the command boundary, so the
 * desktop, a LAN screen and the runner in main all refuse the same mistakes with the same words.
 *
 * croner is plain JavaScript with no Node dependencies, so the same reading of an expression runs
 * in the browser (a screen can refuse a typo before sending it) and in main (the runner plans with
 * it). Reading it one way in both places is the point: a schedule accepted here fires there.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { JOB_SPEC_SCHEMA, channelIdSchema, nameIdSchema } from './jobs';

const CRON_EXAMPLE = 'write five fields, minute hour day-of-month month day-of-week, such as "30 2 * * *" for 02:30 every day';

/**
 * Minutes are the finest step: a job that doses nutrients has no business running every second,
 * and a seconds field would make a typo able to flood the queue.
 *
 * A grower who writes `30 2,14 * * *` means two clock times a day, each once. croner's default
 * would treat a list as an interval and skip 02:30 on the spring-forward day; "no-wildcard"
 * treats every time without `*` or a step as a fixed time, so it runs after the gap instead.
 */
const CRON_OPTIONS = { mode: '5-part', fixedTimeRule: 'no-wildcard' } as const;

/** Reads an expression the one way both the check at the door and the runner use. */
export function readCron(expression: string, timezone?: string): Cron {
  return new Cron(expression, timezone === undefined ? CRON_OPTIONS : { ...CRON_OPTIONS, timezone });
}

// Without a year field an expression repeats yearly, so one search from any fixed instant tells
// whether it can ever run; a fixed instant keeps the check independent of today's date.
const SOME_INSTANT = new Date(Date.UTC(2000, 0, 1));

/** Why an expression cannot be scheduled, as a sentence, or undefined when it can. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).filter((field) => field !== '');
  // Nicknames such as @daily are one word; croner's own message would offer six or seven fields.
  if (!fields[0]?.startsWith('@') && fields.length !== 5) {
    return `expression "${expression}" has ${fields.length} field${fields.length === 1 ? '' : 's'}, not five; ${CRON_EXAMPLE}`;
  }
  let cron: Cron;
  try {
    cron = readCron(expression);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '').replace(/\.$/, '');
    return `expression "${expression}" is not a cron expression (${reason}); ${CRON_EXAMPLE}`;
  }
  // croner also reads a date such as "Fri May 01 2026 08:00" as a one-off; a schedule repeats.
  if (cron.getPattern() === undefined) return `expression "${expression}" is a date, not a repeating schedule; ${CRON_EXAMPLE}`;
  if (cron.nextRun(SOME_INSTANT) === null) {
    return `expression "${expression}" never matches a real date (such as 31 February); ${CRON_EXAMPLE}`;
  }
  return undefined;
}

const cronExpressionSchema = z
  .string({ error: 'expression must be a cron expression string, such as "30 2 * * *"' })
  .max(100, { error: 'expression must be at most 100 characters' })
  .superRefine((expression, ctx) => {
    const problem = cronProblem(expression);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export function isTimeZone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A named zone rather than an offset, because the offset changes twice a year and the lights
 * should follow the clock on the grow-room wall.
 */
export const timeZoneSchema = z
  .string({ error: 'timezone must be an IANA time zone name, such as "Europe/Berlin"' })
  .max(64, { error: 'timezone must be at most 64 characters' })
  .refine(isTimeZone, {
    error: (issue) =>
      `timezone "${String(issue.input)}" is not a time zone this system knows; use an IANA name such as "Europe/Berlin" or "America/New_York"`,
  });

/** A wall-clock time of day, "HH:MM" on a 24-hour clock. */
export const clockTimeSchema = (what: string) =>
  z
    .string({ error: `${what} must be a time of day as "HH:MM", such as "06:00"` })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
      error: (issue) => `${what} must be a time of day as "HH:MM" on a 24-hour clock, such as "06:00" or "18:30"; got "${String(issue.input)}"`,
    });

export const CRON_TRIGGER_SCHEMA = z.strictObject({
  kind: z.literal('cron'),
  expression: cronExpressionSchema,
  /** A recipe is queued as a job of kind "recipe". */
  action: JOB_SPEC_SCHEMA,
});

/** The relay is on from `on` until `off`; an `off` earlier than `on` ends the window the next day. */
export const LIGHT_TRIGGER_SCHEMA = z
  .strictObject({
    kind: z.literal('light'),
    relayId: channelIdSchema('relayId', 'fill'),
    on: clockTimeSchema('on'),
    off: clockTimeSchema('off'),
  })
  .refine((light) => light.on !== light.off, {
    error: 'on and off must differ: a light that is on all day, or never, needs no timer',
    path: ['off'],
  });

export const SCHEDULE_TRIGGER_SCHEMA = z.discriminatedUnion('kind', [CRON_TRIGGER_SCHEMA, LIGHT_TRIGGER_SCHEMA], {
  error: 'trigger kind must be one of cron, light',
});

/**
 * What happens to runs that fell while the station was off. Skipping is the default because a
 * dose made up hours late can land on top of the next one; a grower who wants a late run says how
 * late is still useful.
 */
export const MISSED_RUN_SCHEMA = z.discriminatedUnion(
  'policy',
  [
    z.strictObject({ policy: z.literal('skip') }),
    z.strictObject({
      policy: z.literal('run-once-within-grace'),
      graceMinutes: z
        .number({ error: 'graceMinutes must be a whole number of minutes' })
        .int({ error: 'graceMinutes must be a whole number of minutes' })
        .min(1, { error: 'graceMinutes must be at least 1' })
        .max(24 * 60, { error: 'graceMinutes must be at most 1440 (one day)' }),
    }),
  ],
  { error: 'missedRun policy must be one of skip, run-once-within-grace' },
);

export const SCHEDULE_SCHEMA = z.strictObject({
  id: nameIdSchema('id'),
  name: z.string({ error: 'name must be text' }).min(1, { error: 'name must not be empty' }).max(60, { error: 'name must be at most 60 characters' }),
  enabled: z.boolean({ error: 'enabled must be true or false' }),
  /** The zone whose wall clock the expression and the light times are read in. */
  timezone: timeZoneSchema,
  trigger: SCHEDULE_TRIGGER_SCHEMA,
  missedRun: MISSED_RUN_SCHEMA.default({ policy: 'skip' }),
});

export type Schedule = z.infer<typeof SCHEDULE_SCHEMA>;
/** A schedule as a screen may send it: `missedRun` may be left out. */
export type ScheduleInput = z.input<typeof SCHEDULE_SCHEMA>;
export type ScheduleTrigger = Schedule['trigger'];
export type CronTrigger = z.infer<typeof CRON_TRIGGER_SCHEMA>;
export type LightTrigger = z.infer<typeof LIGHT_TRIGGER_SCHEMA>;
export type MissedRunPolicy = Schedule['missedRun'];

const scheduleId = nameIdSchema('scheduleId');

/**
 * Command payloads, without the command envelope: commands.ts adds `id` and `type` to each,
 * keyed here by the command type.
 */
export const SCHEDULE_COMMAND_PAYLOADS = {
  'schedule.create': z.strictObject({ schedule: SCHEDULE_SCHEMA }),
  'schedule.update': z.strictObject({ schedule: SCHEDULE_SCHEMA }),
  'schedule.delete': z.strictObject({ scheduleId }),
  'schedule.enable': z.strictObject({ scheduleId, enabled: z.boolean({ error: 'enabled must be true or false' }) }),
  /** Previews a saved schedule by id, or a draft the grower is still editing. */
  'schedule.preview': z
    .strictObject({
      schedule: SCHEDULE_SCHEMA.optional(),
      scheduleId: scheduleId.optional(),
      count: z
        .number({ error: 'count must be a number of runs' })
        .int({ error: 'count must be a whole number' })
        .min(1, { error: 'count must be at least 1' })
        .max(100, { error: 'count must be at most 100' })
        .default(10),
    })
    .refine((preview) => (preview.schedule === undefined) !== (preview.scheduleId === undefined), {
      error: 'give exactly one of schedule (a draft being edited) or scheduleId (a saved schedule)',
    }),
} as const;

export type ScheduleCommandType = keyof typeof SCHEDULE_COMMAND_PAYLOADS;
export type ScheduleCommandPayload<T extends ScheduleCommandType> = z.infer<(typeof SCHEDULE_COMMAND_PAYLOADS)[T]>;

/**
 * One upcoming firing, as `schedule.preview` answers it. `at` is epoch milliseconds; a screen
 * shows it in the schedule's zone.
 */
export type SchedulePreviewEntry = { at: number; kind: 'job' } | { at: number; kind: 'light'; on: boolean };

/**
 * What became of a light's relay when its timer stopped driving it (deleted, disabled, or moved
 * to another relay), as `schedule.delete`, `schedule.enable` and `schedule.update` answer it: the
 * relay is switched off, unless a job holds it.
 */
export interface LightHandover {
  relayId: string;
  /** The relay's state after the answer: false once it was switched off. */
  on: boolean;
  message: string;
}
