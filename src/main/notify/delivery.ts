/**
 * One channel's outbox. Alerts are pushed and forgotten: the station never waits for a
 * channel, so a webhook that hangs or a mail server that is down slows nothing but its own
 * queue. Each try has a time limit; failures are tried again after a growing pause; the queue is
 * bounded, and when it is full the oldest non-critical message gives way.
 */
import type { DeliveryResult } from '../../shared/notify';
import type { NotifyMessage } from './routing';

/** Sends one message, or throws why not. Stops when `signal` aborts (the try took too long). */
export type Sender = (message: NotifyMessage, signal: AbortSignal) => Promise<void>;

/** A failure that trying again will not fix, such as a refused password or a missing page. */
export class PermanentFailure extends Error {}

export interface DeliveryTiming {
  /** Tries per message, the first included. */
  attempts: number;
  /** The pause before the second try; each later pause is twice the one before. */
  firstRetryMs: number;
  /** How long one try may take. */
  timeoutMs: number;
  /** Waits `ms` (a test passes one that records the pauses and returns at once). */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export const realWait = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export const DEFAULT_TIMING: DeliveryTiming = { attempts: 4, firstRetryMs: 5_000, timeoutMs: 15_000, wait: realWait };

/** Tries `send` once, within `timeoutMs`, whether or not the sender honours the signal. */
export async function sendWithin(send: Sender, message: NotifyMessage, timeoutMs: number, closing: AbortSignal): Promise<void> {
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new Error(`no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`)), timeoutMs);
  const stop = () => limit.abort(new Error('Tendril is shutting down'));
  closing.addEventListener('abort', stop, { once: true });
  try {
    await Promise.race([
      send(message, limit.signal),
      new Promise<never>((_resolve, reject) => {
        const fail = () => reject(limit.signal.reason as Error);
        if (limit.signal.aborted) fail();
        else limit.signal.addEventListener('abort', fail, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    closing.removeEventListener('abort', stop);
  }
}

export interface OutboxOptions {
  name: string;
  /** The sender for the channel's settings now; they may change between messages. */
  sender: () => Sender;
  timing: DeliveryTiming;
  /** Most messages waiting at once. */
  capacity: number;
  now: () => number;
  log: (line: string) => void;
  onResult: (result: DeliveryResult) => void;
}

export class ChannelOutbox {
  private readonly waiting: NotifyMessage[] = [];
  private sending = false;
  private readonly closing = new AbortController();
  dropped = 0;

  constructor(private readonly options: OutboxOptions) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Queues a message and returns at once. */
  push(message: NotifyMessage): void {
    if (this.closing.signal.aborted) return;
    if (this.waiting.length >= this.options.capacity) {
      const oldest = this.waiting.findIndex((waiting) => waiting.level !== 'error');
      const [gone] = this.waiting.splice(oldest >= 0 ? oldest : 0, 1);
      this.dropped += 1;
      this.options.log(
        `notify: ${this.options.name} has ${this.options.capacity} messages waiting; dropped the oldest${gone && gone.level === 'error' ? ' (every waiting one is critical)' : ' non-critical one'}: ${gone?.title ?? ''}`,
      );
    }
    this.waiting.push(message);
    if (!this.sending) void this.drain();
  }

  /** Sends one message now, once, outside the queue: the Settings screen's test. */
  async sendNow(message: NotifyMessage): Promise<DeliveryResult> {
    const at = this.options.now();
    try {
      await sendWithin(this.options.sender(), message, this.options.timing.timeoutMs, this.closing.signal);
      return { at, ok: true, attempts: 1, test: true };
    } catch (err) {
      return { at, ok: false, error: (err as Error).message, attempts: 1, test: true };
    }
  }

  /** Stops sending; what waits is given up. */
  close(): void {
    if (this.waiting.length > 0) this.options.log(`notify: ${this.options.name}: ${this.waiting.length} unsent messages given up as Tendril stops`);
    this.waiting.length = 0;
    this.closing.abort();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      for (let message = this.waiting.shift(); message && !this.closing.signal.aborted; message = this.waiting.shift()) {
        const result = await this.deliver(message);
        if (this.closing.signal.aborted) break;
        if (!result.ok) this.options.log(`notify: ${this.options.name} could not send "${message.title}" after ${result.attempts} ${result.attempts === 1 ? 'try' : 'tries'}: ${result.error}`);
        this.options.onResult(result);
      }
    } finally {
      this.sending = false;
    }
  }

  private async deliver(message: NotifyMessage): Promise<DeliveryResult> {
    const { attempts, firstRetryMs, timeoutMs, wait } = this.options.timing;
    let problem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await sendWithin(this.options.sender(), message, timeoutMs, this.closing.signal);
        return { at: this.options.now(), ok: true, attempts: attempt, test: false };
      } catch (err) {
        problem = (err as Error).message;
        if (err instanceof PermanentFailure || attempt === attempts || this.closing.signal.aborted) {
          return { at: this.options.now(), ok: false, error: problem, attempts: attempt, test: false };
        }
        await wait(firstRetryMs * 2 ** (attempt - 1), this.closing.signal);
      }
    }
    return { at: this.options.now(), ok: false, error: problem, attempts, test: false };
  }
}
