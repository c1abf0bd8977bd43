import { describe, expect, it } from 'vitest';
import { ReadingHistory, parseHistoryQuery } from './history';

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

describe('parseHistoryQuery', () => {
  const now = T0;
  const parse = (query: string) => parseHistoryQuery(new URLSearchParams(query), now);

  it('defaults to the hour before now and 2000 points', () => {
    expect(parse('channel=ec1')).toEqual({ ok: true, channel: 'ec1', from: now - 3_600_000, to: now, maxPoints: 2000 });
    expect(parse('channel=ec1&from=&to=&maxPoints=')).toEqual(parse('channel=ec1'));
  });

  it('accepts epoch milliseconds and ISO dates', () => {
    expect(parse(`channel=ph1&from=${T0 - 60_000}&to=${T0}&maxPoints=500`)).toEqual({
      ok: true,
      channel: 'ph1',
      from: T0 - 60_000,
      to: T0,
      maxPoints: 500,
    });
    expect(parse('channel=ph1&from=2026-05-01T10:00:00Z&to=2026-05-01T12:30:00%2B02:00')).toMatchObject({
      ok: true,
      from: Date.UTC(2026, 4, 1, 10),
      to: Date.UTC(2026, 4, 1, 10, 30),
    });
    expect(parse('channel=ph1&from=2026-05-01&to=2026-05-02')).toMatchObject({
      ok: true,
      from: Date.UTC(2026, 4, 1),
      to: Date.UTC(2026, 4, 2),
    });
  });

  it('measures the default from back from a given to', () => {
    expect(parse('channel=flow1&to=2026-05-01T09:00:00.000Z')).toMatchObject({
      ok: true,
      from: Date.UTC(2026, 4, 1, 8),
      to: Date.UTC(2026, 4, 1, 9),
    });
  });

  it('asks for a channel when none is sent', () => {
    for (const query of ['', 'channel=', 'channel=%20']) {
      const answer = parse(query);
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.message).toMatch(/^channel is required: send .*channel=ec1/);
    }
  });

  it('explains what a time must look like', () => {
    expect(parse('channel=ec1&from=yesterday')).toEqual({
      ok: false,
      message: 'from must be epoch milliseconds or an ISO date such as 2026-05-01T12:00:00Z, not "yesterday"',
    });
    expect(parse('channel=ec1&to=May%201%202026')).toMatchObject({ ok: false, message: expect.stringMatching(/^to must be epoch milliseconds or an ISO date/) });
    expect(parse('channel=ec1&from=-5')).toMatchObject({ ok: false, message: expect.stringMatching(/^from must be/) });
    expect(parse('channel=ec1&from=2026-02-30')).toMatchObject({ ok: false, message: expect.stringMatching(/^from is not a real date/) });
    expect(parse('channel=ec1&to=2026-05-01T25:00:00Z')).toMatchObject({ ok: false, message: expect.stringMatching(/^to is not a real date/) });
    expect(parse('channel=ec1&to=99999999999999999')).toMatchObject({ ok: false, message: expect.stringMatching(/^to is too far in the future/) });
    expect(parse('channel=ec1&from=2026-05-01T12:00:00')).toEqual({
      ok: false,
      message: 'from needs a time zone: add Z for UTC or an offset, such as 2026-05-01T12:00:00Z or 2026-05-01T12:00:00+02:00',
    });
  });

  it('refuses a from after the to', () => {
    expect(parse(`channel=ec1&from=${T0 + 1}&to=${T0}`)).toEqual({
      ok: false,
      message: 'from (2026-05-01T12:00:00.001Z) is after to (2026-05-01T12:00:00.000Z): send a from at or before to, or leave from out for the hour before to',
    });
    expect(parse(`channel=ec1&from=${T0}&to=${T0}`)).toMatchObject({ ok: true, from: T0, to: T0 });
  });

  it('keeps maxPoints between 1 and 10000', () => {
    expect(parse('channel=ec1&maxPoints=1')).toMatchObject({ ok: true, maxPoints: 1 });
    expect(parse('channel=ec1&maxPoints=10000')).toMatchObject({ ok: true, maxPoints: 10000 });
    for (const bad of ['0', '10001', '2.5', '-1', 'lots']) {
      expect(parse(`channel=ec1&maxPoints=${bad}`)).toEqual({
        ok: false,
        message: `maxPoints must be a whole number from 1 to 10000, not "${bad}"; leave it out for 2000`,
      });
    }
  });
});
