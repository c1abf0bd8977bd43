import { describe, expect, it } from 'vitest';
import { parseHistoryQuery } from './history';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);

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
