import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 100].map((failures) => reconnectDelay(failures, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters between half the ceiling and the ceiling', () => {
    expect(reconnectDelay(1, () => 0)).toBe(500);
    expect(reconnectDelay(3, () => 0.5)).toBe(3000);
    expect(reconnectDelay(9, () => 0)).toBe(15000);
  });

  it('treats "no failure yet" like the first', () => {
    expect(reconnectDelay(0, () => 1)).toBe(1000);
  });
});
