import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY, historyRetention, readHistory } from './history';

const FILE = '/var/lib/tendril/settings.json';

describe('the sensor history\'s retention in settings.json', () => {
  it('keeps raw readings a week and minutes a year unless told otherwise', () => {
    expect(readHistory(undefined, FILE)).toEqual({ value: DEFAULT_HISTORY });
    expect(readHistory({ rawDays: 2 }, FILE)).toEqual({ value: { rawDays: 2, minuteDays: 365 } });
    expect(historyRetention({ rawDays: 2, minuteDays: 30 })).toEqual({ rawRetentionMs: 2 * 86_400_000, rollupRetentionMs: 30 * 86_400_000 });
    // A tenth of a day is taken as it is: a simulated station keeps its history in proportion.
    expect(historyRetention({ rawDays: 0.007, minuteDays: 0.365 })).toEqual({ rawRetentionMs: 604_800, rollupRetentionMs: 31_536_000 });
  });

  it('says what is wrong and keeps the defaults, for a value out of bounds, minutes shorter than raw, or an unknown key', () => {
    expect(readHistory({ rawDays: 0 }, FILE)).toEqual({
      value: DEFAULT_HISTORY,
      warning: `${FILE}: history.rawDays must be at least 0.00069 (one minute); keeping raw readings 7 days and minutes 365 days until it is fixed`,
    });
    expect(readHistory({ minuteDays: 5000 }, FILE).warning).toContain('history.minuteDays must be at most 3650 (ten years)');
    expect(readHistory({ rawDays: 30, minuteDays: 10 }, FILE).warning).toContain('history.minuteDays must be at least rawDays: the minutes are what is left of the raw readings once they go');
    expect(readHistory({ rawDays: 400 }, FILE).warning).toContain('minuteDays must be at least rawDays');
    expect(readHistory({ rawDays: '7' }, FILE).warning).toContain('history.rawDays must be a number of days');
    expect(readHistory({ days: 7 }, FILE).warning).toContain('unknown field "days"');
  });
});
