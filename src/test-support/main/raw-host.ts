/**
 * Test support: a host that speaks the serial protocol line by line, with none of the link's
 * retries, heartbeats or state, so a test can say exactly what reaches a controller and read
 * exactly what comes back. Used to hold the firmware to docs/protocol.md.
 */
import { ESTOP_BYTE, encodeCommand, unframe, type FieldValues } from '../../main/protocol';
import { openSerialPort } from '../../main/link/serial-port';
import type { OpenPort } from '../../main/link/station-link';
import { withTimeout } from './sim-process';

export interface ReceivedLine {
  /** The whole line, checksum included, without its LF. */
  text: string;
  /** The body, or null when the line failed its checksum. */
  body: string | null;
  at: number;
}

export interface Answer {
  rows: string[];
  final: string;
}

export class RawHost {
  readonly lines: ReceivedLine[] = [];
  stopEchoes = 0;
  private partial = '';
  private seq = 0;
  /** Waits on the lines as they arrive, so a test or bench measures the link, not a poll. */
  private readonly watchers = new Set<() => void>();

  private constructor(private readonly port: OpenPort) {
    port.stream.on('data', (chunk: Buffer) => this.receive(chunk));
    // A read still pending when the port closes ends in "Canceled"; nothing is lost by it.
    port.stream.on('error', () => {});
  }

  static async open(path: string): Promise<RawHost> {
    return new RawHost(await openSerialPort(path, 115200));
  }

  async close(): Promise<void> {
    await this.port.close();
  }

  /** Raw bytes, as a broken or hostile host would send them. */
  write(bytes: string | Buffer): void {
    this.port.stream.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  stopByte(): void {
    this.write(Buffer.from([ESTOP_BYTE]));
  }

  nextSeq(): number {
    this.seq = this.seq >= 65535 ? 1 : this.seq + 1;
    return this.seq;
  }

  /** Sends a numbered command and waits for its final line. */
  async command(verb: string, fields: FieldValues = {}, seq = this.nextSeq()): Promise<Answer> {
    const from = this.lines.length;
    this.write(encodeCommand(seq, verb, fields));
    return this.answerTo(seq, from);
  }

  async answerTo(seq: number, from: number, timeoutMs = 10_000): Promise<Answer> {
    const isFinal = (body: string | null) => body !== null && /^(?:ACK|NAK) (\d+)(?: |$)/.exec(body)?.[1] === String(seq);
    await this.until(() => this.lines.slice(from).some((l) => isFinal(l.body)), timeoutMs, `an answer to command ${seq}`);
    const after = this.lines.slice(from);
    const final = after.find((l) => isFinal(l.body))!.body!;
    const rows = after.filter((l) => l.body?.startsWith(`ROW ${seq} `)).map((l) => l.body!);
    return { rows, final };
  }

  /** The bodies of lines received since `from` that start with `prefix`. */
  since(from: number, prefix: string): string[] {
    return this.lines.slice(from).flatMap((l) => (l.body?.startsWith(prefix) ? [l.body] : []));
  }

  async waitForLine(prefix: string | RegExp, from: number, timeoutMs: number): Promise<string> {
    const match = (body: string | null) => body !== null && (typeof prefix === 'string' ? body.startsWith(prefix) : prefix.test(body));
    await this.until(() => this.lines.slice(from).some((l) => match(l.body)), timeoutMs, `a line matching ${String(prefix)}`);
    return this.lines.slice(from).find((l) => match(l.body))!.body!;
  }

  /** Resolves once `check` holds, looking again at every received line. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    let watcher = (): void => {};
    const met = new Promise<void>((resolve) => {
      watcher = () => {
        if (check()) resolve();
      };
      this.watchers.add(watcher);
    });
    return withTimeout(met, timeoutMs, what).finally(() => this.watchers.delete(watcher));
  }

  private receive(chunk: Buffer): void {
    let text = '';
    for (const byte of chunk) {
      if (byte === ESTOP_BYTE) this.stopEchoes++;
      else text += String.fromCharCode(byte);
    }
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      const unframed = unframe(line);
      this.lines.push({ text: line, body: unframed.ok ? unframed.body : null, at: Date.now() });
    }
    for (const watcher of [...this.watchers]) watcher();
  }
}

/** The fields of a device line's body, by key (values unquoted). */
export function fieldsOf(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(/ ([A-Za-z0-9_.]+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    const value = match[2]!;
    fields[match[1]!] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return fields;
}
