import { describe, expect, it } from 'vitest';
import { DEFAULT_READING_ALARMS } from '../../../../shared/reading-alarms';
import type { Alert, Tank } from '../../../../shared/station';
import { namesFrom } from '../../components/job-words';
import { chartMarks, markTally, nearestMark, stopsOf, targetBand, type MarkedJob } from './chart-marks';

const T = Date.UTC(2026, 4, 1, 12);
const SPAN = { from: T - 3_600_000, to: T };
const TANKS: Tank[] = [
  { id: 'veg', name: 'Veg tank', capacityL: 200, channelIds: ['ph1', 'level1', 'ph_down', 'fill'] },
  { id: 'bloom', name: 'Bloom tank', capacityL: 100, channelIds: ['ph2', 'ph_down2'] },
];
const names = namesFrom({ channels: [{ id: 'ph_down', kind: 'pump', name: 'pH down' }], tanks: TANKS, recipes: [] }, 'us');

const job = (id: number, spec: MarkedJob['spec'], tankId: string | null, startedAt: number | null): MarkedJob => ({ id, spec, tankId, startedAt });
const estop = (at: number, lastAt?: number): Pick<Alert, 'code' | 'at' | 'lastAt'> => ({ code: 'ESTOP_LATCHED', at, ...(lastAt !== undefined ? { lastAt } : {}) });

