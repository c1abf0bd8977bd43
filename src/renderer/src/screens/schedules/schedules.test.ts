import { describe, expect, it } from 'vitest';
import { firstProblem, idFromName, problemsUnder } from './form-problems';
import { describeJob, draftFromJob, emptyJobDraft, jobInput, numberFrom } from './job-draft';
import { formatInZone, previewLines, readPreview } from './preview-format';
import { checkSchedule, describeSchedule, draftFromSchedule, newScheduleDraft, type ScheduleDraft } from './schedule-draft';

const DEFAULTS = { pumpId: 'nut_a', tankId: 'main', relayId: 'lights', recipeId: 'veg' };
const NONE = new Set<string>();

function draft(patch: Partial<ScheduleDraft> = {}): ScheduleDraft {
  return { ...newScheduleDraft(DEFAULTS, 'Europe/Berlin'), name: 'Morning feed', ...patch };
}

describe('job drafts', () => {
  it('reads numbers as typed, including a decimal comma', () => {
    expect(numberFrom(' 2.5 ')).toBe(2.5);
    expect(numberFrom('2,5')).toBe(2.5);
    expect(numberFrom('')).toBeUndefined();
    expect(numberFrom('lots')).toBe('lots');
  });

  it('sends only the chosen kind’s fields', () => {
    const job = { ...emptyJobDraft('dose', DEFAULTS), ml: '5', liters: '20' };
    expect(jobInput(job)).toEqual({ kind: 'dose', pumpId: 'nut_a', ml: 5 });
    expect(jobInput({ ...job, kind: 'fill', liters: '20' })).toEqual({ kind: 'fill', tankId: 'main', liters: 20 });
  });

  it('keeps pH and EC targets apart when the kind switches', () => {
    const ph = { ...emptyJobDraft('adjust-ph', DEFAULTS), phTarget: '6.1' };
    expect(jobInput({ ...ph, kind: 'adjust-ec' })).toEqual({ kind: 'adjust-ec', tankId: 'main', target: 1.8, band: 0.1 });
    expect(jobInput(ph)).toEqual({ kind: 'adjust-ph', tankId: 'main', target: 6.1, band: 0.2 });
  });

  it('round-trips a saved job', () => {
    const spec = { kind: 'adjust-ec', tankId: 'veg', target: 1.4, band: 0.05 } as const;
    expect(jobInput(draftFromJob(spec, DEFAULTS))).toEqual(spec);
    expect(draftFromJob(spec, DEFAULTS).pumpId).toBe('nut_a');
  });

  it('says what a job does by the names the grower gave', () => {
    const names: Record<string, string> = { nut_a: 'Nutrient A', main: 'Main tank' };
    const nameOf = (id: string) => names[id] ?? id;
    expect(describeJob({ kind: 'dose', pumpId: 'nut_a', ml: 5 }, nameOf)).toBe('Dose 5 mL with Nutrient A');
    expect(describeJob({ kind: 'mix', relayId: 'mixer', seconds: 600 }, nameOf)).toBe('Run mixer for 10 min');
    expect(describeJob({ kind: 'fill', tankId: 'main', liters: 40 }, nameOf)).toBe('Fill Main tank with 40 L');
  });
});

describe('schedule drafts', () => {
  it('accepts a complete cron schedule and derives its id from the name', () => {
    const check = checkSchedule(draft({ action: { ...emptyJobDraft('dose', DEFAULTS), ml: '5' } }), NONE);
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

  it('puts each problem on its field, in the schema’s words', () => {
    const check = checkSchedule(draft({ name: '', expression: '0 8 * *', timezone: 'Mars/Olympus' }), NONE);
    expect(check.ok).toBe(false);
    expect(check.problems.name).toBe('name must not be empty');
    expect(check.problems.timezone).toMatch(/^timezone "Mars\/Olympus" is not a time zone/);
    expect(check.problems['trigger.expression']).toMatch(/has 4 fields, not five/);
    expect(problemsUnder(check.problems, 'trigger.action')).toEqual({ ml: 'ml must be a number of millilitres' });
  });

  it('checks light timers and the grace of missed runs', () => {
    const light = checkSchedule(draft({ kind: 'light', on: '06:00', off: '06:00', missedRun: 'run-once-within-grace', graceMinutes: '0' }), NONE);
    expect(light.problems['trigger.off']).toMatch(/on and off must differ/);
    expect(light.problems['missedRun.graceMinutes']).toBe('graceMinutes must be at least 1');
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
    const check = checkSchedule(draftFromSchedule(saved, DEFAULTS), new Set(['lights']));
    expect(check).toMatchObject({ ok: true, schedule: saved });
  });

  it('describes what a schedule does', () => {
    expect(describeSchedule({ id: 'l', name: 'L', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lamp', on: '18:00', off: '06:00' } })).toBe(
      'lamp on at 18:00, off at 06:00 (overnight)',
    );
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

  it('names the field in the summary when the message does not', () => {
    expect(firstProblem({ 'steps.0.job.ml': 'ml must be more than 0' })).toBe('ml must be more than 0');
    expect(firstProblem({ steps: 'a recipe needs at least one step' })).toBe('steps: a recipe needs at least one step');
    expect(firstProblem({})).toBeUndefined();
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
