import { describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/station';
import { adjustmentProgress, describeJob, describeRecipeStep, jobTitle, namesFrom, recipeSummary, sortJobs } from './job-words';

const names = namesFrom({
  channels: [
    { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
    { id: 'mixer', kind: 'relay', name: 'Mixer' },
  ],
  tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }],
  recipes: [{ id: 'veg', name: 'Veg week 1', steps: [{ kind: 'wait', seconds: 1 }] }],
});

function job(id: number, state: Job['state'], times: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'dose',
    spec: { kind: 'dose', pumpId: 'nut_a', ml: 5 },
    state,
    tankId: 'main',
    progress: 0,
    etaMs: null,
    detail: '',
    requestedBy: 'desktop',
    createdAt: id * 1000,
    startedAt: null,
    endedAt: null,
    ...times,
  };
}

describe('describeJob', () => {
  it('names channels, tanks and recipes the way the grower named them', () => {
    expect(describeJob({ kind: 'dose', pumpId: 'nut_a', ml: 5 }, names)).toBe('Dose 5 mL with Nutrient A');
    // Rounded as a grower reads a dose, not as typed or worked out.
    expect(describeJob({ kind: 'dose', pumpId: 'nut_a', ml: 3.333 }, names)).toBe('Dose 3.3 mL with Nutrient A');
    expect(describeJob({ kind: 'fill', tankId: 'main', liters: 20 }, names)).toBe('Fill Main tank with 20.0 L');
    expect(describeJob({ kind: 'mix', relayId: 'mixer', seconds: 300 }, names)).toBe('Run Mixer for 5 min');
    expect(describeJob({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.2 }, names)).toBe('Bring Main tank to pH 5.8 ± 0.2');
    expect(describeJob({ kind: 'adjust-ec', tankId: 'main', target: 1.6, band: 0.1 }, names)).toBe('Bring Main tank to EC 1.6 ± 0.1 mS/cm');
    expect(describeJob({ kind: 'recipe', recipeId: 'veg' }, names)).toBe('Recipe Veg week 1');
  });

  it('gives water volumes in the units the grower reads', () => {
    const us = namesFrom({ channels: [], tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: [] }], recipes: [] }, 'us');
    expect(describeJob({ kind: 'fill', tankId: 'main', liters: 37.85411784 }, us)).toBe('Fill Main tank with 10.0 gal');
    expect(describeJob({ kind: 'dose', pumpId: 'nut_a', ml: 5 }, us)).toBe('Dose 5 mL with nut_a');
  });

  it('falls back to the id for something the station no longer has', () => {
    expect(describeJob({ kind: 'dose', pumpId: 'gone', ml: 1 }, names)).toBe('Dose 1 mL with gone');
  });

  it('titles a job with its number', () => {
    expect(jobTitle(job(7, 'running'), names)).toBe('Job 7: Dose 5 mL with Nutrient A');
  });
});

describe('sortJobs', () => {
  it('splits running, waiting and ended jobs', () => {
    const lists = sortJobs([
      job(1, 'succeeded', { endedAt: 5_000 }),
      job(2, 'running', { startedAt: 3_000 }),
      job(3, 'queued'),
      job(4, 'paused', { startedAt: 2_000 }),
      job(5, 'failed', { endedAt: 9_000 }),
      job(6, 'queued'),
      job(7, 'interrupted', { endedAt: 7_000 }),
    ]);
    expect(lists.active.map((j) => j.id)).toEqual([4, 2]);
    expect(lists.queued.map((j) => j.id)).toEqual([3, 6]);
    expect(lists.finished.map((j) => j.id)).toEqual([5, 7, 1]);
  });
});

describe('describeRecipeStep', () => {
  it('reads out every kind of step', () => {
    expect(describeRecipeStep({ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 20 } }, names)).toBe('Dose 20 mL with Nutrient A');
    expect(describeRecipeStep({ kind: 'wait', seconds: 120 }, names)).toBe('Wait 2 min');
    expect(describeRecipeStep({ kind: 'wait-in-band', sensorId: 'ph1', min: 5.6, max: 6, timeoutSeconds: 600 }, names)).toBe(
      'Wait until ph1 is between 5.6 and 6 (at most 10 min)',
    );
    expect(describeRecipeStep({ kind: 'notify', message: 'Check the roots' }, names)).toBe('Notify: Check the roots');
  });
});

describe('recipeSummary', () => {
  it('reads the steps as one sentence', () => {
    expect(
      recipeSummary(
        [
          { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 20 } },
          { kind: 'wait', seconds: 300 },
          { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 60 } },
        ],
        names,
      ),
    ).toBe('Dose 20 mL with Nutrient A, then wait 5 min, then run Mixer for 1 min.');
  });
});

describe('drains, fills to a level and water changes in words', () => {
  it('says where the water goes, by tank name and in the grower\'s units', () => {
    expect(describeJob({ kind: 'drain', tankId: 'main', liters: 20 }, names)).toBe('Drain 20.0 L from Main tank, no lower than its floor');
    expect(describeJob({ kind: 'drain-to', tankId: 'main', toLiters: 30 }, names)).toBe('Drain Main tank to 30.0 L');
    expect(describeJob({ kind: 'fill-to', tankId: 'main', toLiters: 80 }, names)).toBe('Fill Main tank to 80.0 L');
    expect(describeRecipeStep({ kind: 'water-change', tankId: 'main', toLiters: 80 }, names)).toBe('Change the water in Main tank: drain to its floor, then fill to 80.0 L');
  });
});

describe('adjustmentProgress', () => {
  const tanks = [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['ph1', 'ec1'], roles: { phSensor: 'ph1', ecSensor: 'ec1', nutrients: [] } }];
  const readings = { ph1: { value: 6.423 }, ec1: { value: 1.2 } };

  it('reads "reading → target" from the tank’s own probe', () => {
    expect(adjustmentProgress({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, tanks, readings)).toBe('pH 6.42 → 5.80');
    expect(adjustmentProgress({ kind: 'adjust-ec', tankId: 'main', target: 1.6, band: 0.1 }, tanks, readings)).toBe('EC 1.20 → 1.60 mS/cm');
  });

  it('says nothing for other jobs or without a reading', () => {
    expect(adjustmentProgress({ kind: 'dose', pumpId: 'nut_a', ml: 5 }, tanks, readings)).toBeNull();
    expect(adjustmentProgress({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, tanks, {})).toBeNull();
    expect(adjustmentProgress({ kind: 'adjust-ph', tankId: 'veg', target: 5.8, band: 0.1 }, tanks, readings)).toBeNull();
  });
});
