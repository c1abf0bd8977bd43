import { ReadlineParser } from '@serialport/parser-readline';
import type { TransformCallback } from 'node:stream';
import { ESTOP_BYTE, MAX_LINE_BYTES } from './constants';

export interface LineParserEvents {
  /** An emergency stop byte arrived; it is emitted before any line that followed it. */
  estop: () => void;
  /** A line longer than the limit was thrown away. */
  overlong: () => void;
}

const EMPTY = Buffer.alloc(0);
// Bound once: read for every chunk, and TypeScript loaders compile imported names into getters.
const STOP = ESTOP_BYTE;
const LF = 0x0a;

/**
 * The readline parser with the two guards the protocol needs in front of it: the emergency
 * stop byte is picked out of the stream before line assembly (the Grbl real-time pattern), and
 * a line that grows past the limit is dropped up to its LF instead of growing without bound.
 *
 * Lines come out as latin1 strings, so every received byte stays one character and non-ASCII
 * garbage is still visible to the line checks.
 */
export class StationLineParser extends ReadlineParser {
  private discarding = false;

  constructor(private readonly maxLine = MAX_LINE_BYTES) {
    super({ delimiter: '\n', encoding: 'latin1' });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    let data = chunk;
    if (data.indexOf(STOP) !== -1) data = this.takeEstops(data);
    if (this.discarding) {
      const lf = data.indexOf(LF);
      if (lf === -1) return cb();
      data = data.subarray(lf + 1);
      this.discarding = false;
      this.emit('overlong');
    }
    super._transform(data, encoding, cb);
    // The line is still open and already too long: drop what we hold and skip to its end.
    if (this.buffer.length >= this.maxLine) {
      this.buffer = EMPTY;
      this.discarding = true;
    }
  }

  private takeEstops(chunk: Buffer): Buffer {
    const kept = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === STOP) this.emit('estop');
      else kept[n++] = byte;
    }
    return kept.subarray(0, n);
  }
}
