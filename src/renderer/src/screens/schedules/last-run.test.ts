import { describe, expect, it } from 'vitest';
import { lastRunOf } from './last-run';

describe('a schedule’s last run', () => {
  it('is not shown for a schedule that never ran', () => {
    expect(lastRunOf({ lastRunAt: null })).toBeNull();
  });

  it('is a time for a run that went ahead', () => {
    expect(lastRunOf({ lastRunAt: 1_700_000_000_000 })).toEqual({ at: 1_700_000_000_000, skipped: null });
  });

  it('is marked skipped, with the station’s reason, for a run the station refused', () => {
    expect(lastRunOf({ lastRunAt: 1_700_000_000_000, lastRunSkipped: 'the emergency stop is latched; reset it before starting jobs' })).toEqual({
      at: 1_700_000_000_000,
      skipped: 'skipped: the emergency stop is latched; reset it before starting jobs',
    });
  });
});
