import { describe, expect, it } from 'vitest';
import { sparklinePath, verticalRange } from './sparkline';

const box = { width: 100, height: 20, pad: 2 };

describe('sparklinePath', () => {
  it('draws nothing without values', () => {
    expect(sparklinePath([], box)).toBe('');
  });

  it('draws one value as a level line across the box', () => {
    expect(sparklinePath([5], box)).toBe('M0 10H100');
  });

  it('spreads values evenly from left to right, the highest at the top', () => {
    expect(sparklinePath([0, 10, 5], box)).toBe('M0 18L50 2L100 10');
  });

  it('keeps a flat series in the middle', () => {
    expect(sparklinePath([7, 7, 7], box)).toBe('M0 10L50 10L100 10');
  });

  it('does not blow noise up to the full height', () => {
    // pH wobbling by 0.02 in a box that stands for at least 0.2 pH: a near-flat line.
    const path = sparklinePath([6.0, 6.02, 6.0], box, 0.2);
    expect(path).toBe('M0 10.8L50 9.2L100 10.8');
  });
});

describe('verticalRange', () => {
  it('uses the values when they span enough', () => {
    expect(verticalRange([1, 3, 2], 1)).toEqual({ low: 1, high: 3 });
  });

  it('widens a narrow range about its middle', () => {
    expect(verticalRange([5, 5.5], 2)).toEqual({ low: 4.25, high: 6.25 });
  });
});
