import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoff', () => {
  it('doubles up to the cap, with jitter within half of the delay', () => {
    const policy = { baseMs: 250, capMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(1000);
  });
});
