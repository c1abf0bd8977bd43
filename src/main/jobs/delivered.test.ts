/**
 * A job that stopped part way says what it had delivered, on the simulated station: the grower
 * reads it before dosing or filling again, so nothing goes in twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { describe as describeJob, deliveryWords, namesIn } from './engine';
import type { MemoryJournal } from './memory-journal';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  const running = station as SimStation | undefined;
  station = undefined as unknown as SimStation;
  await running?.close();
});


describe('what a stopped job delivered', () => {
  it('a cancelled dose says how many millilitres of which pump went in, by its name', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 30 }, 'desktop'));
    await station.advance(10_000);
    station.core.jobs.cancel(id, 'desktop');
    await station.until(station.finished(id), 5_000, 'the cancel');
    // The same figure the dose audit keeps.
    const ml = (station.journal as MemoryJournal).doses.at(-1)?.deliveredMl ?? 0;
    expect(ml).toBeGreaterThan(5);
    expect(ml).toBeLessThan(30);
    expect(station.job(id)).toMatchObject({ state: 'cancelled', detail: `cancelled by desktop. Before it stopped: ${Math.round(ml * 10) / 10} mL of Nutrient A`, delivered: { dosedMl: { nut_a: expect.closeTo(ml, 2) }, filledL: 0, drainedL: 0 } });
  });

  it('a cancelled recipe adds up every step it ran', async () => {
    station = await startSimStation();
    station.setup.recipes.put({
      id: 'feed',
      name: 'Feed',
      steps: [
        { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 2 } },
        { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 3 } },
        { kind: 'wait', seconds: 600 },
      ],
    });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'feed' }, 'desktop'));
    await station.until(() => /step 3 of 3/.test(station.job(id)?.detail ?? ''), 120_000, 'the wait');
    station.core.jobs.cancel(id, 'desktop');
    await station.until(station.finished(id), 5_000, 'the cancel');
    expect(station.job(id)?.detail).toMatch(/^cancelled by desktop\. Before it stopped: 3 mL of Nutrient A, 2 L filled$/);
  });

  it('a job stopped before it delivered anything says so, and a mix says nothing of it', async () => {
    station = await startSimStation();
    const dose = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 10 }, 'desktop'));
    station.core.jobs.cancel(dose, 'desktop');
    await station.until(station.finished(dose), 5_000, 'the cancel');
    expect(station.job(dose)?.detail).toMatch(/^cancelled by desktop(\. Nothing was dosed, filled or drained before it stopped)?$/);
    const mix = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 30 }, 'desktop'));
    await station.advance(2_000);
    station.core.jobs.cancel(mix, 'desktop');
    await station.until(station.finished(mix), 5_000, 'the cancel');
    expect(station.job(mix)).toMatchObject({ state: 'cancelled', detail: 'cancelled by desktop' });
  });
});

describe('the words', () => {
  const names = (id: string) => ({ nut_a: 'Nutrient A', nut_b: 'Nutrient B' })[id] ?? id;

  it('rounds as a grower reads: tenths of a millilitre, whole millilitres from 100, tenths of a litre', () => {
    expect(deliveryWords({ dosedMl: { nut_a: 12.3456, nut_b: 150.4 }, filledL: 37.85411784, drainedL: 0.456 }, names)).toBe('Before it stopped: 12.3 mL of Nutrient A, 150 mL of Nutrient B, 37.9 L filled, 0.46 L drained');
    expect(deliveryWords({ dosedMl: { nut_a: 0 }, filledL: 0, drainedL: 0 }, names)).toBe('Nothing was dosed, filled or drained before it stopped');
  });

  it('names a job’s channels, tank and recipe as the grower named them, with volumes converted from gallons rounded', () => {
    const names = namesIn({
      channels: [{ id: 'nut_a', kind: 'pump', name: 'Nutrient A' }, { id: 'mixer', kind: 'relay', name: 'Mixer' }],
      tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }],
      recipes: [{ id: 'veg', name: 'Veg feed', steps: [{ kind: 'notify', message: 'fed' }] }],
    });
    expect(describeJob({ kind: 'fill', tankId: 'main', liters: 37.85411784 }, names)).toBe('fill Main tank with 37.9 L');
    expect(describeJob({ kind: 'dose', pumpId: 'nut_a', ml: 29.5735295625 }, names)).toBe('dose 29.57 mL with Nutrient A');
    expect(describeJob({ kind: 'mix', relayId: 'mixer', seconds: 30 }, names)).toBe('run Mixer for 30 s');
    expect(describeJob({ kind: 'recipe', recipeId: 'veg' }, names)).toBe('recipe Veg feed');
    // A channel the controller does not report keeps its id.
    expect(describeJob({ kind: 'dose', pumpId: 'nut_b', ml: 2 }, names)).toBe('dose 2 mL with nut_b');
  });
});
