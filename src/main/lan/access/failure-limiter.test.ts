import { describe, expect, it } from 'vitest';
import { FailureLimiter, type FailureLimiterOptions } from './failure-limiter';

function limiter(options: FailureLimiterOptions = {}) {
  const clock = { t: 1_000_000 };
  return { clock, limiter: new FailureLimiter({ maxFailures: 3, windowMs: 10_000, lockoutMs: 30_000, now: () => clock.t, ...options }) };
}

const phone = '192.168.1.20';
const laptop = '192.168.1.21';

describe('FailureLimiter', () => {
  it('allows attempts until maxFailures fail inside the window, then locks the address', () => {
    const { clock, limiter: guard } = limiter();
    guard.fail(phone);
    clock.t += 1000;
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: true });
    clock.t += 1000;
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    clock.t += 12_000;
    expect(guard.check(phone)).toEqual({ allowed: false, retryAfterMs: 18_000 });
  });

  it('lifts the lockout when it ends, and starts counting afresh', () => {
    const { clock, limiter: guard } = limiter();
    for (let i = 0; i < 3; i++) guard.fail(phone);
    clock.t += 29_999;
    expect(guard.check(phone).allowed).toBe(false);
    clock.t += 1;
    expect(guard.check(phone)).toEqual({ allowed: true });
    guard.fail(phone);
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: true });
    guard.fail(phone);
    expect(guard.check(phone).allowed).toBe(false);
  });

  it('counts only failures inside the window', () => {
    const { clock, limiter: guard } = limiter();
    guard.fail(phone);
    clock.t += 6000;
    guard.fail(phone);
    clock.t += 4000; // the first failure is now exactly windowMs old and no longer counts
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: true });
    clock.t += 1000;
    guard.fail(phone);
    expect(guard.check(phone).allowed).toBe(false);
  });

  it('does not extend a lockout for attempts made during it', () => {
    const { clock, limiter: guard } = limiter();
    for (let i = 0; i < 3; i++) guard.fail(phone);
    clock.t += 20_000;
    for (let i = 0; i < 10; i++) guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    clock.t += 10_000;
    expect(guard.check(phone)).toEqual({ allowed: true });
  });

  it('forgives earlier failures after a success', () => {
    const { limiter: guard } = limiter();
    guard.fail(phone);
    guard.fail(phone);
    guard.succeed(phone);
    guard.fail(phone);
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: true });
    expect(guard.size).toBe(1);
    guard.succeed(phone);
    expect(guard.size).toBe(0);
  });

  it('keeps each address to itself', () => {
    const { limiter: guard } = limiter();
    for (let i = 0; i < 3; i++) guard.fail(phone);
    guard.fail(laptop);
    expect(guard.check(phone).allowed).toBe(false);
    expect(guard.check(laptop)).toEqual({ allowed: true });
  });

  it('uses the documented defaults: 5 failures a minute lock for a minute', () => {
    let t = 0;
    const guard = new FailureLimiter({ now: () => t });
    for (let i = 0; i < 4; i++) guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: true });
    guard.fail(phone);
    expect(guard.check(phone)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    t = 60_000;
    expect(guard.check(phone)).toEqual({ allowed: true });
  });

  describe('memory', () => {
    it('forgets an address once its window and lockout have passed', () => {
      const { clock, limiter: guard } = limiter();
      guard.fail(laptop);
      for (let i = 0; i < 3; i++) guard.fail(phone);
      clock.t += 10_000;
      expect(guard.check(laptop)).toEqual({ allowed: true });
      expect(guard.size).toBe(1);
      clock.t += 20_000;
      expect(guard.check(phone)).toEqual({ allowed: true });
      expect(guard.size).toBe(0);
    });

    it('sweeps spent addresses when new ones fail, without being asked about them', () => {
      const { clock, limiter: guard } = limiter();
      for (let i = 0; i < 100; i++) guard.fail(`10.0.0.${i}`);
      expect(guard.size).toBe(100);
      clock.t += 10_000;
      guard.fail(phone);
      expect(guard.size).toBe(1);
    });

    it('never holds more than maxAddresses, evicting the least recently failed', () => {
      const { limiter: guard } = limiter({ maxAddresses: 3 });
      guard.fail('a');
      guard.fail('b');
      guard.fail('c');
      guard.fail('a'); // now the most recent, so b goes first
      guard.fail('d');
      expect(guard.size).toBe(3);
      guard.fail('b');
      guard.fail('b');
      expect(guard.check('b')).toEqual({ allowed: true }); // its first failure was forgotten
      guard.fail('a');
      expect(guard.check('a').allowed).toBe(false); // a was kept: two earlier failures and this one
      for (let i = 0; i < 10_000; i++) guard.fail(`flood-${i}`);
      expect(guard.size).toBe(3);
    });
  });

  it('refuses options that would make no sense', () => {
    expect(() => new FailureLimiter({ maxFailures: 0 })).toThrow(RangeError);
    expect(() => new FailureLimiter({ windowMs: -1 })).toThrow(/windowMs must be a whole number/);
    expect(() => new FailureLimiter({ lockoutMs: Number.NaN })).toThrow(RangeError);
    expect(() => new FailureLimiter({ maxAddresses: 1.5 })).toThrow(RangeError);
  });
});
