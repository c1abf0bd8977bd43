import { describe, expect, it } from 'vitest';
import { lightShouldBeOn, lightStateAt, lightSwitches, type LightSchedule } from './light-timer';
import { instantOf, wallTimeAt } from './wall-clock';

const utc = (iso: string) => new Date(`${iso}Z`);
const light = (timezone: string, on: string, off: string): LightSchedule => ({ timezone, trigger: { kind: 'light', relayId: 'lights', on, off } });
const switches = (schedule: LightSchedule, from: string, count: number) =>
  lightSwitches(schedule, utc(from), count).map(({ at, on }) => `${at.toISOString().slice(0, 16)} ${on ? 'on' : 'off'}`);

describe('wall clock in a named zone', () => {
  it('reads the wall clock of the zone, not of this machine', () => {
    expect(wallTimeAt('Europe/Berlin', Date.parse('2026-06-01T22:30:00Z'))).toEqual({ year: 2026, month: 6, day: 2, hour: 0, minute: 30 });
    expect(wallTimeAt('America/New_York', Date.parse('2026-06-01T02:30:00Z'))).toEqual({ year: 2026, month: 5, day: 31, hour: 22, minute: 30 });
  });

  it('puts a skipped time at the end of the jump and a repeated time at its first pass', () => {
    const at = (zone: string, wall: string) => {
      const [year, month, day, hour, minute] = wall.split(/[-T:]/).map(Number) as [number, number, number, number, number];
      return new Date(instantOf(zone, { year, month, day, hour, minute })).toISOString().slice(0, 16);
    };
    expect(at('Europe/Berlin', '2026-03-29T02:30')).toBe('2026-03-29T01:00');
    expect(at('Europe/Berlin', '2026-03-29T03:00')).toBe('2026-03-29T01:00');
    expect(at('Europe/Berlin', '2026-10-25T02:30')).toBe('2026-10-25T00:30');
    expect(at('America/New_York', '2026-03-08T02:00')).toBe('2026-03-08T07:00');
    expect(at('America/New_York', '2026-11-01T01:30')).toBe('2026-11-01T05:30');
    expect(at('America/New_York', '2026-11-01T02:00')).toBe('2026-11-01T07:00');
  });
});

