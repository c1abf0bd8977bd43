import { describe, expect, it } from 'vitest';
import { describeCount } from './viewer-list';

describe('the screens on the LAN, counted', () => {
  it('says how many screens there are, and how many of them may operate', () => {
    expect(describeCount({ operator: 0, viewer: 0 })).toBe('No screens are connected.');
    expect(describeCount({ operator: 1, viewer: 0 })).toBe('1 screen: 1 operator, 0 watching');
    expect(describeCount({ operator: 2, viewer: 4998 })).toBe('5000 screens: 2 operators, 4998 watching');
  });
});
