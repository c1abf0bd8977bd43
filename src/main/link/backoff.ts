import type { BackoffPolicy } from '../../shared/backoff';

export { backoffDelay, type BackoffPolicy } from '../../shared/backoff';

/** Serial reconnects: quick enough that a replugged cable is back within seconds. */
export const SERIAL_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 5000 };
