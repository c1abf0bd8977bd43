import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../../../shared/jobs';
import type { Channel, Tank } from '../../../../shared/station';
import { namesFrom } from '../../components/job-words';
import { emptyJobDraft, type JobFormContext } from '../../job-spec-form';
import { idFromName, problemsUnder } from './form-problems';
import { formatInZone, previewLines, readPreview } from './preview-format';
import { checkSchedule, describeSchedule, draftFromSchedule, newScheduleDraft, type ScheduleDraft } from './schedule-draft';

const DEFAULTS = { pumpId: 'nut_a', tankId: 'main', relayId: 'lights', recipeId: 'veg' };
const NONE = new Set<string>();
const STATION: { channels: Channel[]; tanks: Tank[]; recipes: Recipe[] } = {
  channels: [
    { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
    { id: 'lights', kind: 'relay', name: 'Lights' },
  ],
  tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }],
  recipes: [{ id: 'veg', name: 'Veg week 1', steps: [{ kind: 'wait', seconds: 60 }] }],
};
const METRIC: JobFormContext = { tables: STATION, units: 'metric' };
const US: JobFormContext = { tables: STATION, units: 'us' };

function draft(patch: Partial<ScheduleDraft> = {}): ScheduleDraft {
  return { ...newScheduleDraft(DEFAULTS, 'Europe/Berlin'), name: 'Morning feed', ...patch };
}

