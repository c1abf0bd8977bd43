import { describe, expect, it } from 'vitest';
import { Allowance } from './allowance';

describe('Allowance', () => {
  it('gives a burst at once, then refills at its rate and never beyond the burst', () => {
    let t = 1_000;
    const allowance = new Allowance(3, 2, () => t);
    expect([allowance.take(), allowance.take(), allowance.take(), allowance.take()]).toEqual([true, true, true, false]);
    expect(allowance.msUntilNext()).toBe(500);
    t += 499;
    expect(allowance.take()).toBe(false);
    expect(allowance.msUntilNext()).toBe(1);
    t += 1;
    expect(allowance.msUntilNext()).toBe(0);
    expect(allowance.take()).toBe(true);
    t += 60_000;
    expect([allowance.take(), allowance.take(), allowance.take(), allowance.take()]).toEqual([true, true, true, false]);
  });

  it('does not mint a refill from a clock that went back', () => {
    let t = 10_000;
    const allowance = new Allowance(1, 1, () => t);
    expect(allowance.take()).toBe(true);
    t -= 5_000;
    expect(allowance.take()).toBe(false);
    t += 1_000;
    expect(allowance.take()).toBe(true);
  });
});
