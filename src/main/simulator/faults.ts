/**
 * Damage to what the device sends, for exercising the host's link handling. Pure apart from its
 * seeded randomness: the same seed corrupts the same lines.
 */
import { ESTOP_BYTE } from '../protocol';
import { seededRandom, type Random } from './prng';

const LF = 0x0a;

export class OutgoingDamage {
  private corruptLeft = 0;
  private corruptRate = 0;
  private readonly random: Random;
  corrupted = 0;

  constructor(seed: number) {
    this.random = seededRandom(seed ^ 0x5eed);
  }

  corruptNext(lines: number): void {
    this.corruptLeft += Math.max(0, Math.floor(lines));
  }

  /** Each line independently, with probability `rate` (0 turns it off). */
  setCorruptRate(rate: number): void {
    this.corruptRate = Math.min(1, Math.max(0, rate));
  }

  /** A framed line as it will go out: a wrong but well-formed checksum, so it reads as noise. */
  apply(line: string): string {
    const chosen = this.corruptLeft > 0 || (this.corruptRate > 0 && this.random.next() < this.corruptRate);
    if (!chosen) return line;
    if (this.corruptLeft > 0) this.corruptLeft--;
    this.corrupted++;
    const end = line.endsWith('\n') ? line.length - 1 : line.length;
    const crc = parseInt(line.slice(end - 4, end), 16);
    const wrong = (crc ^ (1 + Math.floor(this.random.next() * 0xfffe))) & 0xffff;
    return `${line.slice(0, end - 4)}${wrong.toString(16).toUpperCase().padStart(4, '0')}${line.slice(end)}`;
  }

  /**
   * `bytes` of line noise, ended with LF so it spoils one line of its own rather than the
   * device's next answer. Never the stop byte: that would be a real stop to the host.
   */
  garbage(bytes: number): Buffer {
    const out = Buffer.alloc(Math.max(0, Math.floor(bytes)) + 1);
    for (let i = 0; i < out.length - 1; i++) {
      let byte = Math.floor(this.random.next() * 256);
      if (byte === ESTOP_BYTE || byte === LF) byte = 0x7f;
      out[i] = byte;
    }
    out[out.length - 1] = LF;
    return out;
  }
}
