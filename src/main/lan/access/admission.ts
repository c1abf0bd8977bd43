/**
 * Whether a token presented from an address gets in: the one rule REST and Socket.IO share.
 *
 * A valid token always gets in, whatever its address did before: the failure limiter slows
 * guesses, and must never become a way for someone without a token to keep the grower's
 * screens (all of them, behind a reverse proxy) out. Only a wrong token is a guess; a client
 * that sent none, or an empty one, was never paired and is not counted.
 */
import type { FailureLimiter } from './failure-limiter';
import type { TokenInfo, TokenStore } from './tokens';

export type Admission =
  | { admitted: true; token: TokenInfo }
  /** `missing`: nothing was presented, so nothing was counted. */
  | { admitted: false; code: 'UNAUTHORIZED'; missing: boolean }
  | { admitted: false; code: 'RATE_LIMITED'; retryAfterMs: number };

/** No token at all: absent, null, or blank (an empty `auth.token`, a bare `Bearer`). */
export function isMissingToken(presented: unknown): boolean {
  return presented === undefined || presented === null || (typeof presented === 'string' && presented.trim() === '');
}

export function admit(tokens: TokenStore, limiter: FailureLimiter, address: string, presented: unknown): Admission {
  if (isMissingToken(presented)) return { admitted: false, code: 'UNAUTHORIZED', missing: true };
  const token = tokens.verify(presented);
  // A success does not wipe the count either: otherwise one valid token would let its holder
  // guess others forever, four at a time.
  if (token) return { admitted: true, token };
  const gate = limiter.check(address);
  if (!gate.allowed) return { admitted: false, code: 'RATE_LIMITED', retryAfterMs: gate.retryAfterMs };
  limiter.fail(address);
  return { admitted: false, code: 'UNAUTHORIZED', missing: false };
}
