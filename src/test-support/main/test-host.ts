/**
 * A minimal host for the simulator's tests: speaks the protocol through the real codec and
 * records everything the station says. Waiting advances vitest's fake clock, never a real sleep.
 */
import type { Duplex } from 'node:stream';
import { vi } from 'vitest';
import {
  decodeDeviceLine,
  encodeCommand,
  ESTOP_BYTE,
  StationLineParser,
  type DeviceMessage,
  type FieldValues,
} from '../../main/protocol';
import { TEST_START } from './fake-time';

export type Heard =
  | { type: 'line'; raw: string; message: DeviceMessage }
  | { type: 'bad'; raw: string; reason: string }
  | { type: 'estop' };

export interface Reply {
  rows: Array<Extract<DeviceMessage, { type: 'row' }>>;
  final: Extract<DeviceMessage, { type: 'ack' | 'nak' }>;
}

const STEP_MS = 10;

export class TestHost {
  readonly heard: Heard[] = [];
  private seq = 0;
  private cursor = 0;

  constructor(private readonly stream: Duplex) {
    const parser = new StationLineParser();
    parser.on('estop', () => this.heard.push({ type: 'estop' }));
    parser.on('data', (raw: string) => {
      const decoded = decodeDeviceLine(raw);
      this.heard.push(typeof decoded === 'string' ? { type: 'bad', raw, reason: decoded } : { type: 'line', raw, message: decoded });
    });
    stream.on('data', (chunk: Buffer) => parser.write(chunk));
  }

  /** Messages decoded so far, in order. */
  get messages(): DeviceMessage[] {
    return this.heard.flatMap((h) => (h.type === 'line' ? [h.message] : []));
  }

  events(name: string): Array<Extract<DeviceMessage, { type: 'event' }>> {
    return this.messages.flatMap((m) => (m.type === 'event' && m.name === name ? [m] : []));
  }

  send(verb: string, fields: FieldValues = {}, seq = ++this.seq): number {
    this.seq = seq;
    this.stream.write(encodeCommand(seq, verb, fields));
    return seq;
  }

  write(bytes: string | Buffer): void {
    this.stream.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  estop(): void {
    this.stream.write(Buffer.from([ESTOP_BYTE]));
  }

  /** Sends a command and waits for its final line, collecting its rows. */
  async request(verb: string, fields: FieldValues = {}, seq?: number): Promise<Reply> {
    const from = this.heard.length;
    const sent = this.send(verb, fields, seq);
    return this.reply(sent, from);
  }

  async reply(seq: number, from = 0): Promise<Reply> {
    const isFinal = (h: Heard): boolean =>
      h.type === 'line' && (h.message.type === 'ack' || h.message.type === 'nak') && h.message.seq === seq;
    await this.waitFor(isFinal, 1000, from);
    const mine = this.heard.slice(from).flatMap((h) => (h.type === 'line' ? [h.message] : []));
    const rows = mine.filter((m): m is Reply['rows'][number] => m.type === 'row' && m.seq === seq);
    const final = mine.find((m): m is Reply['final'] => (m.type === 'ack' || m.type === 'nak') && m.seq === seq);
    if (!final) throw new Error(`no final line for ${seq}`);
    return { rows, final };
  }

  /**
   * Waits for the first heard item from index `from` that matches, advancing the fake clock in
   * small steps for at most `withinMs`; returns it.
   */
  async waitFor(match: (h: Heard) => boolean, withinMs: number, from = this.cursor): Promise<Heard> {
    for (let waited = 0; ; waited += STEP_MS) {
      await settle();
      const index = this.heard.findIndex((h, i) => i >= from && match(h));
      const found = this.heard[index];
      if (found) {
        this.cursor = index + 1;
        return found;
      }
      if (waited >= withinMs) throw new Error(`nothing matched within ${withinMs} ms`);
      await vi.advanceTimersByTimeAsync(STEP_MS);
    }
  }

  async waitForEvent(name: string, withinMs: number, extra: (f: Record<string, string>) => boolean = () => true) {
    const h = await this.waitFor(
      (x) => x.type === 'line' && x.message.type === 'event' && x.message.name === name && extra(x.message.fields),
      withinMs,
    );
    if (h.type !== 'line' || h.message.type !== 'event') throw new Error('unreachable');
    return h.message;
  }
}

/** Lets stream callbacks (process.nextTick) and promises run without moving the clock. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => process.nextTick(resolve));
}

/**
 * Fake clock for timers and Date only: streams run on process.nextTick, which must stay real.
 */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(TEST_START);
}
