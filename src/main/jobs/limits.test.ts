/** The device's time bound for a dose, the one figure every sender of a dose uses. */
import { describe, expect, it } from 'vitest';
import { doseBoundMs } from './limits';

describe('doseBoundMs', () => {
  it('is the calibrated run time with a fifth more and a second to get going', () => {
    // 12 mL at 1.2 mL/s runs 10 s.
    expect(doseBoundMs(12, 1.2)).toBeCloseTo(13_000);
    expect(doseBoundMs(1, 1)).toBeCloseTo(2_200);
  });

  it('grows with the volume and shrinks with a faster pump', () => {
    expect(doseBoundMs(20, 1)).toBeGreaterThan(doseBoundMs(10, 1));
    expect(doseBoundMs(10, 2)).toBeLessThan(doseBoundMs(10, 1));
  });
});
