import { describe, expect, it } from 'vitest';
import { bandNote } from './reading-band';

const ph = { id: 'ph1', kind: 'ph' as const, name: 'pH', unit: 'pH' };
const temp = { id: 'temp1', kind: 'temp' as const, name: 'Water temperature', unit: 'C' };
const level = { id: 'level1', kind: 'level' as const, name: 'Tank level', unit: 'L' };

describe('a reading tile out of its band', () => {
  it('says which way and past which limit, in words', () => {
    expect(bandNote(ph, { zone: 'critical_high', limit: 7, since: 0 }, 'metric')).toEqual({ severity: 'critical', text: 'high (critical above 7.0)' });
    expect(bandNote(ph, { zone: 'critical_low', limit: 5, since: 0 }, 'metric')).toEqual({ severity: 'critical', text: 'low (critical below 5.0)' });
    expect(bandNote(ph, { zone: 'warning_high', limit: 6.55, since: 0 }, 'metric')).toEqual({ severity: 'warning', text: 'high (warning above 6.55)' });
    expect(bandNote(level, { zone: 'warning_low', limit: 25, since: 0 }, 'metric')).toEqual({ severity: 'warning', text: 'low (warning below 25.0 L)' });
  });

  it('gives the limit in the screen’s units', () => {
    expect(bandNote(temp, { zone: 'critical_high', limit: 30, since: 0 }, 'us')?.text).toBe('high (critical above 86.0 °F)');
  });

  it('says nothing in band, or before the station has placed the reading', () => {
    expect(bandNote(ph, { zone: 'in_band', limit: null, since: 0 }, 'metric')).toBeNull();
    expect(bandNote(ph, undefined, 'metric')).toBeNull();
  });
});
