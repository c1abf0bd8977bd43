import { describe, expect, it } from 'vitest';
import { stationEventFromDevice } from './device-events';

describe('device events', () => {
  it('maps known events and flags unknown ones', () => {
    expect(stationEventFromDevice('read', { ch: 'ph1', v: '6.1' }, 5)).toEqual({ type: 'reading', channel: 'ph1', value: 6.1, at: 5 });
    expect(stationEventFromDevice('dose', { ch: 'nut_a', ml: '5', target: '5', done: '1', why: 'complete' }, 0)).toMatchObject({ done: true, why: 'complete' });
    expect(stationEventFromDevice('hb', { up: '1' }, 0)).toBeNull();
    expect(stationEventFromDevice('read', { ch: 'ph1', v: 'nan-ish' }, 0)).toBeNull();
    expect(stationEventFromDevice('sparkle', {}, 0)).toBeUndefined();
  });
});

describe('numbers in device events', () => {
  it('reads decimals exactly as Number() does', () => {
    for (const text of ['0', '12', '-3', '1.25', '-0.5', '6.021', '0.000001', '123456.789', '1e3', '0x10', 'abc', '-', '.', '1.2.3', '99999999999999999999']) {
      const event = stationEventFromDevice('read', { ch: 'ec1', v: text }, 0);
      const expected = Number(text);
      if (Number.isFinite(expected)) expect(event, text).toMatchObject({ value: expected });
      else expect(event, text).toBeNull();
    }
  });
});
