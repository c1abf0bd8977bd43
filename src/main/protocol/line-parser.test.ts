import { describe, expect, it } from 'vitest';
import { StationLineParser } from './line-parser';

function collect(maxLine = 32) {
  const parser = new StationLineParser(maxLine);
  const seen: string[] = [];
  parser.on('data', (line: string) => seen.push(`line:${line}`));
  parser.on('estop', () => seen.push('estop'));
  parser.on('overlong', () => seen.push('overlong'));
  return { parser, seen };
}

describe('StationLineParser', () => {
  it('splits lines across chunk boundaries', () => {
    const { parser, seen } = collect();
    parser.write(Buffer.from('AC'));
    parser.write(Buffer.from('K 1*0000\nEVT'));
    parser.write(Buffer.from(' hb*0000\n'));
    expect(seen).toEqual(['line:ACK 1*0000', 'line:EVT hb*0000']);
  });

  it('takes the stop byte out before the line, even mid-line', () => {
    const { parser, seen } = collect();
    parser.write(Buffer.from('ACK\x18 1*0000\n'));
    expect(seen).toEqual(['estop', 'line:ACK 1*0000']);
  });

  it('drops an over-long line up to its LF and carries on', () => {
    const { parser, seen } = collect(16);
    parser.write(Buffer.from('x'.repeat(10)));
    parser.write(Buffer.from('x'.repeat(10)));
    parser.write(Buffer.from('x'.repeat(10)));
    parser.write(Buffer.from('xx\nOK*0000\n'));
    expect(seen).toEqual(['overlong', 'line:OK*0000']);
  });

  it('passes non-ASCII bytes through one character each, for the line checks to refuse', () => {
    const { parser, seen } = collect();
    parser.write(Buffer.from([0xff, 0x41, 0x0a]));
    expect(seen).toEqual(['line:\xffA']);
  });
});
