/**
 * What the link's clock says must happen now: a pure function of the clock and what was last
 * heard and said, so every timing rule is testable with plain numbers.
 */
import type { LinkStatus } from '../../shared/station';
import { stopByteDue, type StopLatch } from './stop-latch';

export interface LivenessInput {
  now: number;
  status: LinkStatus;
  portOpen: boolean;
  lastValidLineAt: number;
  lastWriteAt: number;
  /** Commands waiting to be sent or answered: those lines feed the watchdog already. */
  commandsBusy: boolean;
  heartbeatMs: number;
  silenceMs: number;
  stopLatch: StopLatch;
}

export type LivenessAction =
  | { kind: 'silent'; reason: string }
  | { kind: 'ping' }
  | { kind: 'stop-byte' };

export function livenessActions(input: LivenessInput): LivenessAction[] {
  const { now, status } = input;
  if (!input.portOpen || (status !== 'ready' && status !== 'handshaking')) return [];
  if (now - input.lastValidLineAt > input.silenceMs) {
    return [{ kind: 'silent', reason: `the controller went silent (no valid line for ${input.silenceMs / 1000} s)` }];
  }
  const actions: LivenessAction[] = [];
  if (stopByteDue(input.stopLatch, now)) actions.push({ kind: 'stop-byte' });
  if (status === 'ready' && !input.commandsBusy && now - input.lastWriteAt >= input.heartbeatMs) actions.push({ kind: 'ping' });
  return actions;
}

/** The heartbeat for a device's watchdog: three beats per period, at most one a second. */
export function heartbeatFor(watchdogMs: number, ceilingMs: number): number {
  return Math.max(100, Math.min(ceilingMs, Math.floor(watchdogMs / 3)));
}

/**
 * `up` is the device's millisecond count since boot; a 32-bit one wraps after about 49.7 days.
 * Heartbeats come every second and the link drops after a few silent ones, so a count that
 * starts again from near zero just after the top is the wrap, not a restart.
 */
const UPTIME_WRAP = 2 ** 32;
const UPTIME_WRAP_SLACK_MS = 60_000;

/** True when a heartbeat's `up` is behind the last one of the session: the device restarted. */
export function uptimeWentBack(last: number, up: number): boolean {
  if (up >= last) return false;
  const wrapped = last < UPTIME_WRAP && up + UPTIME_WRAP - last <= UPTIME_WRAP_SLACK_MS;
  return !wrapped;
}
