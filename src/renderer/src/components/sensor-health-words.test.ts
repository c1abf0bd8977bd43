import { describe, expect, it } from 'vitest';
import { sensorHealthWords } from './sensor-health-words';

describe('sensorHealthWords', () => {
  it('says which probe is suspect, why, and since when; nothing for a trusted one', () => {
    const since = 1_000_000;
    expect(sensorHealthWords('ph', { status: 'suspect', reason: 'stuck', detail: 'reading has not moved for 20 min', since }, since + 4 * 60_000)).toBe(
      'pH probe suspect: reading has not moved for 20 min (since 4 min ago)',
    );
    expect(sensorHealthWords('level', { status: 'suspect', reason: 'range', detail: 'reading 104 is outside what it can read (0 to 100)', since }, since + 5_000)).toBe(
      'level probe suspect: reading 104 is outside what it can read (0 to 100) (since 5 s ago)',
    );
    expect(sensorHealthWords('ec', { status: 'ok' }, since)).toBeNull();
    expect(sensorHealthWords('ec', undefined, since)).toBeNull();
  });
});
