import { describe, expect, it } from 'vitest';
import { deliveredWords, jobDetail } from './delivered-words';
import { namesFrom } from './job-words';

const station = {
  channels: [
    { id: 'nut_a', kind: 'pump' as const, name: 'Nutrient A' },
    { id: 'ph_down', kind: 'pump' as const, name: 'pH down' },
  ],
  tanks: [],
  recipes: [],
};
const metric = namesFrom(station, 'metric');
const us = namesFrom(station, 'us');

describe('what a stopped job delivered, in the screen’s units', () => {
  it('names pumps, keeps doses in mL and says water in gallons on a US screen, never fl oz', () => {
    const delivered = { dosedMl: { nut_a: 12.34, ph_down: 150.4 }, filledL: 37.85411784, drainedL: 0.5 };
    expect(deliveredWords(delivered, us)).toBe('Before it stopped: 12.3 mL of Nutrient A, 150 mL of pH down, 10.0 gal filled, 0.13 gal drained');
    expect(deliveredWords(delivered, metric)).toBe('Before it stopped: 12.3 mL of Nutrient A, 150 mL of pH down, 37.9 L filled, 500 mL drained');
  });

  it('says so when nothing went in or out', () => {
    expect(deliveredWords({ dosedMl: { nut_a: 0 }, filledL: 0, drainedL: 0 }, us)).toBe('Nothing was dosed, filled or drained before it stopped');
  });

  it('replaces the station’s litres in a job’s detail and keeps why it stopped', () => {
    const job = { detail: 'cancelled by desktop. Before it stopped: 3 mL of Nutrient A, 2 L filled', delivered: { dosedMl: { nut_a: 3 }, filledL: 2, drainedL: 0 } };
    expect(jobDetail(job, us)).toBe('cancelled by desktop. Before it stopped: 3 mL of Nutrient A, 0.53 gal filled');
    const nothing = { detail: 'cancelled by desktop. Nothing was dosed, filled or drained before it stopped', delivered: { dosedMl: {}, filledL: 0, drainedL: 0 } };
    expect(jobDetail(nothing, us)).toBe(nothing.detail);
  });

  it('leaves a detail whole when it has no delivery in it', () => {
    expect(jobDetail({ detail: 'Feed: all 3 steps done' }, us)).toBe('Feed: all 3 steps done');
    expect(jobDetail({ detail: 'failed: the tank is full', delivered: { dosedMl: {}, filledL: 1, drainedL: 0 } }, us)).toBe('failed: the tank is full');
  });
});
