import { describe, expect, it } from 'vitest';
import { admit, isMissingToken } from './admission';
import { FailureLimiter } from './failure-limiter';
import { TokenStore } from './tokens';

const phone = '192.168.1.20';
const SECRET = 'a-token-for-the-tests-0001';

async function setup() {
  const clock = { t: 1_000_000 };
  const tokens = await TokenStore.open(null, () => clock.t);
  const info = tokens.preset('viewer', SECRET, 'tests');
  const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 10_000, lockoutMs: 30_000, now: () => clock.t });
  return { clock, tokens, info, limiter };
}

describe('admit', () => {
  it('lets a valid token in before and during a lockout of its address, and after it', async () => {
    const { clock, tokens, info, limiter } = await setup();
    expect(admit(tokens, limiter, phone, SECRET)).toMatchObject({ admitted: true, token: { id: info.id } });
    expect([1, 2, 3].map(() => admit(tokens, limiter, phone, 'wrong'))).toEqual([0, 0, 0].map(() => ({ admitted: false, code: 'UNAUTHORIZED', missing: false })));
    expect(admit(tokens, limiter, phone, 'wrong')).toEqual({ admitted: false, code: 'RATE_LIMITED', retryAfterMs: 30_000 });
    expect(admit(tokens, limiter, phone, SECRET)).toMatchObject({ admitted: true });
    clock.t += 10_000;
    expect(admit(tokens, limiter, phone, 'wrong')).toEqual({ admitted: false, code: 'RATE_LIMITED', retryAfterMs: 20_000 });
    clock.t += 20_000;
    expect(admit(tokens, limiter, phone, 'wrong')).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('counts a missing token as no guess at all', async () => {
    const { tokens, limiter } = await setup();
    for (const nothing of [undefined, null, '', ' ', '\t\n']) {
      for (let i = 0; i < 5; i++) expect(admit(tokens, limiter, phone, nothing)).toEqual({ admitted: false, code: 'UNAUTHORIZED', missing: true });
    }
    expect(limiter.size).toBe(0);
    expect(limiter.check(phone)).toEqual({ allowed: true });
  });

  it('counts anything else that is not a valid token as a guess', async () => {
    const { tokens, limiter } = await setup();
    for (const wrong of [0, false, {}, ['x'], 'x'.repeat(300)]) expect(isMissingToken(wrong)).toBe(false);
    admit(tokens, limiter, phone, 42);
    admit(tokens, limiter, phone, { token: SECRET });
    admit(tokens, limiter, phone, `${SECRET} `);
    expect(limiter.check(phone).allowed).toBe(false);
  });
});
