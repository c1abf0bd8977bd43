import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../shared/jobs';
import type { Channel, Tank } from '../../shared/station';
import { problemsUnder } from './screens/schedules/form-problems';
import { checkRecipe, newStep } from './screens/schedules/recipe-draft';
import { checkSchedule, newScheduleDraft } from './screens/schedules/schedule-draft';
import { stationOptions } from './screens/schedules/station-options';
import {
  checkJob,
  draftFromJob,
  emptyJobDraft,
  jobDefaults,
  jobInput,
  numberFrom,
  switchableRelays,
  withPicks,
  type JobDraft,
  type JobFormContext,
  type StationTables,
} from './job-spec-form';
import type { UnitSystem } from './units';

const channels: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250 },
];
const tanks: Tank[] = [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['fill', 'mixer', 'nut_a'] }];
const recipes: Recipe[] = [{ id: 'veg', name: 'Veg week 1', steps: [{ kind: 'wait', seconds: 60 }] }];
const tables: StationTables = { channels, tanks, recipes };
const EMPTY: StationTables = { channels: [], tanks: [], recipes: [] };
const metric: JobFormContext = { tables, units: 'metric' };
const us: JobFormContext = { tables, units: 'us' };
const draft = (changes: Partial<JobDraft>): JobDraft => ({ ...emptyJobDraft('dose', jobDefaults(tables)), ...changes });

describe('a new draft', () => {
  it('points at the first pump, relay, tank and recipe the station has, never at a fill valve', () => {
    expect(emptyJobDraft('dose', jobDefaults(tables))).toMatchObject({ kind: 'dose', pumpId: 'nut_a', relayId: 'mixer', tankId: 'main', recipeId: 'veg' });
    expect(switchableRelays(tables).map((channel) => channel.id)).not.toContain('fill');
  });

  it('refuses a mix on a fill valve, and says what to do instead', () => {
    expect(checkJob(draft({ kind: 'mix', relayId: 'fill', seconds: '60' }), metric)).toMatchObject({ ok: false, problems: { relayId: expect.stringContaining('opens only in a Fill job') } });
  });

  it('aims pH and EC adjustments at the same targets on every screen', () => {
    expect(emptyJobDraft()).toMatchObject({ phTarget: '5.8', phBand: '0.2', ecTarget: '1.6', ecBand: '0.1' });
  });

  it('fills blank pickers once the station has something to pick, and keeps chosen ones', () => {
    const early = emptyJobDraft('dose', jobDefaults(EMPTY));
    expect(early).toMatchObject({ pumpId: '', relayId: '', tankId: '', recipeId: '' });
    expect(withPicks({ ...early, relayId: 'mixer' }, jobDefaults(tables))).toMatchObject({ pumpId: 'nut_a', relayId: 'mixer', tankId: 'main', recipeId: 'veg' });
  });
});

describe('numberFrom', () => {
  it('reads numbers as typed, including a decimal comma', () => {
    expect(numberFrom(' 2.5 ')).toBe(2.5);
    expect(numberFrom('2,5')).toBe(2.5);
    expect(numberFrom('')).toBeUndefined();
    expect(numberFrom('lots')).toBe('lots');
  });
});

describe('jobInput', () => {
  it('sends only the chosen kind’s fields', () => {
    const job = { ...draft({}), ml: '5', liters: '20' };
    expect(jobInput(job, 'metric')).toEqual({ kind: 'dose', pumpId: 'nut_a', ml: 5 });
    expect(jobInput({ ...job, kind: 'fill' }, 'metric')).toEqual({ kind: 'fill', tankId: 'main', liters: 20 });
  });

  it('keeps pH and EC targets apart when the kind switches', () => {
    const ph = draft({ kind: 'adjust-ph', phTarget: '6.1' });
    expect(jobInput({ ...ph, kind: 'adjust-ec' }, 'metric')).toEqual({ kind: 'adjust-ec', tankId: 'main', target: 1.6, band: 0.1 });
    expect(jobInput(ph, 'metric')).toEqual({ kind: 'adjust-ph', tankId: 'main', target: 6.1, band: 0.2 });
  });

  it('leaves text that is no number for the schema to name', () => {
    expect(jobInput(draft({ kind: 'fill', liters: 'lots' }), 'us')).toEqual({ kind: 'fill', tankId: 'main', liters: 'lots' });
  });
});

