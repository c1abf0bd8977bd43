/**
 * Numbered commands with acknowledgements: the send window, timeouts, bounded retries and the
 * matching of ROW/ACK/NAK lines to the command they answer (docs/protocol.md section 5).
 */
import { encodeCommand, nextSeq, RETRYABLE_NAKS, type FieldValues, type Fields } from '../protocol';
import type { ErrorCode } from '../../shared/commands';
import { Refusal } from '../../shared/refusal';

export interface CommandOptions {
  timeoutMs?: number;
  /** Total sends, the first included. */
  attempts?: number;
  /** Goes ahead of everything queued (the orderly STOP on shutdown). */
  first?: boolean;
}

export interface CommandResult {
  fields: Fields;
  rows: Fields[];
}

/**
 * Why a command did not succeed; `code` is the device's NAK code or one of the host's own. It
 * never leaves the link: what the station is told is a Refusal (see asRefusal).
 */
export class CommandError extends Error {
  /**
   * @param mayHaveArrived the command was sent and its answer never came (no answer, the link
   *   lost, cancelled by a stop while in flight): the device may have carried it out.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly mayHaveArrived = false,
  ) {
    super(message);
  }
}

/**
 * The LAN API's code for the wire's reason. A grower can do something about a lost link, a
 * latched stop or a missed answer, so those keep their own codes; the device's other refusals
 * (a channel it does not have, a value out of its range, an output busy) all read REFUSED, with
 * the device's own words saying which.
 */
function refusalCode(code: string): ErrorCode {
  switch (code) {
    case 'LINK_DOWN':
      return 'NOT_READY';
    case 'ESTOP':
    case 'TIMEOUT':
    case 'NOT_READY':
    case 'INVALID':
    case 'NOT_FOUND':
      return code;
    default:
      return 'REFUSED';
  }
}

/** A command's failure as the station hears it: the same words, the API's code. */
export function asRefusal(err: unknown): unknown {
  return err instanceof CommandError ? new Refusal(refusalCode(err.code), err.message, err.mayHaveArrived) : err;
}

interface Pending {
  verb: string;
  fields: FieldValues;
  seq: number;
  line: string;
  attempts: number;
  attemptsLeft: number;
  timeoutMs: number;
  timer: ReturnType<typeof setTimeout> | null;
  rows: Fields[];
  resolve(result: CommandResult): void;
  reject(error: CommandError): void;
}

export interface CommandChannelHooks {
  write(line: string): void;
  onRetry(verb: string, seq: number, why: string): void;
  onTimeout(verb: string, seq: number): void;
}

export class CommandChannel {
  private seq = 0;
  private window = 1;
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending>();

  constructor(
    private readonly hooks: CommandChannelHooks,
    private readonly defaults: { timeoutMs: number; attempts: number } = { timeoutMs: 500, attempts: 4 },
  ) {}

  /** Numbering restarts with every handshake, which also clears the device's memory. */
  restart(window: number): void {
    this.seq = 0;
    this.window = window;
  }

  setWindow(window: number): void {
    this.window = window;
    this.pump();
  }

  send(verb: string, fields: FieldValues = {}, options: CommandOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.queue[options.first ? 'unshift' : 'push']({
        verb,
        fields,
        seq: 0,
        line: '',
        attempts: options.attempts ?? this.defaults.attempts,
        attemptsLeft: options.attempts ?? this.defaults.attempts,
        timeoutMs: options.timeoutMs ?? this.defaults.timeoutMs,
        timer: null,
        rows: [],
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /** True while something waits for an answer or to be sent. */
  get busy(): boolean {
    return this.inFlight.size > 0 || this.queue.length > 0;
  }

  onRow(seq: number, fields: Fields): void {
    this.inFlight.get(seq)?.rows.push(fields);
  }

  onAck(seq: number, fields: Fields): void {
    const pending = this.inFlight.get(seq);
    if (!pending) return;
    this.settle(pending);
    pending.resolve({ fields, rows: pending.rows });
  }

  onNak(seq: number, code: string, fields: Fields): void {
    if (seq === 0) {
      // The device could not read a number: every command still waiting may be the one.
      if (RETRYABLE_NAKS.has(code)) for (const pending of [...this.inFlight.values()]) this.retry(pending, code);
      return;
    }
    const pending = this.inFlight.get(seq);
    if (!pending) return;
    if (RETRYABLE_NAKS.has(code)) return this.retry(pending, code);
    this.settle(pending);
    pending.reject(new CommandError(code, fields.msg || `the controller refused ${pending.verb} (${code})`));
  }

  /** Fails the commands, queued or waiting for an answer, that match. */
  failWhere(match: (verb: string, fields: FieldValues) => boolean, code: string, message: string): void {
    for (const pending of [...this.inFlight.values(), ...this.queue]) {
      if (!match(pending.verb, pending.fields)) continue;
      const queued = this.queue.indexOf(pending);
      if (queued >= 0) this.queue.splice(queued, 1);
      this.settle(pending);
      pending.reject(new CommandError(code, message, queued < 0));
    }
  }

  /** The connection is gone: nothing waiting can be answered any more. */
  failAll(code: string, message: string): void {
    const sent = new Set(this.inFlight.values());
    const all = [...sent, ...this.queue];
    this.queue.length = 0;
    for (const pending of all) {
      this.settle(pending);
      pending.reject(new CommandError(code, message, sent.has(pending)));
    }
  }

  private pump(): void {
    while (this.inFlight.size < this.window && this.queue.length > 0) {
      const pending = this.queue.shift()!;
      this.seq = nextSeq(this.seq);
      pending.seq = this.seq;
      pending.line = encodeCommand(pending.seq, pending.verb, pending.fields);
      this.inFlight.set(pending.seq, pending);
      this.transmit(pending);
    }
  }

  private transmit(pending: Pending): void {
    pending.attemptsLeft--;
    pending.rows = [];
    pending.timer = setTimeout(() => {
      this.hooks.onTimeout(pending.verb, pending.seq);
      this.retry(pending, 'timeout');
    }, pending.timeoutMs);
    this.hooks.write(pending.line);
  }

  private retry(pending: Pending, why: string): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    if (pending.attemptsLeft <= 0) {
      this.settle(pending);
      const code = why === 'timeout' ? 'TIMEOUT' : why;
      pending.reject(new CommandError(code, `the controller did not acknowledge ${pending.verb} after ${pending.attempts} tries (${why})`, true));
      return;
    }
    this.hooks.onRetry(pending.verb, pending.seq, why);
    this.transmit(pending);
  }

  private settle(pending: Pending): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    this.inFlight.delete(pending.seq);
    queueMicrotask(() => this.pump());
  }
}