describe('chart marks', () => {
  const jobs = [
    job(1, { kind: 'dose', pumpId: 'ph_down', ml: 2 }, 'veg', T - 600_000),
    job(2, { kind: 'fill', tankId: 'veg', liters: 37.85411784 }, 'veg', T - 1_200_000),
    job(3, { kind: 'adjust-ph', tankId: 'bloom', target: 6, band: 0.1 }, 'bloom', T - 300_000),
    job(4, { kind: 'mix', relayId: 'mixer', seconds: 60 }, 'veg', T - 100_000),
    // Queued, not started: nothing happened yet.
    job(5, { kind: 'dose', pumpId: 'ph_down', ml: 1 }, 'veg', null),
    // Before the window.
    job(6, { kind: 'dose', pumpId: 'ph_down', ml: 1 }, 'veg', T - 7_200_000),
  ];

  it('marks doses and fills of the chart’s own tank, and every emergency stop, oldest first', () => {
    expect(chartMarks('ph1', jobs, stopsOf([estop(T - 60_000), { code: 'LINK_LOST', at: T - 50_000 }]), TANKS, names, SPAN)).toEqual([
      { at: T - 1_200_000, kind: 'fill', label: 'Fill Veg tank with 10.0 gal' },
      { at: T - 600_000, kind: 'dose', label: 'Dose 2 mL with pH down' },
      { at: T - 60_000, kind: 'estop', label: 'Emergency stop' },
    ]);
    expect(chartMarks('ph2', jobs, [], TANKS, names, SPAN)).toEqual([{ at: T - 300_000, kind: 'dose', label: 'Bring Bloom tank to pH 6 ± 0.1' }]);
  });

  it('marks everything on a channel in no tank, and a job once though both the live state and the records hold it', () => {
    const twice = [jobs[0]!, jobs[0]!, jobs[2]!];
    expect(chartMarks('flow9', twice, [], TANKS, names, SPAN).map((mark) => mark.at)).toEqual([T - 600_000, T - 300_000]);
  });

  it('marks a recipe as a dose when a step doses, as a fill when one only fills, and not when it only mixes', () => {
    const recipes = [
      { id: 'feed', steps: [{ kind: 'wait' as const, seconds: 60 }, { kind: 'job' as const, job: { kind: 'dose' as const, pumpId: 'ph_down', ml: 1 } }] },
      { id: 'top-up', steps: [{ kind: 'water-change' as const, tankId: 'veg', toLiters: 150 }] },
      { id: 'stir', steps: [{ kind: 'job' as const, job: { kind: 'mix' as const, relayId: 'mixer', seconds: 60 } }] },
    ];
    const runs = [job(21, { kind: 'recipe', recipeId: 'feed' }, 'veg', T - 900_000), job(22, { kind: 'recipe', recipeId: 'top-up' }, 'veg', T - 800_000), job(23, { kind: 'recipe', recipeId: 'stir' }, 'veg', T - 700_000)];
    expect(chartMarks('ph1', runs, [], TANKS, names, SPAN, recipes).map(({ at, kind }) => ({ at, kind }))).toEqual([
      { at: T - 900_000, kind: 'dose' },
      { at: T - 800_000, kind: 'fill' },
    ]);
    // A recipe deleted since it ran tells nothing of what it did.
    expect(chartMarks('ph1', runs, [], TANKS, names, SPAN, [])).toEqual([]);
  });

  it('marks each dose a recipe made, under the recipe\'s name, and its start when it also fills', () => {
    const stations = namesFrom(
      { channels: [{ id: 'nut_a', kind: 'pump', name: 'Nutrient A' }, { id: 'nut_b', kind: 'pump', name: 'Nutrient B' }], tanks: TANKS, recipes: [{ id: 'feed', name: 'Weekly feed', steps: [] }, { id: 'refresh', name: 'Refresh', steps: [] }] },
      'us',
    );
    const dosing = { kind: 'job' as const, job: { kind: 'dose' as const, pumpId: 'nut_a', ml: 12 } };
    const recipes = [
      { id: 'feed', steps: [dosing, { kind: 'wait' as const, seconds: 300 }, { kind: 'job' as const, job: { kind: 'dose' as const, pumpId: 'nut_b', ml: 12 } }] },
      { id: 'refresh', steps: [{ kind: 'water-change' as const, tankId: 'veg', toLiters: 150 }, dosing] },
    ];
    const runs = [job(31, { kind: 'recipe', recipeId: 'feed' }, 'veg', T - 900_000), job(32, { kind: 'recipe', recipeId: 'refresh' }, 'veg', T - 400_000)];
    const doses = [
      { at: T - 899_000, jobId: 31, pumpId: 'nut_a', deliveredMl: 12 },
      { at: T - 599_000, jobId: 31, pumpId: 'nut_b', deliveredMl: 7.54321 },
      // The same dose from a second answer is marked once.
      { at: T - 599_000, jobId: 31, pumpId: 'nut_b', deliveredMl: 7.54321 },
      { at: T - 100_000, jobId: 32, pumpId: 'nut_a', deliveredMl: 12 },
      // A plain job's dose is that job's own mark, not a recipe's.
      { at: T - 50_000, jobId: 99, pumpId: 'nut_a', deliveredMl: 1 },
    ];
    const made = { doses, fills: [] };
    expect(chartMarks('ph1', runs, [], TANKS, stations, SPAN, recipes, made)).toEqual([
      { at: T - 899_000, kind: 'dose', label: 'Recipe Weekly feed: 12 mL of Nutrient A' },
      { at: T - 599_000, kind: 'dose', label: 'Recipe Weekly feed: 7.5 mL of Nutrient B' },
      { at: T - 400_000, kind: 'fill', label: 'Recipe Refresh started; it fills the tank' },
      { at: T - 100_000, kind: 'dose', label: 'Recipe Refresh: 12 mL of Nutrient A' },
    ]);
    expect(markTally(chartMarks('ph1', runs, [], TANKS, stations, SPAN, recipes, made))).toBe('3 doses, 1 fill');
    // Before its doses are recorded (the live state only), a recipe is marked once at its start.
    expect(chartMarks('ph1', runs.slice(0, 1), [], TANKS, stations, SPAN, recipes)).toEqual([{ at: T - 900_000, kind: 'dose', label: 'Recipe Weekly feed' }]);
    // A recipe started before the window still marks the doses it made within it.
    const late = { from: T - 600_000, to: T };
    expect(chartMarks('ph1', runs.slice(0, 1), [], TANKS, stations, late, recipes, made).map((mark) => mark.label)).toEqual(['Recipe Weekly feed: 7.5 mL of Nutrient B']);
    // Another tank's recipe marks nothing on this chart.
    expect(chartMarks('ph2', runs, [], TANKS, stations, SPAN, recipes, made)).toEqual([]);
  });

  it('marks a recipe\'s fill when its water started, in the grower\'s units, not at the recipe\'s start', () => {
    const stations = namesFrom({ channels: [{ id: 'nut_a', kind: 'pump', name: 'Nutrient A' }], tanks: TANKS, recipes: [{ id: 'refresh', name: 'Refresh', steps: [] }] }, 'us');
    const recipes = [{ id: 'refresh', steps: [{ kind: 'water-change' as const, tankId: 'veg', toLiters: 150 }, { kind: 'job' as const, job: { kind: 'dose' as const, pumpId: 'nut_a', ml: 12 } }] }];
    const runs = [job(32, { kind: 'recipe', recipeId: 'refresh' }, 'veg', T - 400_000)];
    // The water change drained for four minutes, then filled; the same fill from a second answer is marked once.
    const fill = { at: T - 160_000, jobId: 32, tankId: 'veg', filledL: 37.854 };
    const made = { doses: [{ at: T - 100_000, jobId: 32, pumpId: 'nut_a', deliveredMl: 12 }], fills: [fill, fill, { at: T - 50_000, jobId: 99, tankId: 'veg', filledL: 5 }] };
    expect(chartMarks('ph1', runs, [], TANKS, stations, SPAN, recipes, made)).toEqual([
      { at: T - 160_000, kind: 'fill', label: 'Recipe Refresh: 10.0 gal into Veg tank' },
      { at: T - 100_000, kind: 'dose', label: 'Recipe Refresh: 12 mL of Nutrient A' },
    ]);
    // A fill still running (or cut off by a crash) has no litres yet; it is marked all the same.
    expect(chartMarks('ph1', runs, [], TANKS, stations, SPAN, recipes, { doses: [], fills: [{ ...fill, filledL: null }] })).toEqual([{ at: T - 160_000, kind: 'fill', label: 'Recipe Refresh: filling Veg tank' }]);
  });

  it('marks the first and the latest of repeated emergency stops', () => {
    expect(chartMarks('ph1', [], stopsOf([estop(T - 500_000, T - 100_000)]), TANKS, names, SPAN).map((mark) => mark.at)).toEqual([T - 500_000, T - 100_000]);
  });

  it('marks every stop the records hold, however many alerts came since, and one the live list also holds once', () => {
    // A stop every ten minutes of a week: far more than the live list's last 100 alerts.
    const week = { from: T - 7 * 24 * 3_600_000, to: T };
    const recorded = Array.from({ length: 7 * 24 * 6 }, (_, n) => ({ at: week.from + n * 600_000 }));
    const live = stopsOf([estop(recorded.at(-1)!.at), estop(T - 1)]);
    const marks = chartMarks('ph1', [], [...live, ...recorded], TANKS, names, week);
    expect(marks).toHaveLength(recorded.length + 1);
    expect(marks[0]).toEqual({ at: week.from, kind: 'estop', label: 'Emergency stop' });
    expect(markTally(marks)).toBe(`${recorded.length + 1} emergency stops`);
  });

  it('finds the mark near the pointer, and counts the marks in words', () => {
    const marks = chartMarks('ph1', jobs, stopsOf([estop(T - 60_000)]), TANKS, names, SPAN);
    expect(nearestMark(marks, T - 59_000, 5_000)?.kind).toBe('estop');
    expect(nearestMark(marks, T - 30_000, 5_000)).toBeNull();
    expect(markTally(marks)).toBe('1 dose, 1 fill, 1 emergency stop');
    expect(markTally([...marks, marks[1]!])).toBe('2 doses, 1 fill, 1 emergency stop');
  });
});

