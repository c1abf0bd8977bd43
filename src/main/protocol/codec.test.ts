import { describe, expect, it } from 'vitest';
import {
  commandBody,
  decodeDeviceLine,
  deviceLine,
  encodeCommand,
  frame,
  parseDeviceBody,
  parseHostBody,
  salvageSeq,
  unframe,
} from './codec';
import { crcHex } from './crc16';
import { parseFields } from './fields';
import { MAX_LINE_BYTES } from './constants';

const strip = (line: string) => line.replace(/\n$/, '');

describe('checksum', () => {
  it('is CRC-16/CCITT-FALSE', () => {
    expect(crcHex('123456789')).toBe('29B1');
    expect(crcHex('1 PING')).toBe('8C6F');
  });
});

describe('round trips', () => {
  it('host commands', () => {
    const line = encodeCommand(42, 'DOSE', { ch: 'nut_a', ml: 10.5, rate: 1.25, max: 9000 });
    expect(line).toBe(frame('42 DOSE ch=nut_a ml=10.5 rate=1.25 max=9000'));
    const unframed = unframe(strip(line));
    expect(unframed).toEqual({ ok: true, body: '42 DOSE ch=nut_a ml=10.5 rate=1.25 max=9000' });
    expect(parseHostBody(commandBody(42, 'DOSE', { ch: 'nut_a', ml: 10.5 }))).toEqual({
      seq: 42,
      verb: 'DOSE',
      fields: { ch: 'nut_a', ml: '10.5' },
    });
  });

  it('every device line kind', () => {
    const cases = [
      [deviceLine.ack(7, { up: 1234 }), { type: 'ack', seq: 7, fields: { up: '1234' } }],
      [deviceLine.nak(8, 'RANGE', { msg: 'ml above 250' }), { type: 'nak', seq: 8, code: 'RANGE', fields: { msg: 'ml above 250' } }],
      [deviceLine.row(2, { ch: 'fill', kind: 'relay', name: 'Fill valve' }), { type: 'row', seq: 2, fields: { ch: 'fill', kind: 'relay', name: 'Fill valve' } }],
      [deviceLine.event('read', { ch: 'ec1', v: 1.42 }), { type: 'event', name: 'read', fields: { ch: 'ec1', v: '1.42' } }],
      [deviceLine.event('hb'), { type: 'event', name: 'hb', fields: {} }],
    ] as const;
    for (const [line, message] of cases) expect(decodeDeviceLine(strip(line))).toEqual(message);
  });

  it('quoted values keep spaces, quotes, backslashes and stars', () => {
    const line = deviceLine.nak(3, 'ESTOP', { msg: 'say "RESET" \\ then * retry' });
    const decoded = decodeDeviceLine(strip(line));
    expect(decoded).toEqual({ type: 'nak', seq: 3, code: 'ESTOP', fields: { msg: 'say "RESET" \\ then * retry' } });
  });

  it('accepts a CR before the LF', () => {
    expect(decodeDeviceLine(strip(deviceLine.ack(1)) + '\r')).toMatchObject({ type: 'ack' });
  });

  it('formats booleans and rounds numbers to three decimals', () => {
    expect(encodeCommand(1, 'SET', { ch: 'mixer', on: true })).toContain('on=1');
    expect(encodeCommand(1, 'DOSE', { ml: 1 / 3 })).toContain('ml=0.333');
    expect(() => encodeCommand(1, 'DOSE', { ml: Number.NaN })).toThrow(RangeError);
  });
});

describe('malformed input', () => {
  const good = strip(deviceLine.ack(5, { up: 10 }));

  it('a flipped character fails the checksum', () => {
    const bad = good.replace('up=10', 'up=11');
    expect(decodeDeviceLine(bad)).toBe('checksum');
  });

  it('a missing or malformed checksum is garbage', () => {
    expect(decodeDeviceLine('ACK 5 up=10')).toBe('garbage');
    expect(decodeDeviceLine('ACK 5 up=10*12G4')).toBe('garbage');
    expect(decodeDeviceLine('*ABCD')).toBe('garbage');
    expect(decodeDeviceLine('')).toBe('garbage');
  });

  it('control characters and non-ASCII bytes are garbage', () => {
    expect(decodeDeviceLine(good.slice(0, 3) + '\x01' + good.slice(4))).toBe('garbage');
    expect(decodeDeviceLine('\xff\xfe' + good)).toBe('garbage');
  });

  it('over-long lines are refused before any parsing', () => {
    const body = 'EVT read ch=ec1 v=1 pad=' + 'x'.repeat(MAX_LINE_BYTES);
    expect(decodeDeviceLine(strip(frame(body)))).toBe('overlong');
  });

  it('a valid checksum over a nonsense body is a syntax error', () => {
    for (const body of ['HELLO there', 'ACK', 'ACK x', 'ACK 70000', 'NAK 5', 'ROW 1 novalue', 'EVT read ch="open', 'EVT  read', 'ACK -1']) {
      expect(decodeDeviceLine(strip(frame(body))), body).toBe('syntax');
    }
  });

  it('host bodies are checked too', () => {
    for (const body of ['0 PING', 'PING', '1', '1 ping', '1 SET ch', '99999999 PING', '1 SET ch="x']) {
      expect(parseHostBody(body), body).toBeNull();
    }
  });

  it('fields reject stray tokens and double spaces', () => {
    expect(parseFields(' a=1 b', 0)).toBeNull();
    expect(parseFields(' a=1  b=2', 0)).toBeNull();
    expect(parseFields(' =1', 0)).toBeNull();
    expect(parseFields(' a=', 0)).toBeNull();
    expect(parseFields(' a="x\\', 0)).toBeNull();
    expect(parseFields('', 0)).toEqual({});
  });

  it('salvages the sequence number of a corrupted command', () => {
    expect(salvageSeq('17 SET ch=fill on=1*0000')).toBe(17);
    expect(salvageSeq('x7 SET*0000')).toBe(0);
    expect(salvageSeq('garbage')).toBe(0);
  });

  it('device parsing never throws on random input', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      let body = '';
      const n = Math.floor(rand() * 40);
      for (let j = 0; j < n; j++) body += String.fromCharCode(32 + Math.floor(rand() * 95));
      expect(() => parseDeviceBody(body)).not.toThrow();
      expect(() => decodeDeviceLine(strip(frame(body)))).not.toThrow();
    }
  });
});

describe('shared words', () => {
  it('decode the same as sliced ones', () => {
    for (const name of ['read', 'dose', 'flow', 'fill', 'hb', 'relay', 'rea', 'reads', 'hbx', 'relax']) {
      expect(decodeDeviceLine(strip(deviceLine.event(name, { ch: 'c', v: 1, ml: 2, on: 1, up: 3, chx: 4, x: 5 })))).toEqual({
        type: 'event',
        name,
        fields: { ch: 'c', v: '1', ml: '2', on: '1', up: '3', chx: '4', x: '5' },
      });
    }
  });
});
