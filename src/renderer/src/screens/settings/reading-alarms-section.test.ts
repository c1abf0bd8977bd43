import { describe, expect, it } from 'vitest';
import { DEFAULT_READING_ALARMS } from '../../../../shared/reading-alarms';
import { adviceFor } from '../alerts/advice';
import { limitLabel, limitsFromDraft, limitsSummary } from './reading-alarms-section';

const draft = { criticalLow: '5', warningLow: '5.5', warningHigh: '6.5', criticalHigh: '7', hysteresis: '0.05', holdSeconds: '30', percentOfCapacity: false };

describe('the reading alarm form', () => {
  it('turns what was typed into limits, an empty field meaning not watched', () => {
    expect(limitsFromDraft(draft)).toEqual({ limits: { criticalLow: 5, warningLow: 5.5, warningHigh: 6.5, criticalHigh: 7, hysteresis: 0.05, holdSeconds: 30 } });
    expect(limitsFromDraft({ ...draft, warningHigh: '', criticalHigh: '6,8' })).toEqual({ limits: { criticalLow: 5, warningLow: 5.5, criticalHigh: 6.8, hysteresis: 0.05, holdSeconds: 30 } });
  });

  it('says what is wrong, and which field, before anything is sent', () => {
    expect(limitsFromDraft({ ...draft, warningLow: 'five' })).toEqual({ problem: 'enter a number, or leave it empty to not watch this limit', field: 'warningLow' });
    expect(limitsFromDraft({ ...draft, warningLow: '6.6' })).toEqual({ problem: 'warningLow (6.6) must be below warningHigh (6.5)' });
    expect(limitsFromDraft({ ...draft, criticalHigh: '6' })).toEqual({ problem: 'warningHigh (6.5) must be below criticalHigh (6)' });
    expect(limitsFromDraft({ ...draft, hysteresis: '-0.1' })).toEqual({ problem: 'hysteresis must be 0 or more' });
    expect(limitsFromDraft({ ...draft, holdSeconds: '' })).toMatchObject({ field: 'holdSeconds' });
    expect(limitsFromDraft({ ...draft, holdSeconds: '4000' })).toEqual({ problem: 'holdSeconds must be between 0 and 3600' });
  });

  it('sums the limits up in a line', () => {
    expect(limitsSummary(DEFAULT_READING_ALARMS.kinds.ph, 'pH')).toBe('warning below 5.5 or above 6.5; critical below 5 or above 7; clears 0.05 inside, after 30 s');
    expect(limitsSummary(DEFAULT_READING_ALARMS.kinds.level, 'L')).toBe('warning below 25%; critical below 10% or above 95%; clears 2% inside, after 10 s');
  });

  it('has advice for the reading alarm codes', () => {
    for (const code of ['READING_LOW', 'READING_HIGH', 'READING_BACK']) expect(adviceFor(code)).toBeDefined();
  });
});

describe('alarm limit fields', () => {
  it('are labelled in the sensor’s own unit, and pH with none', () => {
    expect(limitLabel('Low', 'pH')).toBe('Low');
    expect(limitLabel('Hysteresis', 'pH')).toBe('Hysteresis');
    expect(limitLabel('Low', 'mS/cm')).toBe('Low (mS/cm)');
    expect(limitLabel('High', '%')).toBe('High (%)');
  });
});
