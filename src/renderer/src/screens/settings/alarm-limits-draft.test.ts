import { describe, expect, it } from 'vitest';
import { DEFAULT_READING_ALARMS, type ReadingLimits } from '../../../../shared/reading-alarms';
import { adviceFor } from '../alerts/advice';
import { limitLabel, limitScale, limitsDraftOf, limitsFromDraft, limitsSummary } from './alarm-limits-draft';

const draft = { criticalLow: '5', warningLow: '5.5', warningHigh: '6.5', criticalHigh: '7', hysteresis: '0.05', holdSeconds: '30', percentOfCapacity: false };
const ph = limitScale('pH', 'metric', false);

describe('the reading alarm form', () => {
  it('turns what was typed into limits, an empty field meaning not watched', () => {
    expect(limitsFromDraft(draft, ph)).toEqual({ limits: { criticalLow: 5, warningLow: 5.5, warningHigh: 6.5, criticalHigh: 7, hysteresis: 0.05, holdSeconds: 30 } });
    expect(limitsFromDraft({ ...draft, warningHigh: '', criticalHigh: '6,8' }, ph)).toEqual({ limits: { criticalLow: 5, warningLow: 5.5, criticalHigh: 6.8, hysteresis: 0.05, holdSeconds: 30 } });
  });

  it('says what is wrong, and which field, in the form’s words before anything is sent', () => {
    expect(limitsFromDraft({ ...draft, warningLow: 'five' }, ph)).toEqual({ problem: 'Enter a number, or leave it empty to not watch this limit.', field: 'warningLow' });
    expect(limitsFromDraft({ ...draft, warningLow: '6.6' }, ph)).toEqual({ problem: 'Warning below (6.6) must be lower than warning above (6.5).' });
    expect(limitsFromDraft({ ...draft, criticalHigh: '6' }, ph)).toEqual({ problem: 'Warning above (6.5) must be lower than critical above (6).' });
    expect(limitsFromDraft({ ...draft, hysteresis: '-0.1' }, ph)).toMatchObject({ field: 'hysteresis' });
    expect(limitsFromDraft({ ...draft, hysteresis: '0.6' }, ph)).toEqual({ problem: 'Enter less than half the gap between the warnings (0.5), or an alarm could never clear.', field: 'hysteresis' });
    expect(limitsFromDraft({ ...draft, holdSeconds: '' }, ph)).toMatchObject({ field: 'holdSeconds' });
    expect(limitsFromDraft({ ...draft, holdSeconds: '4000' }, ph)).toEqual({ problem: 'Enter the seconds a crossing must last, 0 to 3600.', field: 'holdSeconds' });
    const problems = [draft, { ...draft, warningLow: '6.6' }, { ...draft, hysteresis: '0.6' }].map((typed) => limitsFromDraft(typed, ph)).filter((check) => 'problem' in check);
    for (const check of problems) expect(JSON.stringify(check)).not.toMatch(/warningLow|warningHigh|criticalHigh|hysteresis \(|holdSeconds must/);
  });

  it('sums the limits up in a line', () => {
    expect(limitsSummary(DEFAULT_READING_ALARMS.kinds.ph, ph)).toBe('warning below 5.5 or above 6.5; critical below 5 or above 7; clears 0.05 inside, after 30 s');
    expect(limitsSummary(DEFAULT_READING_ALARMS.kinds.level, limitScale('L', 'us', true))).toBe('warning below 25%; critical below 10% or above 95%; clears 2% inside, after 10 s');
  });

  it('has advice for the reading alarm codes', () => {
    for (const code of ['READING_LOW', 'READING_HIGH', 'READING_BACK']) expect(adviceFor(code)).toBeDefined();
  });
});

describe('alarm limits on a screen in US units', () => {
  const temp = DEFAULT_READING_ALARMS.kinds.temp;
  const fahrenheit = limitScale('°C', 'us', false);

  it('shows a water temperature in °F, the hysteresis as a difference in °F', () => {
    expect(fahrenheit.unit).toBe('°F');
    expect(limitsDraftOf(temp, fahrenheit)).toMatchObject({ criticalLow: '53.6', warningLow: '60.8', warningHigh: '78.8', criticalHigh: '86', hysteresis: '0.9' });
    expect(limitsSummary(temp, fahrenheit)).toBe('warning below 60.8 °F or above 78.8 °F; critical below 53.6 °F or above 86 °F; clears 0.9 °F inside, after 60 s');
  });

  it('sends °F back as °C, and a limit left as shown exactly as the station had it', () => {
    const shown = limitsDraftOf(temp, fahrenheit);
    expect(limitsFromDraft(shown, fahrenheit, temp)).toEqual({ limits: temp });
    expect(limitsFromDraft({ ...shown, warningHigh: '80' }, fahrenheit, temp)).toEqual({ limits: { ...temp, warningHigh: 26.6667 } });
    expect(limitsFromDraft({ ...shown, warningHigh: '50' }, fahrenheit, temp)).toEqual({ problem: 'Warning below (60.8 °F) must be lower than warning above (50 °F).' });
  });

  it('shows a level in gallons unless its limits are in percent of the tank', () => {
    const level: ReadingLimits = { criticalLow: 20, warningLow: 40, criticalHigh: 180, hysteresis: 2, holdSeconds: 10 };
    const gallons = limitScale('L', 'us', false);
    expect(limitsDraftOf(level, gallons)).toMatchObject({ criticalLow: '5.28', warningLow: '10.57', criticalHigh: '47.55', hysteresis: '0.53' });
    expect(limitsFromDraft({ ...limitsDraftOf(level, gallons), criticalHigh: '50' }, gallons, level)).toEqual({ limits: { ...level, criticalHigh: 189.2706 } });
    expect(limitScale('L', 'metric', false).unit).toBe('L');
  });
});

describe('alarm limit fields', () => {
  it('are labelled in the form’s unit, and pH with none', () => {
    expect(limitLabel('Low', 'pH')).toBe('Low');
    expect(limitLabel('Hysteresis', 'pH')).toBe('Hysteresis');
    expect(limitLabel('Low', 'mS/cm')).toBe('Low (mS/cm)');
    expect(limitLabel('High', '°F')).toBe('High (°F)');
  });
});
