import { describe, expect, it } from 'vitest';
import { ReadingHistory } from './recent-readings';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);

function everything(history: ReadingHistory, channel: string): Array<[number, number]> {
  return history.query(channel, -Infinity, Infinity, 1_000_000)?.points ?? [];
}

describe('ReadingHistory.record', () => {
  it('keeps one sample per slot, the latest reading in the slot winning', () => {
    const history = new ReadingHistory({ resolutionMs: 1000 });
    history.record('ec1', T0 + 100, 1.1);
    history.record('ec1', T0 + 900, 1.2);
    history.record('ec1', T0 + 1000, 1.3);
    history.record('ec1', T0 + 1999, 1.4);
    expect(everything(history, 'ec1')).toEqual([
      [T0 + 900, 1.2],
      [T0 + 1999, 1.4],
    ]);
  });

  it('drops the oldest samples once the ring is full, and keeps wrapping', () => {
    const history = new ReadingHistory({ resolutionMs: 1, capacity: 3 });
    for (let i = 0; i < 5; i++) history.record('ph1', T0 + i, i);
    expect(everything(history, 'ph1')).toEqual([
      [T0 + 2, 2],
      [T0 + 3, 3],
      [T0 + 4, 4],
    ]);
    history.record('ph1', T0 + 4, 40);
    for (let i = 5; i < 8; i++) history.record('ph1', T0 + i, i);
    expect(everything(history, 'ph1')).toEqual([
      [T0 + 5, 5],
      [T0 + 6, 6],
      [T0 + 7, 7],
    ]);
    expect(history.query('ph1', T0 + 6, T0 + 7)?.points).toEqual([
      [T0 + 6, 6],
      [T0 + 7, 7],
    ]);
  });

  it('ignores readings older than the newest, even within its slot', () => {
    const history = new ReadingHistory({ resolutionMs: 1000 });
    history.record('temp1', T0 + 5000, 21);
    history.record('temp1', T0 + 3000, 99);
    history.record('temp1', T0 + 4999, 99);
    history.record('temp1', T0 + 5500, 22);
    history.record('temp1', T0 + 5200, 99);
    expect(everything(history, 'temp1')).toEqual([[T0 + 5500, 22]]);
  });

  it('ignores readings that are not finite numbers', () => {
    const history = new ReadingHistory();
    history.record('ec1', T0, 1.5);
    history.record('ec1', T0 + 1000, NaN);
    history.record('ec1', T0 + 2000, Infinity);
    history.record('ec1', NaN, 2);
    expect(everything(history, 'ec1')).toEqual([[T0, 1.5]]);
  });

  it('keeps each channel to its own clock', () => {
    const history = new ReadingHistory();
    history.record('ec1', T0 + 10_000, 1.5);
    history.record('ph1', T0, 6.1);
    expect(everything(history, 'ph1')).toEqual([[T0, 6.1]]);
    expect(history.channels()).toEqual(['ec1', 'ph1']);
  });

  it('refuses a resolution or capacity that cannot hold a sample', () => {
    expect(() => new ReadingHistory({ resolutionMs: 0 })).toThrow(/resolutionMs/);
    expect(() => new ReadingHistory({ capacity: 0 })).toThrow(/capacity/);
    expect(() => new ReadingHistory({ capacity: 2.5 })).toThrow(/capacity/);
  });
});

describe('ReadingHistory.recordChange', () => {
  it('records pH and EC readings at their own time and flow rates at the clock time', () => {
    let clock = T0;
    const history = new ReadingHistory({ now: () => clock });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.2, at: T0 - 2000 });
    history.recordChange({ type: 'flow_update', meterId: 'flow1', pulses: 450, rate: 7.9 });
    clock += 1000;
    history.recordChange({ type: 'flow_update', meterId: 'flow1', pulses: 580, rate: 8.1 });
    history.recordChange({ type: 'relay_update', relayId: 'fill', on: true, why: 'cmd' });
    history.recordChange({ type: 'estop_update', latched: false, source: null });

    expect(history.channels()).toEqual(['flow1', 'ph1']);
    expect(everything(history, 'ph1')).toEqual([[T0 - 2000, 6.2]]);
    expect(everything(history, 'flow1')).toEqual([
      [T0, 7.9],
      [T0 + 1000, 8.1],
    ]);
  });
});

