import { describe, expect, it } from 'vitest';
import { heartbeatFor, livenessActions, type LivenessInput } from './liveness';
import { deviceLatched, pressStop, RELEASED } from './stop-latch';

const quiet: LivenessInput = {
  now: 10_000,
  status: 'ready',
  portOpen: true,
  lastValidLineAt: 9_900,
  lastWriteAt: 9_500,
  commandsBusy: false,
  heartbeatMs: 1000,
  silenceMs: 3000,
  stopLatch: RELEASED,
};

describe('liveness', () => {
  it('does nothing while both sides are talking', () => {
    expect(livenessActions(quiet)).toEqual([]);
  });

  it('pings when the host has said nothing for a heartbeat, unless commands are in the air', () => {
    expect(livenessActions({ ...quiet, lastWriteAt: 9_000 })).toEqual([{ kind: 'ping' }]);
    expect(livenessActions({ ...quiet, lastWriteAt: 9_000, commandsBusy: true })).toEqual([]);
    expect(livenessActions({ ...quiet, lastWriteAt: 9_000, status: 'handshaking' })).toEqual([]);
  });

  it('gives up on a device that has sent no valid line for the silence limit', () => {
    expect(livenessActions({ ...quiet, lastValidLineAt: 7_000 })).toEqual([]);
    expect(livenessActions({ ...quiet, lastValidLineAt: 6_999 })).toEqual([
      { kind: 'silent', reason: 'the controller went silent (no valid line for 3 s)' },
    ]);
    expect(livenessActions({ ...quiet, lastValidLineAt: 6_999, status: 'handshaking' })[0]?.kind).toBe('silent');
  });

  it('repeats an unanswered stop byte, and stops once the device echoed it', () => {
    expect(livenessActions({ ...quiet, stopLatch: pressStop(9_700) })).toEqual([{ kind: 'stop-byte' }]);
    expect(livenessActions({ ...quiet, stopLatch: pressStop(9_800) })).toEqual([]);
    expect(livenessActions({ ...quiet, stopLatch: deviceLatched(pressStop(0)) })).toEqual([]);
  });

  it('has nothing to do without an open port or a session', () => {
    expect(livenessActions({ ...quiet, portOpen: false, lastValidLineAt: 0 })).toEqual([]);
    expect(livenessActions({ ...quiet, status: 'connecting', lastValidLineAt: 0 })).toEqual([]);
  });

  it('feeds short watchdogs faster, never slower than once a second', () => {
    expect(heartbeatFor(3000, 1000)).toBe(1000);
    expect(heartbeatFor(1500, 1000)).toBe(500);
    expect(heartbeatFor(60, 1000)).toBe(100);
  });
});