describe('draftFromJob', () => {
  it('round-trips a saved job, with the other kinds at their defaults', () => {
    const spec = { kind: 'adjust-ec', tankId: 'veg', target: 1.4, band: 0.05 } as const;
    expect(jobInput(draftFromJob(spec, jobDefaults(tables), 'metric'), 'metric')).toEqual(spec);
    expect(draftFromJob(spec, jobDefaults(tables), 'metric').pumpId).toBe('nut_a');
  });

  it('shows water in gallons in US units, and gives back the same litres when saved unchanged', () => {
    const spec = { kind: 'fill', tankId: 'main', liters: 40 } as const;
    const shown = draftFromJob(spec, {}, 'us');
    expect(shown.liters).toBe('10.5669');
    expect(jobInput(shown, 'us')).toEqual(spec);
    expect(checkJob(shown, us)).toEqual({ ok: true, spec });
  });
});

describe('checkJob', () => {
  it('builds each kind of job', () => {
    expect(checkJob(draft({ ml: '5' }), metric)).toEqual({ ok: true, spec: { kind: 'dose', pumpId: 'nut_a', ml: 5 } });
    expect(checkJob(draft({ kind: 'fill', liters: '20,5' }), metric)).toEqual({ ok: true, spec: { kind: 'fill', tankId: 'main', liters: 20.5 } });
    expect(checkJob(draft({ kind: 'mix', relayId: 'mixer', seconds: '300' }), metric)).toEqual({ ok: true, spec: { kind: 'mix', relayId: 'mixer', seconds: 300 } });
    expect(checkJob(draft({ kind: 'adjust-ph' }), metric)).toEqual({ ok: true, spec: { kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.2 } });
    expect(checkJob(draft({ kind: 'adjust-ec', ecTarget: '2' }), metric)).toEqual({ ok: true, spec: { kind: 'adjust-ec', tankId: 'main', target: 2, band: 0.1 } });
    expect(checkJob(draft({ kind: 'recipe' }), metric)).toEqual({ ok: true, spec: { kind: 'recipe', recipeId: 'veg' } });
  });

  it("puts the schema's words under the field they are about", () => {
    expect(checkJob(draft({ ml: '' }), metric)).toEqual({ ok: false, problems: { ml: 'ml must be a number of millilitres' } });
    expect(checkJob(draft({ ml: 'lots' }), metric)).toEqual({ ok: false, problems: { ml: 'ml must be a number of millilitres' } });
    expect(checkJob(draft({ ml: '0' }), metric)).toEqual({ ok: false, problems: { ml: 'ml must be more than 0' } });
    expect(checkJob(draft({ kind: 'adjust-ph', phTarget: '11', phBand: '4' }), metric)).toEqual({
      ok: false,
      problems: { target: 'target must be at most 9 pH', band: 'band must be at most 1.5 pH' },
    });
  });

  it('takes water in gallons when the grower reads US units, to the millilitre', () => {
    expect(checkJob(draft({ kind: 'fill', liters: '2' }), us)).toEqual({ ok: true, spec: { kind: 'fill', tankId: 'main', liters: 7.571 } });
  });

  it('keeps what was typed for one kind while another is chosen', () => {
    const typed = draft({ ml: '7', kind: 'fill', liters: '10' });
    expect(checkJob({ ...typed, kind: 'dose' }, metric)).toEqual({ ok: true, spec: { kind: 'dose', pumpId: 'nut_a', ml: 7 } });
  });

  it("refuses more than the pump's bound or the tank's size", () => {
    expect(checkJob(draft({ ml: '300' }), metric)).toEqual({ ok: false, problems: { ml: 'Nutrient A doses at most 250 mL at a time, not 300 mL; dose less' } });
    expect(checkJob(draft({ kind: 'fill', liters: '150' }), metric)).toEqual({ ok: false, problems: { liters: 'Main tank holds 100 L in all.' } });
    expect(checkJob(draft({ kind: 'fill', liters: '30' }), us)).toEqual({ ok: false, problems: { liters: 'Main tank holds 26.4 gal in all.' } });
  });

  it('asks for a channel, tank or recipe the station does not have', () => {
    expect(checkJob(draft({ kind: 'mix', relayId: 'nut_a', seconds: '5' }), metric)).toEqual({ ok: false, problems: { relayId: 'Pick a relay.' } });
    expect(checkJob(draft({ kind: 'fill', tankId: 'veg', liters: '5' }), metric)).toEqual({ ok: false, problems: { tankId: 'Pick a tank.' } });
    expect(checkJob(draft({ kind: 'recipe', recipeId: 'bloom' }), metric)).toEqual({ ok: false, problems: { recipeId: 'Pick a recipe.' } });
  });

  it('asks for a pick, not an id, while a picker is blank', () => {
    expect(checkJob(draft({ pumpId: '', ml: '5' }), { tables: EMPTY, units: 'metric' })).toEqual({ ok: false, problems: { pumpId: 'Pick a pump.' } });
    expect(checkJob(draft({ kind: 'fill', tankId: '', liters: '' }), metric)).toEqual({
      ok: false,
      problems: { tankId: 'Pick a tank.', liters: 'liters must be a number of litres' },
    });
  });
});