describe('schedule drafts', () => {
  it('accepts a complete cron schedule and derives its id from the name', () => {
    const check = checkSchedule(draft({ action: { ...emptyJobDraft('dose', DEFAULTS), ml: '5' } }), NONE, METRIC);
    expect(check).toMatchObject({
      ok: true,
      schedule: {
        id: 'morning-feed',
        timezone: 'Europe/Berlin',
        trigger: { kind: 'cron', expression: '0 8 * * *', action: { kind: 'dose', pumpId: 'nut_a', ml: 5 } },
        missedRun: { policy: 'skip' },
      },
    });
  });

  it('puts each problem on its field, in the form’s words', () => {
    const check = checkSchedule(draft({ name: '', expression: '0 8 * *', timezone: 'Mars/Olympus' }), NONE, METRIC);
    expect(check.ok).toBe(false);
    expect(check.problems.name).toBe('The name must not be empty.');
    expect(check.problems.timezone).toMatch(/^The time zone "Mars\/Olympus" is not a time zone/);
    expect(check.problems['trigger.expression']).toMatch(/has 4 fields, not five/);
    expect(problemsUnder(check.problems, 'trigger.action')).toEqual({ ml: 'ml must be a number of millilitres' });
  });

  it('checks light timers and the grace of missed runs', () => {
    const light = checkSchedule(draft({ kind: 'light', on: '06:00', off: '06:00', missedRun: 'run-once-within-grace', graceMinutes: '0' }), NONE, METRIC);
    expect(light.problems['trigger.off']).toMatch(/^The on and off times must differ/);
    expect(light.problems['missedRun.graceMinutes']).toBe('The grace must be at least 1.');
  });

  it('keeps a saved schedule’s id and round-trips it', () => {
    const saved = {
      id: 'lights',
      name: 'Lights',
      enabled: false,
      timezone: 'America/New_York',
      trigger: { kind: 'light', relayId: 'lamp', on: '18:00', off: '06:00' },
      missedRun: { policy: 'run-once-within-grace', graceMinutes: 15 },
    } as const;
    const check = checkSchedule(draftFromSchedule(saved, DEFAULTS, 'metric'), new Set(['lights']), METRIC);
    expect(check).toMatchObject({ ok: true, schedule: saved });
  });

  it('checks the job it starts against the station, as the Jobs screen does', () => {
    const check = checkSchedule(draft({ action: { ...emptyJobDraft('fill', DEFAULTS), liters: '150' } }), NONE, METRIC);
    expect(check).toEqual({ ok: false, problems: { 'trigger.action.liters': 'Main tank holds 100 L in all.' } });
    const gone = checkSchedule(draft({ action: { ...emptyJobDraft('recipe', DEFAULTS), recipeId: 'bloom' } }), NONE, METRIC);
    expect(gone.problems).toEqual({ 'trigger.action.recipeId': 'Pick a recipe.' });
  });

  it('takes and shows the water of a fill in gallons in US units', () => {
    const check = checkSchedule(draft({ action: { ...emptyJobDraft('fill', DEFAULTS), liters: '10' } }), NONE, US);
    expect(check).toMatchObject({ ok: true, schedule: { trigger: { action: { kind: 'fill', tankId: 'main', liters: 37.854 } } } });
    const saved = {
      id: 'top-up',
      name: 'Top up',
      enabled: true,
      timezone: 'UTC',
      trigger: { kind: 'cron', expression: '0 6 * * *', action: { kind: 'fill', tankId: 'main', liters: 40 } },
      missedRun: { policy: 'skip' },
    } as const;
    const shown = draftFromSchedule(saved, DEFAULTS, 'us');
    expect(shown.action.liters).toBe('10.5669');
    expect(checkSchedule(shown, new Set(['top-up']), US)).toMatchObject({ ok: true, schedule: saved });
  });

  it('describes what a schedule does, by the names the grower gave and in their units', () => {
    const names = namesFrom(STATION);
    expect(describeSchedule({ id: 'l', name: 'L', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lamp', on: '18:00', off: '06:00' } }, names)).toBe(
      'lamp on at 18:00, off at 06:00 (overnight)',
    );
    const feed = { id: 'f', name: 'F', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '0 8 * * *', action: { kind: 'dose', pumpId: 'nut_a', ml: 5 } } } as const;
    expect(describeSchedule(feed, names)).toBe('Dose 5 mL with Nutrient A, at cron "0 8 * * *"');
    const fill = { ...feed, trigger: { ...feed.trigger, action: { kind: 'fill', tankId: 'main', liters: 37.85411784 } } } as const;
    expect(describeSchedule(fill, namesFrom(STATION, 'us'))).toBe('Fill Main tank with 10.0 gal, at cron "0 8 * * *"');
  });
});

describe('ids from names', () => {
  it('makes a short, unique id', () => {
    expect(idFromName('Veg – Week 1!', NONE, 'recipe')).toBe('veg-week-1');
    expect(idFromName('Crème', NONE, 'recipe')).toBe('creme');
    expect(idFromName('!!!', NONE, 'recipe')).toBe('recipe');
    expect(idFromName('veg', new Set(['veg', 'veg-2']), 'recipe')).toBe('veg-3');
    const long = idFromName('a'.repeat(40), new Set(['a'.repeat(32)]), 'x');
    expect(long).toBe(`${'a'.repeat(30)}-2`);
  });
});

describe('preview in the schedule’s zone', () => {
  // 2026-03-29 is the spring-forward day in Berlin: 01:00 UTC is 03:00 CEST.
  const beforeChange = Date.UTC(2026, 2, 28, 7, 0);
  const afterChange = Date.UTC(2026, 2, 29, 6, 0);

  it('shows wall-clock time on the schedule’s clock, with the zone named', () => {
    expect(formatInZone(beforeChange, 'Europe/Berlin', 'en-GB')).toBe('Sat 28 Mar, 08:00 CET');
    expect(formatInZone(afterChange, 'Europe/Berlin', 'en-GB')).toBe('Sun 29 Mar, 08:00 CEST');
    expect(formatInZone(afterChange, 'UTC', 'en-GB')).toBe('Sun 29 Mar, 06:00 UTC');
  });

  it('falls back to UTC for a zone this browser does not know', () => {
    expect(formatInZone(afterChange, 'Nowhere/Land', 'en-GB')).toBe('2026-03-29 06:00 UTC (zone Nowhere/Land unknown here)');
  });

  it('labels light switches and job runs', () => {
    const lines = previewLines(
      [
        { at: beforeChange, kind: 'light', on: true },
        { at: afterChange, kind: 'light', on: false },
      ],
      'Europe/Berlin',
      'Dose 5 mL',
      'en-GB',
    );
    expect(lines.map((line) => `${line.when} ${line.what}`)).toEqual(['Sat 28 Mar, 08:00 CET Light on', 'Sun 29 Mar, 08:00 CEST Light off']);
    expect(previewLines([{ at: afterChange, kind: 'job' }], 'UTC', 'Dose 5 mL', 'en-GB')[0]?.what).toBe('Dose 5 mL');
  });

  it('reads the preview answer and refuses anything else', () => {
    expect(readPreview({ runs: [{ at: 1, kind: 'job' }, { at: 2, kind: 'light', on: true }] })).toEqual([
      { at: 1, kind: 'job' },
      { at: 2, kind: 'light', on: true },
    ]);
    expect(readPreview({ runs: [{ at: '1', kind: 'job' }] })).toBeNull();
    expect(readPreview({ runs: [{ at: 1, kind: 'light' }] })).toBeNull();
    expect(readPreview(null)).toBeNull();
  });
});