describe('light timer', () => {
  it('keeps an 18:00-06:00 window across midnight', () => {
    const flower = light('Europe/Berlin', '18:00', '06:00');
    expect(lightShouldBeOn(flower, utc('2026-06-01T15:59'))).toBe(false);
    expect(lightShouldBeOn(flower, utc('2026-06-01T16:00'))).toBe(true);
    expect(lightShouldBeOn(flower, utc('2026-06-01T22:00'))).toBe(true);
    expect(lightShouldBeOn(flower, utc('2026-06-02T03:59'))).toBe(true);
    expect(lightShouldBeOn(flower, utc('2026-06-02T04:00'))).toBe(false);
    expect(lightStateAt(flower, utc('2026-06-02T03:00'))).toEqual({ on: true, since: utc('2026-06-01T16:00') });
    expect(lightStateAt(flower, utc('2026-06-02T12:00'))).toEqual({ on: false, since: utc('2026-06-02T04:00') });
  });

  it('keeps a window within one day', () => {
    const veg = light('America/New_York', '06:00', '22:00');
    expect(switches(veg, '2026-06-01T12:00', 3)).toEqual(['2026-06-02T02:00 off', '2026-06-02T10:00 on', '2026-06-03T02:00 off']);
    expect(lightShouldBeOn(veg, utc('2026-06-02T09:59'))).toBe(false);
    expect(lightShouldBeOn(veg, utc('2026-06-02T10:00'))).toBe(true);
  });

  it('follows the wall clock across spring forward: the night is an hour shorter', () => {
    // Berlin, 28-29 March: on at 18:00 CET, off at 06:00 CEST, 11 hours later.
    const berlin = light('Europe/Berlin', '18:00', '06:00');
    expect(switches(berlin, '2026-03-28T12:00', 2)).toEqual(['2026-03-28T17:00 on', '2026-03-29T04:00 off']);
    expect(lightShouldBeOn(berlin, utc('2026-03-29T03:59'))).toBe(true);
    expect(lightShouldBeOn(berlin, utc('2026-03-29T04:00'))).toBe(false);
    // New York, 7-8 March: on at 22:00 EST, off at 06:00 EDT, 7 hours later.
    const newYork = light('America/New_York', '22:00', '06:00');
    expect(switches(newYork, '2026-03-07T12:00', 2)).toEqual(['2026-03-08T03:00 on', '2026-03-08T10:00 off']);
  });

  it('follows the wall clock across fall back: the night is an hour longer', () => {
    // Berlin, 24-25 October: on at 18:00 CEST, off at 06:00 CET, 13 hours later; on through both 02:30s.
    const berlin = light('Europe/Berlin', '18:00', '06:00');
    expect(switches(berlin, '2026-10-24T12:00', 2)).toEqual(['2026-10-24T16:00 on', '2026-10-25T05:00 off']);
    expect(lightShouldBeOn(berlin, utc('2026-10-25T00:30'))).toBe(true);
    expect(lightShouldBeOn(berlin, utc('2026-10-25T01:30'))).toBe(true);
    expect(lightShouldBeOn(berlin, utc('2026-10-25T04:59'))).toBe(true);
    // New York, 31 October - 1 November: on at 20:00 EDT, off at 06:00 EST, 11 hours later.
    const newYork = light('America/New_York', '20:00', '06:00');
    expect(switches(newYork, '2026-10-31T12:00', 2)).toEqual(['2026-11-01T00:00 on', '2026-11-01T11:00 off']);
  });

  it('switches on at the first instant after the gap when the on time does not exist', () => {
    const berlin = light('Europe/Berlin', '02:30', '08:00');
    expect(switches(berlin, '2026-03-28T12:00', 2)).toEqual(['2026-03-29T01:00 on', '2026-03-29T06:00 off']);
    expect(lightShouldBeOn(berlin, utc('2026-03-29T00:59'))).toBe(false);
    expect(lightShouldBeOn(berlin, utc('2026-03-29T01:00'))).toBe(true);
    const newYork = light('America/New_York', '02:30', '08:00');
    expect(switches(newYork, '2026-03-07T14:00', 2)).toEqual(['2026-03-08T07:00 on', '2026-03-08T12:00 off']);
  });

  it('switches once when an on or off time occurs twice', () => {
    // Off at 01:30 EDT, the first pass; when the clock shows 01:10 again the light stays off.
    const offInRepeat = light('America/New_York', '20:00', '01:30');
    expect(switches(offInRepeat, '2026-10-31T12:00', 3)).toEqual(['2026-11-01T00:00 on', '2026-11-01T05:30 off', '2026-11-02T01:00 on']);
    expect(lightShouldBeOn(offInRepeat, utc('2026-11-01T06:10'))).toBe(false);
    // On at 01:30 EDT, the first pass, and on through the second pass until 07:00 EST.
    const onInRepeat = light('America/New_York', '01:30', '07:00');
    expect(switches(onInRepeat, '2026-10-31T12:00', 2)).toEqual(['2026-11-01T05:30 on', '2026-11-01T12:00 off']);
    expect(lightShouldBeOn(onInRepeat, utc('2026-11-01T06:40'))).toBe(true);
    const berlin = light('Europe/Berlin', '02:30', '12:00');
    expect(switches(berlin, '2026-10-24T12:00', 2)).toEqual(['2026-10-25T00:30 on', '2026-10-25T11:00 off']);
  });

  it('leaves the light off on the day a window falls wholly inside the skipped hour', () => {
    const shortWindow = light('Europe/Berlin', '02:10', '02:40');
    expect(switches(shortWindow, '2026-03-28T12:00', 2)).toEqual(['2026-03-30T00:10 on', '2026-03-30T00:40 off']);
    expect(lightShouldBeOn(shortWindow, utc('2026-03-29T01:00'))).toBe(false);
    expect(lightStateAt(shortWindow, utc('2026-03-29T12:00'))).toEqual({ on: false, since: utc('2026-03-28T01:40') });
  });

  it('does not switch off and on in one instant when both ends fall in the skipped hour', () => {
    // On from 02:50 to 02:10 the next day: both become 03:00 CEST on 29 March, so the light stays on.
    const nearlyAlwaysOn = light('Europe/Berlin', '02:50', '02:10');
    expect(switches(nearlyAlwaysOn, '2026-03-28T12:00', 2)).toEqual(['2026-03-30T00:10 off', '2026-03-30T00:50 on']);
    expect(lightStateAt(nearlyAlwaysOn, utc('2026-03-29T01:00'))).toEqual({ on: true, since: utc('2026-03-28T01:50') });
  });
});
