import { describe, expect, it } from 'vitest';
import { FieldSpans, formatFields, parseFields, type FieldValues } from '../protocol';
import { heldTelemetryChannel, stationChangeFromDevice } from './device-events';
import { isTelemetry } from '../../shared/scope';

let alerts = 0;
const at = (now: number) => ({ now, nextAlertId: () => ++alerts });

/** Fields as they arrive: written to the wire, then located in place. */
function fields(values: FieldValues): FieldSpans {
  const spans = new FieldSpans();
  if (!spans.locate(formatFields(values), 0)) throw new Error('unreadable fields');
  return spans;
}

describe('device events', () => {
  it('maps known events and flags unknown ones', () => {
    expect(stationChangeFromDevice('read', fields({ ch: 'ph1', v: '6.1' }), at(5))).toEqual({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: 5 });
    expect(stationChangeFromDevice('alarm', fields({ code: 'WATCHDOG', msg: 'host quiet' }), at(7))).toEqual({
      type: 'alert',
      alert: { id: 1, level: 'error', code: 'WATCHDOG', message: 'host quiet', at: 7, source: 'controller' },
    });
    expect(stationChangeFromDevice('dose', fields({ ch: 'nut_a', ml: '5', target: '5', done: '1', why: 'complete' }), at(0))).toMatchObject({ done: true, why: 'complete' });
    expect(stationChangeFromDevice('relay', fields({ ch: 'mixer', on: 1, why: 'manual override' }), at(0))).toEqual({
      type: 'relay_update',
      relayId: 'mixer',
      on: true,
      why: 'manual override',
    });
    expect(stationChangeFromDevice('hb', fields({ up: '1' }), at(0))).toBeNull();
    expect(stationChangeFromDevice('read', fields({ ch: 'ph1', v: 'nan-ish' }), at(0))).toBeNull();
    expect(stationChangeFromDevice('sparkle', fields({}), at(0))).toBeUndefined();
  });

  it('reads a repeated key as its last value, as a parsed record would', () => {
    const spans = new FieldSpans();
    expect(spans.locate(' ch=ec1 v=1 ch=ec2 v=2', 0)).toBe(true);
    expect(stationChangeFromDevice('read', spans, at(0))).toEqual({ type: 'ecph_reading', sensorId: 'ec2', value: 2, at: 0 });
  });
});

describe('numbers in device events', () => {
  it('reads decimals exactly as Number() does', () => {
    for (const text of ['0', '12', '-3', '1.25', '-0.5', '6.021', '0.000001', '123456.789', '0.1', '1.234', '7.', '.5', '-.5', '1e3', '0x10', 'abc', '-', '.', '1.2.3', '99999999999999999999', '', ' 4 ']) {
      const event = stationChangeFromDevice('read', fields({ ch: 'ec1', v: text }), at(0));
      const expected = text === '' ? NaN : Number(text);
      if (Number.isFinite(expected)) expect(event, text).toMatchObject({ value: expected });
      else expect(event, text).toBeNull();
    }
  });
});

describe('telemetry the coalescer may hold as a line', () => {
  const cases: Array<[string, string]> = [
    ['read', ' ch=ec1 v=1.5'],
    ['read', ' ch=ec1 v=x'],
    ['read', ' ch="" v=1'],
    ['read', ' v=1'],
    ['read', ' ch="tank \\"A\\"" v=" 2"'],
    ['read', ' ch=ec1 v=1 v=oops'],
    ['flow', ' ch=flow1 pulses=4 rate=60'],
    ['flow', ' pulses=4'],
    ['dose', ' ch=nut_a ml=2 target=5'],
    ['dose', ' ch=nut_a ml=5 target=5 done=1 why=complete'],
    ['dose', ' ch=nut_a ml=5 done="1"'],
    ['dose', ' ch=nut_a ml=5 done=10'],
    ['fill', ' ch=fill pulses=10 target=400'],
    ['fill', ' ch=fill pulses=400 target=400 done=1'],
    ['relay', ' ch=mixer on=1'],
    ['estop', ' latched=1'],
    ['alarm', ' code=DRY'],
    ['hb', ' up=10'],
    ['sparkle', ' ch=ec1'],
  ];

  it('are exactly the lines that make readings, flow counts or progress short of the end, keyed by their channel', () => {
    for (const [name, text] of cases) {
      const spans = new FieldSpans();
      expect(spans.locate(text, 0), text).toBe(true);
      const change = stationChangeFromDevice(name, spans, at(0));
      const expected = change && isTelemetry(change) ? parseFields(text, 0)!.ch! : null;
      expect(heldTelemetryChannel(name, spans), `${name}${text}`).toBe(expected);
    }
    expect(heldTelemetryChannel('read', fields({ ch: 'tank "A"', v: ' 2' }))).toBe('tank "A"');
  });
});
