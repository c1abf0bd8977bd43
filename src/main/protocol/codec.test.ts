import { describe, expect, it } from 'vitest';
import {
  commandBody,
  decodeDeviceLine,
  DeviceEventLine,
  deviceLine,
  encodeCommand,
  frame,
  num,
  parseDeviceBody,
  parseHostBody,
  readDeviceLine,
  salvageSeq,
  unframe,
} from './codec';
import { crcHex } from './crc16';
import { FieldSpans, parseFields } from './fields';
import { MAX_LINE_BYTES } from './constants';

const strip = (line: string) => line.replace(/\n$/, '');

/** Printable bodies of every length up to 40, from a fixed seed. */
function randomBodies(count: number): string[] {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    let body = '';
    for (let j = 0; j < i % 41; j++) body += String.fromCharCode(32 + Math.floor(rand() * 95));
    bodies.push(body);
  }
  return bodies;
}

describe('checksum', () => {
  it('is CRC-16/CCITT-FALSE', () => {
    expect(crcHex('123456789')).toBe('29B1');
    expect(crcHex('1 PING')).toBe('8C6F');
  });

  it('is checked the same over bodies of odd and even length, and catches any changed character', () => {
    for (const body of randomBodies(400).filter((b) => b.length > 0)) {
      const line = strip(frame(body));
      expect(decodeDeviceLine(line), body).not.toBe('checksum');
      const at = body.length >> 1;
      const changed = String.fromCharCode(((line.charCodeAt(at) - 32 + 1) % 95) + 32);
      expect(decodeDeviceLine(line.slice(0, at) + changed + line.slice(at + 1)), body).toBe('checksum');
    }
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

describe('the link\'s read path', () => {
  const samples = [
    deviceLine.event('read', { ch: 'ec1', v: 1.42 }),
    deviceLine.event('relay', { ch: 'mixer', on: 1, why: 'a "quoted" \\ reason' }),
    deviceLine.event('hb'),
    deviceLine.event('read', { ch: 'ec1', v: 1.5 }).replace('1.5', '1.6'),
    deviceLine.ack(7, { up: 1234 }),
    deviceLine.nak(8, 'RANGE', { msg: 'ml above 250' }),
    deviceLine.row(2, { ch: 'fill', kind: 'relay', name: 'Fill valve' }),
    frame('EVT read ch="ec1'),
    frame('EVT  read'),
    frame('EVT'),
    frame('EVT read ch=ec1 v=1 pad=' + 'x'.repeat(MAX_LINE_BYTES)),
    'EVT read ch=ec1 v=1*12G4',
    ...randomBodies(300).map(frame),
    ...randomBodies(300).map((body) => frame(`EVT ${body}`)),
  ].map(strip);

  it('gives the same verdict as decodeDeviceLine on every line, and the same fields once read', () => {
    const event = new DeviceEventLine();
    for (const line of samples) {
      const decoded = decodeDeviceLine(line);
      const read = readDeviceLine(line, event);
      if (read === event) {
        expect(decoded, line).toEqual({ type: 'event', name: event.name, fields: event.fields.record() });
      } else {
        expect(read, line).toEqual(decoded);
      }
    }
  });
});

describe('fields read in place', () => {
  const texts = [' ch=ec1 v=1.25', ' ch="tank \\"A\\"" v=" 2" done="1"', ' v=1 v=oops v=3', ' msg="" on=1', ' ch=x=y', ' up=-0.5 down=1e3 n=.5 p=7.'];

  it('read each key as the parsed record has it', () => {
    const spans = new FieldSpans();
    for (const text of texts) {
      expect(spans.locate(text, 0), text).toBe(true);
      const record = parseFields(text, 0)!;
      for (const key of ['ch', 'v', 'done', 'msg', 'on', 'up', 'down', 'n', 'p', 'missing']) {
        expect(spans.get(key), `${text} ${key}`).toBe(record[key]);
        expect(spans.number(key), `${text} ${key}`).toBe(num(record, key));
        expect(spans.is(key, '1'), `${text} ${key}`).toBe(record[key] === '1');
      }
    }
  });

  it('refuse what parseFields refuses, and hold nothing of a refused line or the one before', () => {
    const spans = new FieldSpans();
    for (const text of [' a=1 b', ' a=1  b=2', ' =1', ' a=', ' a="x\\', ' a="x"b=1', 'a=1', ' a=1 ']) {
      spans.locate(' ch=ec1', 0);
      expect(spans.locate(text, 0), text).toBe(false);
      expect(parseFields(text, 0), text).toBeNull();
      expect(spans.get('ch'), text).toBeUndefined();
      expect(spans.get('a'), text).toBeUndefined();
    }
  });
});
