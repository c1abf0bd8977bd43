import { describe, expect, it } from 'vitest';
import { checkDoseVolume, doseQuestion } from './dose-volume';

const nutrientA = { id: 'nut_a', name: 'Nutrient A', maxMl: 250 };

describe('checkDoseVolume', () => {
  it('accepts a volume within the pump bound', () => {
    expect(checkDoseVolume('5', nutrientA)).toEqual({ ok: true, ml: 5 });
    expect(checkDoseVolume('2,5', nutrientA)).toEqual({ ok: true, ml: 2.5 });
    expect(checkDoseVolume('250', nutrientA)).toEqual({ ok: true, ml: 250 });
  });

  it('asks for a volume while the field is empty', () => {
    expect(checkDoseVolume('', nutrientA)).toEqual({ ok: false, problem: 'Enter how many mL to dose.' });
  });

  it("uses the job schema's words for what it refuses", () => {
    expect(checkDoseVolume('0', nutrientA)).toEqual({ ok: false, problem: 'ml must be more than 0' });
    expect(checkDoseVolume('-3', nutrientA)).toEqual({ ok: false, problem: 'ml must be more than 0' });
    expect(checkDoseVolume('lots', nutrientA)).toEqual({ ok: false, problem: 'ml must be a number of millilitres' });
    expect(checkDoseVolume('20000', { id: 'nut_a', name: 'Nutrient A' })).toEqual({ ok: false, problem: 'ml must be at most 10000' });
  });

  it("refuses more than the pump's own bound", () => {
    expect(checkDoseVolume('251', nutrientA)).toEqual({ ok: false, problem: 'Nutrient A doses at most 250 mL at a time, not 251 mL; dose less' });
  });
});

describe('doseQuestion', () => {
  it('reads back the volume and the pump', () => {
    expect(doseQuestion(5, 'Nutrient A')).toBe('Dose 5 mL with Nutrient A?');
    expect(doseQuestion(2.25, 'pH down')).toBe('Dose 2.25 mL with pH down?');
  });
});
