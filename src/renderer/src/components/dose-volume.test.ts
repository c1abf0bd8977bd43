import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits';
import { checkDoseVolume, doseCapHint, doseQuestion } from './dose-volume';

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

  it("refuses what the job schema refuses, saying what to enter without the schema's field names", () => {
    expect(checkDoseVolume('0', nutrientA)).toEqual({ ok: false, problem: 'Enter more than 0 mL.' });
    expect(checkDoseVolume('-3', nutrientA)).toEqual({ ok: false, problem: 'Enter more than 0 mL.' });
    expect(checkDoseVolume('lots', nutrientA)).toEqual({ ok: false, problem: 'Enter a number of millilitres.' });
    expect(checkDoseVolume('20000', { id: 'nut_a', name: 'Nutrient A' })).toEqual({ ok: false, problem: 'Enter at most 10000 mL.' });
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

  it('holds a dose to Tendril’s cap when it is below the pump’s own bound, and says where to raise it', () => {
    expect(checkDoseVolume('60', nutrientA, DEFAULT_LIMITS)).toEqual({
      ok: false,
      problem: "Tendril's cap for Nutrient A is 50 mL a dose, not 60 mL; dose less, or raise the cap in Settings → Safety",
    });
    expect(checkDoseVolume('50', nutrientA, DEFAULT_LIMITS)).toEqual({ ok: true, ml: 50 });
    expect(doseCapHint(nutrientA, DEFAULT_LIMITS)).toBe("at most 50 mL a dose (Tendril's cap)");
    expect(doseCapHint(nutrientA, { ...DEFAULT_LIMITS, pump: { maxMlPerDose: 400, maxMlPerDay: 1000 } })).toBe("at most 250 mL a dose (the pump's own bound)");
  });
});
