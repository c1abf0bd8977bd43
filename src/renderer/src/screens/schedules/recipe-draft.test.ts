import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../../../shared/jobs';
import type { Channel } from '../../../../shared/station';
import { namesFrom } from '../../components/job-words';
import type { JobFormContext } from '../../job-spec-form';
import { addStep, checkRecipe, describeStep, draftFromRecipe, moveStep, newStep, nextKey, removeStep, replaceStep, type StepDraft } from './recipe-draft';

const DEFAULTS = { pumpId: 'nut_a', tankId: 'main', relayId: 'mixer', sensorId: 'ph1' };
const NONE = new Set<string>();
const CHANNELS: Channel[] = [
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 250 },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
  { id: 'ph1', kind: 'ph', name: 'pH probe' },
  { id: 'temp1', kind: 'temp', name: 'Water temperature' },
  { id: 'level1', kind: 'level', name: 'Level' },
];
const TABLES = { channels: CHANNELS, tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }], recipes: [] };
const METRIC: JobFormContext = { tables: TABLES, units: 'metric' };
const US: JobFormContext = { tables: TABLES, units: 'us' };

function steps(...kinds: StepDraft['kind'][]): StepDraft[] {
  return kinds.reduce<StepDraft[]>((list, kind) => addStep(list, kind, DEFAULTS), []);
}

describe('editing the step list', () => {
  it('adds steps at the end, each with its own key', () => {
    const list = steps('job', 'wait', 'notify');
    expect(list.map((step) => step.kind)).toEqual(['job', 'wait', 'notify']);
    expect(list.map((step) => step.key)).toEqual([1, 2, 3]);
    expect(nextKey(removeStep(list, 2))).toBe(3);
  });

  it('moves a step up and down, taking its key with it', () => {
    const list = steps('job', 'wait', 'notify');
    const up = moveStep(list, 2, -1);
    expect(up.map((step) => step.kind)).toEqual(['job', 'notify', 'wait']);
    expect(up.map((step) => step.key)).toEqual([1, 3, 2]);
    expect(moveStep(up, 0, 1).map((step) => step.kind)).toEqual(['notify', 'job', 'wait']);
  });

  it('leaves the list alone for a move past either end', () => {
    const list = steps('job', 'wait');
    expect(moveStep(list, 0, -1)).toEqual(list);
    expect(moveStep(list, 1, 1)).toEqual(list);
    expect(moveStep(list, 5, -1)).toEqual(list);
  });

  it('removes and replaces by position without touching the others', () => {
    const list = steps('job', 'wait', 'notify');
    expect(removeStep(list, 1).map((step) => step.key)).toEqual([1, 3]);
    const replaced = replaceStep(list, 1, { ...list[1]!, seconds: '300' });
    expect(replaced[1]?.seconds).toBe('300');
    expect(replaced[0]).toBe(list[0]);
    expect(list[1]?.seconds).toBe('60');
  });
});

