import { describe, expect, it } from 'vitest';
import { heartbeatFor, livenessActions, uptimeWentBack, type LivenessInput } from './liveness';
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

describe('a restart read from the heartbeat', () => {
  it('sees an uptime that went back', () => {
    expect(uptimeWentBack(81_000, 1_000)).toBe(true);
    expect(uptimeWentBack(1_001, 1_000)).toBe(true);
    expect(uptimeWentBack(30 * 86_400_000, 2_000)).toBe(true);
  });

  it('takes the same or a later uptime as the same run', () => {
    expect(uptimeWentBack(1_000, 1_000)).toBe(false);
    expect(uptimeWentBack(1_000, 2_000)).toBe(false);
    expect(uptimeWentBack(2 ** 32 + 5_000, 2 ** 32 + 6_000)).toBe(false);
  });

  it('takes a 32-bit count that wrapped a moment ago as the same run', () => {
    expect(uptimeWentBack(2 ** 32 - 1_000, 0)).toBe(false);
    expect(uptimeWentBack(2 ** 32 - 1_000, 2_000)).toBe(false);
    expect(uptimeWentBack(2 ** 32 - 1_000, 120_000)).toBe(true);
    expect(uptimeWentBack(2 ** 32 - 200_000, 1_000)).toBe(true);
  });
});