describe('target band', () => {
  const same = (value: number) => value;

  it('is the reading alarm’s warning band, in the chart’s units', () => {
    expect(targetBand({ id: 'ph1', kind: 'ph', name: 'pH' }, DEFAULT_READING_ALARMS, TANKS, same)).toEqual({ low: 5.5, high: 6.5 });
    const fahrenheit = (celsius: number) => (celsius * 9) / 5 + 32;
    expect(targetBand({ id: 'temp1', kind: 'temp', name: 'Water', unit: 'C' }, DEFAULT_READING_ALARMS, TANKS, fahrenheit)).toEqual({ low: 60.8, high: 78.8 });
  });

  it('places a level band in percent by its tank’s capacity, and leaves it off without a tank', () => {
    // Low at 25 % of 200 L; no warning above, so the critical 95 % bounds it.
    expect(targetBand({ id: 'level1', kind: 'level', name: 'Level', unit: 'L' }, DEFAULT_READING_ALARMS, TANKS, same)).toEqual({ low: 50, high: 190 });
    expect(targetBand({ id: 'level9', kind: 'level', name: 'Level', unit: 'L' }, DEFAULT_READING_ALARMS, TANKS, same)).toBeNull();
  });

  it('has none for a flow meter', () => {
    expect(targetBand({ id: 'flow1', kind: 'flow', name: 'Fill line' }, DEFAULT_READING_ALARMS, TANKS, same)).toBeNull();
  });

  it('is what the latest adjustment of the chart’s tank in the span aimed for', () => {
    const ph = { id: 'ph1', kind: 'ph', name: 'pH' } as const;
    const adjustments = [
      job(7, { kind: 'adjust-ph', tankId: 'veg', target: 6.2, band: 0.3 }, 'veg', T - 3_000_000),
      job(8, { kind: 'adjust-ph', tankId: 'veg', target: 5.8, band: 0.2 }, 'veg', T - 600_000),
      // Another tank's, a later one still queued, and an EC adjustment: none is this chart's.
      job(9, { kind: 'adjust-ph', tankId: 'bloom', target: 6.5, band: 0.1 }, 'bloom', T - 60_000),
      job(10, { kind: 'adjust-ph', tankId: 'veg', target: 7, band: 0.1 }, 'veg', null),
      job(11, { kind: 'adjust-ec', tankId: 'veg', target: 1.8, band: 0.1 }, 'veg', T - 30_000),
    ];
    const band = targetBand(ph, DEFAULT_READING_ALARMS, TANKS, same, adjustments, SPAN)!;
    expect(band.low).toBeCloseTo(5.6);
    expect(band.high).toBeCloseTo(6.0);
    expect(band.adjust).toMatchObject({ reading: 'pH', target: 5.8 });
    expect(band.adjust!.band).toBeCloseTo(0.2);
    const ec = targetBand({ id: 'ec1', kind: 'ec', name: 'EC' }, DEFAULT_READING_ALARMS, TANKS, same, adjustments, SPAN)!;
    expect(ec).toMatchObject({ adjust: { reading: 'EC', target: 1.8 } });
  });

  it('is what a recipe’s last adjustment of the tank aimed for, when the recipe ran last', () => {
    const recipes = [
      {
        id: 'feed',
        steps: [
          { kind: 'job' as const, job: { kind: 'adjust-ph' as const, tankId: 'veg', target: 6.2, band: 0.1 } },
          { kind: 'job' as const, job: { kind: 'adjust-ph' as const, tankId: 'veg', target: 6, band: 0.1 } },
          { kind: 'job' as const, job: { kind: 'adjust-ph' as const, tankId: 'bloom', target: 5.5, band: 0.1 } },
        ],
      },
    ];
    const runs = [job(7, { kind: 'adjust-ph', tankId: 'veg', target: 5.8, band: 0.2 }, 'veg', T - 900_000), job(21, { kind: 'recipe', recipeId: 'feed' }, null, T - 600_000)];
    expect(targetBand({ id: 'ph1', kind: 'ph', name: 'pH' }, DEFAULT_READING_ALARMS, TANKS, same, runs, SPAN, recipes)?.adjust).toMatchObject({ target: 6 });
    expect(targetBand({ id: 'ph2', kind: 'ph', name: 'pH' }, DEFAULT_READING_ALARMS, TANKS, same, runs, SPAN, recipes)?.adjust).toMatchObject({ target: 5.5 });
  });

  it('falls back to the reading alarm’s limits when no adjustment ran in the span', () => {
    const before = [job(7, { kind: 'adjust-ph', tankId: 'veg', target: 5.8, band: 0.2 }, 'veg', T - 7_200_000)];
    expect(targetBand({ id: 'ph1', kind: 'ph', name: 'pH' }, DEFAULT_READING_ALARMS, TANKS, same, before, SPAN)).toEqual({ low: 5.5, high: 6.5 });
  });
});
