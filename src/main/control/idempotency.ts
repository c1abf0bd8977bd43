/**
 * Remembers recent commands by their idempotency key, so a retried command (a lost ack, a
 * phone's offline queue flushed twice) acts once and every retry gets the first answer.
 */
import type { CommandAck, ErrorCode } from '../../shared/commands';

/** Refusals that prove nothing happened. */
const DID_NOT_ACT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['NOT_READY', 'ESTOP', 'REFUSED', 'FORBIDDEN', 'RATE_LIMITED']);

export interface IdempotencyOptions {
  /** How long a key is remembered, in ms. */
  windowMs?: number;
  /** The most keys remembered at once; the oldest are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  at: number;
  /** The command as first sent, to tell a retry from a reused key. */
  fingerprint: string;
  ack: Promise<CommandAck>;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: IdempotencyOptions = {}) {
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs `act` unless `key` was seen within the window, in which case the first run's answer
   * (even one still pending) is returned. A key reused for a different command is refused.
   */
  run(key: string, fingerprint: string, act: () => Promise<CommandAck>): Promise<CommandAck> {
    const now = this.now();
    this.forgetBefore(now - this.windowMs);
    const seen = this.entries.get(key);
    if (seen) {
      if (seen.fingerprint === fingerprint) return seen.ack;
      return Promise.resolve({
        ok: false,
        error: { code: 'INVALID', message: 'this id was already used for a different command; send each new command with a new id' },
      });
    }
    const ack = act();
    const entry = { at: now, fingerprint, ack };
    this.entries.set(key, entry);
    // A command the station certainly did not carry out may be retried with its key; one that
    // may have acted (a timeout, an internal error) stays answered, never run twice.
    void ack.then((answer) => {
      if (!answer.ok && DID_NOT_ACT.has(answer.error.code) && this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return ack;
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetBefore(cutoff: number): void {
    // Insertion order is time order, so the expired entries are all at the front.
    for (const [key, entry] of this.entries) {
      if (entry.at >= cutoff) break;
      this.entries.delete(key);
    }
  }
}
