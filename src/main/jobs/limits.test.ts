/** The device's time bound for a dose, the one figure every sender of a dose uses, and the daily caps' window. */
import { describe, expect, it } from 'vitest';
import { capDayMs, doseBoundMs } from './limits';

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

describe('capDayMs', () => {
  it('is 24 hours on real hardware', () => {
    expect(capDayMs()).toBe(86_400_000);
    expect(capDayMs(1)).toBe(86_400_000);
  });

  it("is a day of the controller's time when the simulator is sped up", () => {
    expect(capDayMs(60)).toBe(1_440_000);
    expect(capDayMs(1000)).toBe(86_400);
  });

  it('falls back to 24 hours for a time scale that makes no sense, never to no window at all', () => {
    for (const scale of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(capDayMs(scale)).toBe(86_400_000);
  });
});
