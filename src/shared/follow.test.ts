import { describe, expect, it } from 'vitest';
import type { LiveMessage, StationEvent } from './events';
import { FeedFollower } from './follow';
import { initialStationState } from './station';

const snapshot = { epoch: 'e1', seq: 5, state: initialStationState(true, 'simulated') };
const relay = (seq: number, on = true, epoch = 'e1'): LiveMessage => ({
  name: 'relay_update',
  payload: { type: 'relay_update', relayId: 'fill', on, why: 'cmd', seq, epoch } as StationEvent,
});

describe('FeedFollower', () => {
  it('applies events that follow on, and ignores repeats', () => {
    const follower = new FeedFollower();
    follower.start(snapshot);
    expect(follower.take([relay(5), relay(6)])).toBe('changed');
    expect(follower.take([relay(6)])).toBe('unchanged');
    expect(follower.current?.seq).toBe(6);
    expect(follower.current?.state.relays.fill?.on).toBe(true);
  });

  it('asks for a snapshot on a gap or a new epoch, and waits for it', () => {
    const gap = new FeedFollower();
    gap.start(snapshot);
    expect(gap.take([relay(8)])).toBe('resync');
    expect(gap.current).toBeNull();
    expect(gap.take([relay(9)])).toBe('unchanged');
    gap.start({ ...snapshot, seq: 9 });
    expect(gap.take([relay(10, false)])).toBe('changed');

    const restarted = new FeedFollower();
    restarted.start(snapshot);
    expect(restarted.take([relay(6, true, 'e2')])).toBe('resync');
  });

  it('takes a snapshot sent in the stream (a new tank layout) as a fresh start', () => {
    const follower = new FeedFollower();
    expect(follower.take([relay(1)])).toBe('unchanged');
    expect(follower.take([{ name: 'status_update', payload: { ...snapshot, seq: 40 } }, relay(41)])).toBe('changed');
    expect(follower.current?.seq).toBe(41);
  });
});
