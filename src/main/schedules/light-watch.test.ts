import { describe, expect, it } from 'vitest';
import { SCHEDULE_SCHEMA, type Schedule } from '../../shared/schedules';
import { describeMismatch, LightWatch, type RelayView } from './light-watch';

const utc = (iso: string) => Date.parse(`${iso}Z`);
const MINUTE = 60_000;

const lights: Schedule = SCHEDULE_SCHEMA.parse({ id: 'lights', name: 'Veg lights', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on: '06:00', off: '18:00' } });

function view(on: boolean | undefined, extra: Partial<RelayView> = {}): RelayView {
  return { known: true, estopLatched: false, relayOn: () => on, heldByJob: () => false, ...extra };
}

describe('light watch', () => {
  it('reports a light off in its window once, after the grace, and again only after it was put right', () => {
    const watch = new LightWatch(2 * MINUTE);
    const noon = utc('2026-05-01T12:00');
    expect(watch.check([lights], view(false), noon)).toEqual([]);
    expect(watch.check([lights], view(false), noon + MINUTE)).toEqual([]);
    const [mismatch] = watch.check([lights], view(false), noon + 2 * MINUTE);
    expect(mismatch).toMatchObject({ relayId: 'lights', shouldBeOn: true, since: noon });
    expect(describeMismatch(mismatch!, 'Lights', noon + 2 * MINUTE)).toBe(
      'Lights has been off during the on-window of light timer "Veg lights" (06:00–18:00 UTC) for 2 min, and Tendril did not switch it; switch it on, or disable the timer if this is on purpose',
    );
    expect(watch.check([lights], view(false), noon + 10 * MINUTE)).toEqual([]);
    expect(watch.check([lights], view(true), noon + 11 * MINUTE)).toEqual([]);
    expect(watch.check([lights], view(false), noon + 12 * MINUTE)).toEqual([]);
    expect(watch.check([lights], view(false), noon + 14 * MINUTE)).toHaveLength(1);
  });

  it('reports a light on outside its window', () => {
    const watch = new LightWatch(2 * MINUTE);
    const night = utc('2026-05-01T22:00');
    watch.check([lights], view(true), night);
    expect(watch.check([lights], view(true), night + 3 * MINUTE)).toEqual([expect.objectContaining({ shouldBeOn: false })]);
  });

  it('says nothing while a stop, a job or an unknown relay state explains the difference, or for a disabled timer', () => {
    const noon = utc('2026-05-01T12:00');
    for (const explained of [view(false, { estopLatched: true }), view(false, { heldByJob: () => true }), view(false, { known: false }), view(undefined)]) {
      const watch = new LightWatch(2 * MINUTE);
      for (let minute = 0; minute <= 10; minute++) expect(watch.check([lights], explained, noon + minute * MINUTE)).toEqual([]);
    }
    const watch = new LightWatch(2 * MINUTE);
    for (let minute = 0; minute <= 10; minute++) expect(watch.check([{ ...lights, enabled: false }], view(false), noon + minute * MINUTE)).toEqual([]);
  });

  it('starts the grace again after a stop is reset', () => {
    const watch = new LightWatch(2 * MINUTE);
    const noon = utc('2026-05-01T12:00');
    watch.check([lights], view(false), noon);
    watch.check([lights], view(false, { estopLatched: true }), noon + MINUTE);
    expect(watch.check([lights], view(false), noon + 2 * MINUTE)).toEqual([]);
    expect(watch.check([lights], view(false), noon + 4 * MINUTE)).toHaveLength(1);
  });
});
