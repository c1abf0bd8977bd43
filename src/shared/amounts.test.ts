import { describe, expect, it } from 'vitest';
import { litres, millilitres } from './amounts';

describe('amounts in the station’s words', () => {
  it('rounds litres to a tenth, and small volumes to a hundredth', () => {
    expect(litres(37.85411784)).toBe('37.9 L');
    expect(litres(200)).toBe('200 L');
    expect(litres(0.254)).toBe('0.25 L');
    expect(litres(0)).toBe('0 L');
  });

  it('rounds millilitres to a tenth below 100 mL, whole above', () => {
    expect(millilitres(2.54)).toBe('2.5 mL');
    expect(millilitres(120.4)).toBe('120 mL');
  });
});
