import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../shared/events';
import { unacknowledgedCount } from '../../shared/alerts';
import { initialStationState, MAX_ALERTS, type StationState } from '../../shared/station';
import { openStationDatabase, type StationDatabase } from '../db';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { AlertBook } from './alert-book';

const scratch = useScratchFolders();

/** A book over a plain state, with a clock the test moves and, if given, a real database. */
function book(db?: StationDatabase) {
  let state: StationState = initialStationState(true, 'simulated', 0);
  let now = 1_000;
  let id = 0;
  const alerts = new AlertBook({
    alerts: () => state.alerts,
    apply: (change) => void (state = applyChange(state, change)),
    nextId: () => ++id,
    now: () => now,
    keeper: db?.alerts,
  });
  return {
    alerts,
    state: () => state,
    at: (ms: number) => void (now = ms),
  };
}

describe('the alert book', () => {
  it('folds a repeat of the same trouble into one entry with a count and the last time, while nobody has acknowledged it', () => {
    const b = book();
    b.alerts.raise({ level: 'warning', code: 'READING_HIGH', message: 'pH 6.6 above 6.5', subject: 'ph1' });
    b.at(5_000);
    b.alerts.raise({ level: 'warning', code: 'READING_HIGH', message: 'pH 6.7 above 6.5', subject: 'ph1' });
    b.alerts.raise({ level: 'warning', code: 'READING_HIGH', message: 'EC 2.6 above 2.5', subject: 'ec1' });
    const listed = b.state().alerts;
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ code: 'READING_HIGH', subject: 'ph1', message: 'pH 6.7 above 6.5', count: 2, at: 1_000, lastAt: 5_000 });
    expect(listed[1]).toMatchObject({ subject: 'ec1' });
  });

  it('starts a new entry once the last one was acknowledged', () => {
    const b = book();
    const first = b.alerts.raise({ level: 'error', code: 'LINK_LOST', message: 'no answer', subject: 'link' });
    expect(b.alerts.acknowledge([first.id], 'Kitchen tablet')).toEqual([first.id]);
    b.alerts.raise({ level: 'error', code: 'LINK_LOST', message: 'no answer', subject: 'link' });
    expect(b.state().alerts.map((alert) => [alert.id, alert.ack?.by ?? null])).toEqual([
      [first.id, 'Kitchen tablet'],
      [2, null],
    ]);
  });

  it('acknowledges one or all, saying who and when; notes never wait for anyone, and the first acknowledgement stays', () => {
    const b = book();
    const stop = b.alerts.raise({ level: 'error', code: 'ESTOP_LATCHED', message: 'latched by the desktop' });
    const low = b.alerts.raise({ level: 'warning', code: 'READING_LOW', message: 'EC low', subject: 'ec1' });
    b.alerts.raise({ level: 'info', code: 'LINK_BACK', message: 'answers again' });
    expect(unacknowledgedCount(b.state().alerts)).toBe(2);
    b.at(2_000);
    expect(b.alerts.acknowledge([low.id, 99], 'Greenhouse phone')).toEqual([low.id]);
    b.at(3_000);
    expect(b.alerts.acknowledge('all', 'the desktop')).toEqual([stop.id]);
    expect(b.alerts.acknowledge('all', 'someone else')).toEqual([]);
    expect(b.state().alerts.map((alert) => alert.ack ?? null)).toEqual([{ by: 'the desktop', at: 3_000 }, { by: 'Greenhouse phone', at: 2_000 }, null]);
    expect(unacknowledgedCount(b.state().alerts)).toBe(0);
  });

  it('never lets a flood of notes push an unacknowledged critical alert off the screens', () => {
    const b = book();
    b.alerts.raise({ level: 'error', code: 'ESTOP_LATCHED', message: 'latched' });
    for (let i = 0; i < MAX_ALERTS * 2; i++) b.alerts.raise({ level: 'info', code: 'SCHEDULE_RAN', message: `run ${i}` });
    expect(b.state().alerts).toHaveLength(MAX_ALERTS);
    expect(b.state().alerts[0]).toMatchObject({ code: 'ESTOP_LATCHED' });
    expect(b.state().alerts.at(-1)).toMatchObject({ message: `run ${MAX_ALERTS * 2 - 1}` });
  });

  it('keeps folds and acknowledgements in the database, and brings back after a restart what still waits for a person', () => {
    const file = join(scratch(), 'station.db');
    let db = openStationDatabase(file);
    const before = book(db);
    before.alerts.raise({ level: 'error', code: 'LINK_LOST', message: 'no answer for 5 s', subject: 'link' });
    before.at(9_000);
    before.alerts.raise({ level: 'error', code: 'LINK_LOST', message: 'no answer for 5 s again', subject: 'link' });
    const seen = before.alerts.raise({ level: 'warning', code: 'READING_LOW', message: 'EC low', subject: 'ec1' });
    before.alerts.raise({ level: 'info', code: 'LINK_BACK', message: 'answers again' });
    before.alerts.acknowledge([seen.id], 'the desktop');
    db.close();

    db = openStationDatabase(file);
    const after = book(db);
    expect(after.alerts.restore()).toBe(1);
    expect(after.state().alerts).toEqual([
      { id: 1, level: 'error', code: 'LINK_LOST', message: 'no answer for 5 s again', at: 1_000, lastAt: 9_000, count: 2, source: 'host', subject: 'link' },
    ]);
    // Acknowledged after the restart: the stored row says so too.
    after.alerts.acknowledge('all', 'Kitchen tablet');
    expect(db.alerts.unacknowledged(10)).toEqual([]);
    expect(db.alerts.recent(1)[0]).toMatchObject({ code: 'LINK_BACK' });
    expect(db.alerts.recent(4).find((alert) => alert.code === 'LINK_LOST')?.ack).toEqual({ by: 'Kitchen tablet', at: 1_000 });
    db.close();
  });
});
