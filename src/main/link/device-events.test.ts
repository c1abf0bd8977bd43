import { describe, expect, it } from 'vitest';
import { stationChangeFromDevice } from './device-events';

let alerts = 0;
const at = (now: number) => ({ now, nextAlertId: () => ++alerts });

describe('device events', () => {
  it('maps known events and flags unknown ones', () => {
    expect(stationChangeFromDevice('read', { ch: 'ph1', v: '6.1' }, at(5))).toEqual({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: 5 });
    expect(stationChangeFromDevice('alarm', { code: 'WATCHDOG', msg: 'host quiet' }, at(7))).toEqual({
      type: 'alert',
      alert: { id: 1, level: 'error', code: 'WATCHDOG', message: 'host quiet', at: 7, source: 'controller' },
    });
    expect(stationChangeFromDevice('dose', { ch: 'nut_a', ml: '5', target: '5', done: '1', why: 'complete' }, at(0))).toMatchObject({ done: true, why: 'complete' });
    expect(stationChangeFromDevice('hb', { up: '1' }, at(0))).toBeNull();
    expect(stationChangeFromDevice('read', { ch: 'ph1', v: 'nan-ish' }, at(0))).toBeNull();
    expect(stationChangeFromDevice('sparkle', {}, at(0))).toBeUndefined();
  });
});

describe('numbers in device events', () => {
  it('reads decimals exactly as Number() does', () => {
    for (const text of ['0', '12', '-3', '1.25', '-0.5', '6.021', '0.000001', '123456.789', '0.1', '1.234', '7.', '.5', '-.5', '1e3', '0x10', 'abc', '-', '.', '1.2.3', '99999999999999999999']) {
      const event = stationChangeFromDevice('read', { ch: 'ec1', v: text }, at(0));
      const expected = Number(text);
      if (Number.isFinite(expected)) expect(event, text).toMatchObject({ value: expected });
      else expect(event, text).toBeNull();
    }
  });
});
