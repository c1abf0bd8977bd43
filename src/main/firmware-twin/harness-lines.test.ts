import { describe, expect, it } from 'vitest';
import { parseHarnessLine } from './harness-lines';

describe('harness lines', () => {
  it('reads every message of the harness protocol', () => {
    expect(parseHarnessLine('serial /dev/pts/7')).toEqual({ kind: 'serial', path: '/dev/pts/7' });
    expect(parseHarnessLine('out nut_a 1 123456')).toEqual({ kind: 'out', id: 'nut_a', on: true, cycle: 123456 });
    expect(parseHarnessLine('out fill 0 0')).toEqual({ kind: 'out', id: 'fill', on: false, cycle: 0 });
    expect(parseHarnessLine('t 160000')).toEqual({ kind: 'tick', cycle: 160000 });
    expect(parseHarnessLine('stopbyte 99')).toEqual({ kind: 'stopbyte', cycle: 99 });
    expect(parseHarnessLine('reset 16000000 watchdog')).toEqual({ kind: 'reset', cycle: 16000000, why: 'watchdog' });
    expect(parseHarnessLine('reset 5')).toEqual({ kind: 'reset', cycle: 5, why: 'unknown' });
  });

  it('keeps answers whole: the ok line as printed, the error without its prefix', () => {
    expect(parseHarnessLine('ok stack 412')).toEqual({ kind: 'answer', ok: true, text: 'ok stack 412' });
    expect(parseHarnessLine('ok')).toEqual({ kind: 'answer', ok: true, text: 'ok' });
    expect(parseHarnessLine('error: no sensor ec9')).toEqual({ kind: 'answer', ok: false, text: 'no sensor ec9' });
  });

  it('tolerates a CR and stray spaces, and calls anything else unknown', () => {
    expect(parseHarnessLine('t 160000\r')).toEqual({ kind: 'tick', cycle: 160000 });
    expect(parseHarnessLine('  out  mixer  1  7 ')).toEqual({ kind: 'out', id: 'mixer', on: true, cycle: 7 });
    for (const line of ['', 'hello', 'out mixer 2 7', 'out mixer 1', 'out mixer 1 -5', 't', 't 1.5', 't 12 13', 'stopbyte x', 'serial', `t ${2 ** 60}`]) {
      expect(parseHarnessLine(line)).toEqual({ kind: 'unknown', text: line.trim() });
    }
  });
});
