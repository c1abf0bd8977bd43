import { describe, expect, it } from 'vitest';
import { addToTrend, EMPTY_TREND } from './trend';

describe('addToTrend', () => {
  it('keeps readings oldest first', () => {
    const trend = addToTrend(addToTrend(EMPTY_TREND, { value: 1, at: 10 }), { value: 2, at: 20 });
    expect(trend.values).toEqual([1, 2]);
    expect(trend.lastAt).toBe(20);
  });

  it('counts the same reading once, however often the screen redraws', () => {
    const once = addToTrend(EMPTY_TREND, { value: 1, at: 10 });
    expect(addToTrend(once, { value: 1, at: 10 })).toBe(once);
    expect(addToTrend(once, { value: 5, at: 5 })).toBe(once);
  });

  it('drops the oldest once full', () => {
    let trend = EMPTY_TREND;
    for (let at = 1; at <= 5; at++) trend = addToTrend(trend, { value: at * 10, at }, 3);
    expect(trend.values).toEqual([30, 40, 50]);
  });

  it('ignores values that are not numbers', () => {
    expect(addToTrend(EMPTY_TREND, { value: Number.NaN, at: 1 })).toBe(EMPTY_TREND);
  });
});