describe('ReadingHistory.query', () => {
  const history = new ReadingHistory();
  for (let i = 0; i < 10; i++) history.record('ec1', T0 + i * 1000, i);

  it('includes both ends of the window, oldest first', () => {
    expect(history.query('ec1', T0 + 2000, T0 + 4000)).toEqual({
      channel: 'ec1',
      from: T0 + 2000,
      to: T0 + 4000,
      points: [
        [T0 + 2000, 2],
        [T0 + 3000, 3],
        [T0 + 4000, 4],
      ],
      downsampled: false,
    });
    expect(history.query('ec1', T0 + 1500, T0 + 2500)?.points).toEqual([[T0 + 2000, 2]]);
  });

  it('answers an empty window, or one before or after the samples, with no points', () => {
    expect(history.query('ec1', T0 + 2100, T0 + 2900)?.points).toEqual([]);
    expect(history.query('ec1', T0 - 5000, T0 - 1)?.points).toEqual([]);
    expect(history.query('ec1', T0 + 9001, T0 + 20_000)?.points).toEqual([]);
    expect(history.query('ec1', T0 + 5000, T0 + 4000)?.points).toEqual([]);
  });

  it('returns null for a channel it has never recorded', () => {
    expect(history.query('ph9', T0, T0 + 10_000)).toBeNull();
  });

  it('does not downsample when the points fit exactly', () => {
    const answer = history.query('ec1', T0, T0 + 9000, 10);
    expect(answer?.downsampled).toBe(false);
    expect(answer?.points).toHaveLength(10);
  });

  it('averages time and value within each of maxPoints equal time buckets', () => {
    // Ten samples 0..9 s over a 9 s span: five buckets of 1.8 s hold 2 samples each.
    const answer = history.query('ec1', T0, T0 + 9000, 5);
    expect(answer?.downsampled).toBe(true);
    expect(answer?.points).toEqual([
      [T0 + 500, 0.5],
      [T0 + 2500, 2.5],
      [T0 + 4500, 4.5],
      [T0 + 6500, 6.5],
      [T0 + 8500, 8.5],
    ]);
  });

  it('spreads the buckets over the samples found, not the window asked for, and skips empty ones', () => {
    const gappy = new ReadingHistory();
    const litres: Array<[number, number]> = [
      [0, 1],
      [1, 3],
      [3, 5],
      [9, 10],
      [10, 20],
    ];
    for (const [second, value] of litres) gappy.record('level1', T0 + second * 1000, value);
    // Four buckets of 2.5 s over 0..10 s; the third is empty and the last sample closes the fourth.
    const expected = [
      [T0 + 500, 2],
      [T0 + 3000, 5],
      [T0 + 9500, 15],
    ];
    expect(gappy.query('level1', T0, T0 + 10_000, 4)).toMatchObject({ downsampled: true, points: expected });
    expect(gappy.query('level1', T0 - 60_000, T0 + 60_000, 4)?.points).toEqual(expected);
  });

  it('downsamples across the seam of a wrapped ring', () => {
    const ring = new ReadingHistory({ capacity: 4 });
    for (let i = 0; i < 6; i++) ring.record('ph1', T0 + i * 1000, i);
    expect(ring.query('ph1', T0, T0 + 10_000, 2)?.points).toEqual([
      [T0 + 2500, 2.5],
      [T0 + 4500, 4.5],
    ]);
  });
});

describe('ReadingHistory: a calibrated probe’s raw values', () => {
  it('keeps the raw value beside each sample, null before calibration, and leaves it out for channels never calibrated', () => {
    const history = new ReadingHistory({ capacity: 4 });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 5.9, at: T0 });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.2, at: T0 + 1000, raw: 6.0 });
    // The same second again, after a reset to uncalibrated: its raw value goes with it.
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.3, at: T0 + 2000, raw: 6.1 });
    history.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: T0 + 2500 });
    history.record('ec1', T0, 1.4);
    expect(history.query('ph1', T0, T0 + 3000)).toMatchObject({ points: [[T0, 5.9], [T0 + 1000, 6.2], [T0 + 2500, 6.1]], raw: [null, 6.0, null] });
    expect(history.query('ph1', T0 + 2000, T0 + 3000)).not.toHaveProperty('raw');
    expect(history.query('ec1', T0, T0 + 3000)).not.toHaveProperty('raw');
    // Wrapped: the raw values move round the ring with their samples.
    for (let s = 3; s < 6; s++) history.record('ph1', T0 + s * 1000, s, 100 + s);
    expect(history.query('ph1', T0, T0 + 10_000)).toMatchObject({ points: [[T0 + 2500, 6.1], [T0 + 3000, 3], [T0 + 4000, 4], [T0 + 5000, 5]], raw: [null, 103, 104, 105] });
  });

  it('averages a bucket’s raw values over the samples that have one', () => {
    const history = new ReadingHistory();
    for (let s = 0; s < 8; s++) history.record('ph1', T0 + s * 1000, s, s >= 3 ? 100 + s : null);
    expect(history.query('ph1', T0, T0 + 10_000, 2)).toMatchObject({
      points: [
        [T0 + 1500, 1.5],
        [T0 + 5500, 5.5],
      ],
      raw: [103, 105.5],
    });
  });
});
