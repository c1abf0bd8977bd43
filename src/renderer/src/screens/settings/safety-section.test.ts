import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../shared/limits';
import { limitRows } from './safety-section';

describe('the safety limits, in words', () => {
  it('reads the defaults back as the caps a refusal quotes', () => {
    const rows = Object.fromEntries(limitRows(DEFAULT_LIMITS, (id) => id).map((row) => [row.name, row.value]));
    expect(rows).toMatchObject({
      'Each pump, per dose': 'at most 50 mL',
      'Each pump, per 24 hours': 'at most 500 mL',
      'A fill': 'stops after 20 min, or 15 s without flow',
      'pH and EC adjustments': 'at most 10 mL a step and 60 mL in all',
      'Between doses': '60 s to mix; 30 s between nutrient A and B',
      Circulation: 'must be running for an adjustment to dose',
    });
  });

  it('names the pumps with their own caps', () => {
    const limits = { ...DEFAULT_LIMITS, pumps: { ph_down: { maxMlPerDose: 5 }, nut_a: {} } };
    const rows = limitRows(limits, (id) => (id === 'ph_down' ? 'pH down' : id));
    expect(rows).toContainEqual({ name: 'pH down', value: 'at most 5 mL a dose' });
    expect(rows.some((row) => row.name === 'nut_a')).toBe(false);
  });
});