describe('checking a recipe', () => {
  it('builds the recipe the station stores', () => {
    const list = steps('job', 'wait', 'wait-in-band', 'notify');
    list[0] = { ...list[0]!, job: { ...list[0]!.job, ml: '12' } };
    list[2] = { ...list[2]!, min: '5.6', max: '6.2' };
    list[3] = { ...list[3]!, message: 'Check the roots' };
    const check = checkRecipe({ id: '', name: 'Veg week 1', steps: list }, new Set(['veg-week-1']), METRIC);
    expect(check).toEqual({
      ok: true,
      problems: {},
      recipe: {
        id: 'veg-week-1-2',
        name: 'Veg week 1',
        steps: [
          { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 12 } },
          { kind: 'wait', seconds: 60 },
          { kind: 'wait-in-band', sensorId: 'ph1', min: 5.6, max: 6.2, timeoutSeconds: 600 },
          { kind: 'notify', message: 'Check the roots' },
        ],
      },
    });
  });

  it('puts problems on the step and field they concern', () => {
    const list = steps('wait', 'job');
    list[0] = { ...list[0]!, seconds: '-1' };
    const check = checkRecipe({ id: 'veg', name: 'Veg', steps: list }, NONE, METRIC);
    expect(check.problems).toEqual({ 'steps.0.seconds': 'seconds must be more than 0', 'steps.1.job.ml': 'ml must be a number of millilitres' });
  });

  it('checks each job step against the station, as the Jobs screen does', () => {
    const list = steps('wait', 'job');
    list[1] = { ...list[1]!, job: { ...list[1]!.job, ml: '300' } };
    expect(checkRecipe({ id: 'veg', name: 'Veg', steps: list }, NONE, METRIC)).toEqual({ ok: false, problems: { 'steps.1.job.ml': 'Nutrient A doses at most 250 mL at a time, not 300 mL; dose less' } });
  });

  it('refuses an empty recipe and a band the wrong way round', () => {
    expect(checkRecipe({ id: 'x', name: 'X', steps: [] }, NONE, METRIC).problems).toEqual({ steps: 'A recipe needs at least one step.' });
    const band = [{ ...newStep('wait-in-band', 1, DEFAULTS), min: '6.5', max: '5.5' }];
    expect(checkRecipe({ id: 'x', name: 'X', steps: band }, NONE, METRIC).problems).toEqual({ 'steps.0.max': 'The highest reading must be at least the lowest reading.' });
  });

  it('round-trips a saved recipe', () => {
    const recipe: Recipe = {
      id: 'bloom',
      name: 'Bloom',
      steps: [
        { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 40 } },
        { kind: 'job', job: { kind: 'adjust-ph', tankId: 'main', target: 6, band: 0.1 } },
      ],
    };
    expect(checkRecipe(draftFromRecipe(recipe, DEFAULTS, METRIC), new Set(['bloom']), METRIC)).toMatchObject({ ok: true, recipe });
  });

  it('takes water, temperatures and levels in US units, and saves a loaded recipe unchanged', () => {
    const recipe: Recipe = {
      id: 'warm',
      name: 'Warm',
      steps: [
        { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 40 } },
        { kind: 'wait-in-band', sensorId: 'temp1', min: 18.33, max: 22.5, timeoutSeconds: 600 },
        { kind: 'wait-in-band', sensorId: 'level1', min: 38, max: 95.5, timeoutSeconds: 600 },
        { kind: 'wait-in-band', sensorId: 'ph1', min: 5.6, max: 6.2, timeoutSeconds: 600 },
      ],
    };
    const shown = draftFromRecipe(recipe, DEFAULTS, US);
    expect(shown.steps.map((step) => (step.kind === 'job' ? step.job.liters : `${step.min}–${step.max}`))).toEqual(['10.5669', '64.99–72.5', '10.0385–25.2284', '5.6–6.2']);
    expect(checkRecipe(shown, new Set(['warm']), US)).toMatchObject({ ok: true, recipe });
    const typed = [{ ...newStep('wait-in-band', 1, DEFAULTS), sensorId: 'temp1', min: '68', max: '77' }];
    expect(checkRecipe({ id: 'x', name: 'X', steps: typed }, NONE, US)).toMatchObject({ ok: true, recipe: { steps: [{ min: 20, max: 25 }] } });
  });

  it('describes each step, with a band in the units it was typed in', () => {
    const names = namesFrom({ ...TABLES, recipes: [] });
    expect(describeStep({ kind: 'wait-in-band', sensorId: 'ph1', min: 5.6, max: 6.2, timeoutSeconds: 600 }, names, CHANNELS)).toBe(
      'Wait until pH probe reads 5.6–6.2 pH (give up after 600 s)',
    );
    expect(describeStep({ kind: 'wait-in-band', sensorId: 'temp1', min: 20, max: 25, timeoutSeconds: 600 }, namesFrom({ ...TABLES, recipes: [] }, 'us'), CHANNELS)).toBe(
      'Wait until Water temperature reads 68–77 °F (give up after 600 s)',
    );
    expect(describeStep({ kind: 'wait-in-band', sensorId: 'gone', min: 1, max: 2, timeoutSeconds: 60 }, names, CHANNELS)).toBe('Wait until gone reads 1–2 (give up after 60 s)');
    expect(describeStep({ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 5 } }, names, CHANNELS)).toBe('Dose 5 mL with Nutrient A');
    expect(describeStep({ kind: 'notify', message: 'Done' }, names, CHANNELS)).toBe('Notify: Done');
  });
});
