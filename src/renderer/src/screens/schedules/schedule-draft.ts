/**
 * A schedule as its form holds it: text while the grower types, both trigger kinds kept so a
 * switch between them loses nothing. SCHEDULE_SCHEMA decides what is valid, so the form refuses
 * exactly what the station would.
 */
import type { Schedule, ScheduleInput } from '../../../../shared/schedules';
import { SCHEDULE_SCHEMA } from '../../../../shared/schedules';
import { describeJob, type StationNames } from '../../components/job-words';
import { checkJob, draftFromJob, emptyJobDraft, jobInput, numberFrom, type JobDefaults, type JobDraft, type JobFormContext } from '../../job-spec-form';
import type { UnitSystem } from '../../units';
import { idFromName, problemsOf, problemsWithin, type Problems } from './form-problems';

export type MissedRunChoice = Schedule['missedRun']['policy'];

export interface ScheduleDraft {
  /** Empty for a schedule not saved yet; its id comes from its name when it is. */
  id: string;
  name: string;
  enabled: boolean;
  timezone: string;
  kind: 'cron' | 'light';
  expression: string;
  action: JobDraft;
  relayId: string;
  on: string;
  off: string;
  missedRun: MissedRunChoice;
  graceMinutes: string;
}

/** The zone this device's clock is set to: the likeliest one for the grow room. */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function newScheduleDraft(defaults: JobDefaults, timezone: string): ScheduleDraft {
  return {
    id: '',
    name: '',
    enabled: true,
    timezone,
    kind: 'cron',
    expression: '0 8 * * *',
    action: emptyJobDraft('dose', defaults),
    // A light timer starts on a relay named for lights, or on none: never on a guess.
    relayId: defaults.lightRelayId ?? '',
    on: '06:00',
    off: '18:00',
    missedRun: 'skip',
    graceMinutes: '30',
  };
}

export function draftFromSchedule(schedule: Schedule, defaults: JobDefaults, units: UnitSystem): ScheduleDraft {
  const draft = newScheduleDraft(defaults, schedule.timezone);
  const base: ScheduleDraft = {
    ...draft,
    id: schedule.id,
    name: schedule.name,
    enabled: schedule.enabled,
    missedRun: schedule.missedRun.policy,
    graceMinutes: schedule.missedRun.policy === 'run-once-within-grace' ? String(schedule.missedRun.graceMinutes) : draft.graceMinutes,
  };
  const trigger = schedule.trigger;
  if (trigger.kind === 'cron') return { ...base, kind: 'cron', expression: trigger.expression, action: draftFromJob(trigger.action, defaults, units) };
  return { ...base, kind: 'light', relayId: trigger.relayId, on: trigger.on, off: trigger.off };
}

/** What the schema reads; `taken` keeps a new schedule's id from clashing with a saved one. */
export function scheduleInput(draft: ScheduleDraft, taken: ReadonlySet<string>, units: UnitSystem): Record<string, unknown> {
  return {
    id: draft.id || idFromName(draft.name, taken, 'schedule'),
    name: draft.name.trim(),
    enabled: draft.enabled,
    timezone: draft.timezone.trim(),
    trigger:
      draft.kind === 'cron'
        ? { kind: 'cron', expression: draft.expression.trim(), action: jobInput(draft.action, units) }
        : { kind: 'light', relayId: draft.relayId, on: draft.on, off: draft.off },
    missedRun: draft.missedRun === 'skip' ? { policy: 'skip' } : { policy: 'run-once-within-grace', graceMinutes: numberFrom(draft.graceMinutes) },
  };
}

export type ScheduleCheck = { ok: true; schedule: Schedule; problems: Problems } | { ok: false; problems: Problems };

/** The job a cron schedule starts is checked as the Jobs screen checks it, against the station's tables too. */
export function checkSchedule(draft: ScheduleDraft, taken: ReadonlySet<string>, context: JobFormContext): ScheduleCheck {
  const parsed = SCHEDULE_SCHEMA.safeParse(scheduleInput(draft, taken, context.units));
  const action = draft.kind === 'cron' ? checkJob(draft.action, context) : null;
  if (parsed.success && (!action || action.ok)) return { ok: true, schedule: parsed.data, problems: {} };
  const problems = parsed.success ? {} : problemsOf(parsed.error.issues);
  return { ok: false, problems: action && !action.ok ? problemsWithin(problems, 'trigger.action', action.problems) : problems };
}

/** What a schedule does, in one line for the list. */
export function describeSchedule(schedule: ScheduleInput, names: StationNames): string {
  const trigger = schedule.trigger;
  if (trigger.kind === 'light') {
    const overnight = trigger.off < trigger.on ? ' (overnight)' : '';
    return `${names.channel(trigger.relayId)} on at ${trigger.on}, off at ${trigger.off}${overnight}`;
  }
  return `${describeJob(trigger.action, names)}, at cron "${trigger.expression}"`;
}

export function describeMissedRun(missedRun: Schedule['missedRun']): string {
  if (missedRun.policy === 'skip') return 'Runs missed while the station was off are skipped.';
  return `After downtime, one missed run is made up if it is at most ${missedRun.graceMinutes} min late.`;
}
