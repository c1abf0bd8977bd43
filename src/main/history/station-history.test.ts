/**
 * Recording and expiring sensor history as the station runs, against a real station database
 * file and a fake clock.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationChange } from '../../shared/events';
import { openStationDatabase, type SensorHistory } from '../db';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { TEST_START } from '../../test-support/main/fake-time';
import { RETENTION_EVERY_MS, StationHistory } from './station-history';

const scratch = useScratchFolders();
const MINUTE = 60_000;

/** The station's changes as a test sends them. */
function changeFeed() {
  const listeners = new Set<(change: StationChange) => void>();
  return {
    changes(listener: (change: StationChange) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    send(change: StationChange) {
      for (const listener of listeners) listener(change);
    },
    get listening() {
      return listeners.size;
    },
  };
}

const reading = (sensorId: string, value: number, at: number): StationChange => ({ type: 'ecph_reading', sensorId, value, at });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(TEST_START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('station history with a database', () => {
  function open() {
    const db = openStationDatabase(join(scratch(), 'station.db'), {
      now: () => Date.now(),
      sensorHistory: { flushIntervalMs: 0, rawRetentionMs: 60 * MINUTE },
    });
    return db;
  }

  it('records readings and flow rates while started, and nothing once stopped', () => {
    const db = open();
    const feed = changeFeed();
    const history = new StationHistory({ store: db.sensorHistory, changes: (listener) => feed.changes(listener) });
    feed.send(reading('ph1', 5.8, TEST_START - 1000));
    history.start();
    feed.send(reading('ph1', 5.9, TEST_START));
    feed.send({ type: 'flow_update', meterId: 'flow1', rate: 1.5, pulses: 10 } as StationChange);
    feed.send({ type: 'alerts_ack', ids: [1], by: 'grower', at: TEST_START });
    history.stop();
    expect(feed.listening).toBe(0);
    feed.send(reading('ph1', 6.0, TEST_START + 2000));
    expect(history.channels()).toEqual(['flow1', 'ph1']);
    expect(history.query('ph1', 0, TEST_START + 10_000)?.points).toEqual([[TEST_START, 5.9]]);
    db.close();
  });

  it('summarises and expires old raw samples when started and every hour after, until stopped', () => {
    const db = open();
    const lines: string[] = [];
    const feed = changeFeed();
    const history = new StationHistory({ store: db.sensorHistory, changes: (listener) => feed.changes(listener), log: (line) => lines.push(line) });
    // The two minutes before the start: past the hour of raw retention at the first hourly run.
    for (let i = -120; i < 0; i++) db.sensorHistory.record('ec1', TEST_START + i * 1000, 1.2);
    history.start();
    expect(lines).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(RETENTION_EVERY_MS);
    expect(lines).toEqual(['history: summarised 2 minutes, removed 120 raw samples']);
    history.stop();
    expect(vi.getTimerCount()).toBe(0);
    db.close();
  });

  it('at a time scale, runs retention every hour of station time', () => {
    const scaled = open();
    const real = open();
    const lines: Record<string, string[]> = { scaled: [], real: [] };
    const histories = [
      new StationHistory({ store: scaled.sensorHistory, changes: (listener) => changeFeed().changes(listener), log: (line) => lines['scaled']!.push(line), timeScale: 1000 }),
      new StationHistory({ store: real.sensorHistory, changes: (listener) => changeFeed().changes(listener), log: (line) => lines['real']!.push(line) }),
    ];
    // Two minutes of samples, just inside the hour of raw retention at the start.
    for (const db of [scaled, real]) for (let i = 0; i < 120; i++) db.sensorHistory.record('ec1', TEST_START - 59 * MINUTE + i * 1000, 1.2);
    for (const history of histories) history.start();
    expect(lines).toEqual({ scaled: [], real: [] });
    // Three real minutes: the samples are past the hour. At 1000 times, retention ran every 3.6 s
    // and summarised them as each minute passed; at real time it waits for its hour.
    vi.advanceTimersByTime(3 * MINUTE);
    expect(lines['scaled']!.join(' | ')).toMatch(/summarised 1 minutes, removed 60 raw samples \| .*summarised 1 minutes, removed 60 raw samples/);
    expect(lines['real']).toEqual([]);
    for (const history of histories) history.stop();
    scaled.close();
    real.close();
  });

  it('keeps running when retention fails, and says it will try again', () => {
    const lines: string[] = [];
    // A disk that refuses writes is hard to arrange for real; what matters here is what follows.
    const store = {
      runRetention() {
        throw new Error('disk I/O error');
      },
    } as unknown as SensorHistory;
    const history = new StationHistory({ store, changes: () => () => {}, log: (line) => lines.push(line) });
    history.start();
    expect(lines).toEqual(['history: retention failed (disk I/O error); it will try again in an hour']);
    history.stop();
  });
});

describe('station history without a database', () => {
  it('keeps the readings seen while started in memory', () => {
    const feed = changeFeed();
    const history = new StationHistory({ changes: (listener) => feed.changes(listener) });
    history.start();
    feed.send(reading('ec1', 1.4, TEST_START));
    expect(vi.getTimerCount()).toBe(0);
    history.stop();
    feed.send(reading('ec1', 1.5, TEST_START + 5000));
    expect(history.query('ec1', 0, TEST_START + 10_000)).toEqual({ channel: 'ec1', from: 0, to: TEST_START + 10_000, points: [[TEST_START, 1.4]], downsampled: false });
    expect(history.query('ph1', 0, 1)).toBeNull();
  });
});