describe('the Jobs and Schedules screens and the recipe editor', () => {
  const typings: Partial<JobDraft>[] = [
    { ml: '5' },
    { ml: '300' },
    { ml: '' },
    { kind: 'fill', liters: '20,5' },
    { kind: 'fill', liters: '30' },
    { kind: 'mix', relayId: 'mixer', seconds: '300' },
    { kind: 'adjust-ph', phTarget: '11' },
    { kind: 'adjust-ph', tankId: 'veg' },
    { kind: 'adjust-ec' },
  ];

  /** What each screen makes of the same typing, from the draft it starts with. */
  function onEachScreen(typed: Partial<JobDraft>, units: UnitSystem) {
    const options = stationOptions(channels, tanks, recipes, units);
    const onJobs = checkJob(withPicks({ ...emptyJobDraft('dose', jobDefaults(tables)), ...typed }, jobDefaults(tables)), { tables, units });
    const scheduleDraft = newScheduleDraft(options.defaults, 'UTC');
    const onSchedules = checkSchedule({ ...scheduleDraft, name: 'Feed', action: { ...scheduleDraft.action, ...typed } }, new Set(), options);
    const step = newStep('job', 1, options.defaults);
    const inRecipes = checkRecipe({ id: '', name: 'Feed', steps: [{ ...step, job: { ...step.job, ...typed } }] }, new Set(), options);
    return {
      jobs: onJobs.ok ? onJobs.spec : onJobs.problems,
      schedules: onSchedules.ok && onSchedules.schedule.trigger.kind === 'cron' ? onSchedules.schedule.trigger.action : problemsUnder(onSchedules.problems, 'trigger.action'),
      recipes: inRecipes.ok && inRecipes.recipe.steps[0]?.kind === 'job' ? inRecipes.recipe.steps[0].job : problemsUnder(inRecipes.problems, 'steps.0.job'),
    };
  }

  for (const units of ['metric', 'us'] as const) {
    for (const typed of typings) {
      it(`make the same job, or the same problems, of ${JSON.stringify(typed)} in ${units} units`, () => {
        const made = onEachScreen(typed, units);
        expect(made.schedules).toEqual(made.jobs);
        expect(made.recipes).toEqual(made.jobs);
      });
    }
  }

  it('make a spec, not only agree', () => {
    expect(onEachScreen({ kind: 'fill', liters: '5' }, 'us').jobs).toEqual({ kind: 'fill', tankId: 'main', liters: 18.927 });
  });
});
