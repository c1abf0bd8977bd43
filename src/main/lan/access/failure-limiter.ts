/**
 * Slows down anyone guessing tokens from the LAN. Each address gets a few wrong tokens per
 * window; after that its wrong tokens are refused as rate limited for a while. It counts and
 * judges guesses only: a valid token is let in before the limiter is asked (see admission.ts),
 * so nobody can lock the grower's screens out by sending wrong tokens from their address.
 *
 * No timers: every decision is made from the injected clock when an attempt arrives, so the
 * limiter is tested with plain numbers and costs nothing while the LAN is quiet.
 */

export interface FailureLimiterOptions {
  /** Failed attempts inside `windowMs` that lock an address. */
  maxFailures?: number;
  windowMs?: number;
  lockoutMs?: number;
  /**
   * Addresses remembered at once. Beyond this the least recently failed are forgotten, so a
   * flood from many addresses costs bounded memory; it can then only reset its own counts.
   */
  maxAddresses?: number;
  now?: () => number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Failures {
  /** Times of recent failures, oldest first; never more than `maxFailures`. */
  at: number[];
  /** Zero while not locked. */
  lockedUntil: number;
}

const ALLOWED: AttemptVerdict = { allowed: true };

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, not ${value}`);
  return value;
}

export class FailureLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockoutMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;
  /** In order of last failure, oldest first: a Map keeps insertion order, and fail() re-inserts. */
  private readonly addresses = new Map<string, Failures>();

  constructor({ maxFailures = 5, windowMs = 60_000, lockoutMs = 60_000, maxAddresses = 10_000, now = Date.now }: FailureLimiterOptions = {}) {
    this.maxFailures = positiveInteger('maxFailures', maxFailures);
    this.windowMs = positiveInteger('windowMs', windowMs);
    this.lockoutMs = positiveInteger('lockoutMs', lockoutMs);
    this.maxAddresses = positiveInteger('maxAddresses', maxAddresses);
    this.now = now;
  }

  /** Asked about a token that is not valid, before counting it. */
  check(address: string): AttemptVerdict {
    const failures = this.addresses.get(address);
    if (!failures) return ALLOWED;
    const now = this.now();
    if (now < failures.lockedUntil) return { allowed: false, retryAfterMs: failures.lockedUntil - now };
    if (this.isSpent(failures, now)) this.addresses.delete(address);
    return ALLOWED;
  }

  fail(address: string): void {
    const now = this.now();
    const previous = this.addresses.get(address);
    // A lockout is not extended by further attempts, so it always ends when check() said it would.
    if (previous && now < previous.lockedUntil) return;
    if (previous) this.addresses.delete(address);
    this.makeRoom(now);
    const failures: Failures = previous ?? { at: [], lockedUntil: 0 };
    failures.at = failures.at.filter((at) => now - at < this.windowMs);
    failures.at.push(now);
    if (failures.at.length >= this.maxFailures) {
      failures.at = [];
      failures.lockedUntil = now + this.lockoutMs;
    }
    this.addresses.set(address, failures);
  }

  /** A valid token from an address that was not locked: its earlier mistakes are forgiven. */
  succeed(address: string): void {
    this.addresses.delete(address);
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.addresses.size;
  }

  /** Neither locked nor holding a failure that still counts. */
  private isSpent(failures: Failures, now: number): boolean {
    const last = failures.at[failures.at.length - 1];
    return now >= failures.lockedUntil && (last === undefined || now - last >= this.windowMs);
  }

  /**
   * The oldest failures sit at the front, so spent entries are found there and the sweep stops at
   * the first live one: constant work per failure on average, however many addresses are known.
   */
  private makeRoom(now: number): void {
    for (const [address, failures] of this.addresses) {
      if (!this.isSpent(failures, now) && this.addresses.size < this.maxAddresses) break;
      this.addresses.delete(address);
    }
  }
}
