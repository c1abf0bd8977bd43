/**
 * The state hash on the live feed: every snapshot carries the hash of its state, and, when the
 * feed is asked to, a `state_hash` after the events that lead to it, so a screen can prove its copy.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, type Replica, type StationChange, type StationEvent } from '../../shared/events';
import { scopeState } from '../../shared/scope';
import { stateHash, type StateHashNote } from '../../shared/state-hash';
import { initialStationState, type Tank } from '../../shared/station';
import { StationStore } from '../store';
import { ALL, LiveFeed, tankAudience, type FeedMessage } from './feed';
import { TEST_START } from '../../test-support/main/fake-time';

const tanks: Tank[] = [
  { id: 'veg', name: 'Veg', capacityL: 100, channelIds: ['ec1', 'fill'] },
  { id: 'bloom', name: 'Bloom', capacityL: 80, channelIds: ['ec2'] },
];
const relay = (relayId: string, on: boolean): StationChange => ({ type: 'relay_update', relayId, on, why: 'cmd' });

function setup(hashEvery?: { events: number; ms: number }) {
  const store = new StationStore(initialStationState(true, 'simulated'), 'store-epoch');
  store.apply({ type: 'tanks_update', tanks });
  const received = new Map<string, FeedMessage[]>();
  const feed = new LiveFeed(
    { state: () => store.state, onChange: (listener) => store.subscribe((event) => listener(event)) },
    { windowMs: 100, epoch: 'feed-epoch', hashEvery, deliver: (audience, messages) => received.set(audience, [...(received.get(audience) ?? []), ...messages]) },
  );
  return { store, feed, messages: (audience = ALL) => received.get(audience) ?? [] };
}

const notes = (messages: FeedMessage[]) => messages.filter((m) => m.name === 'state_hash').map((m) => m.payload as StateHashNote);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(TEST_START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the state hash on the live feed', () => {
  it('comes with every snapshot, of the state the snapshot holds', () => {
    const { store, feed } = setup();
    store.apply(relay('fill', true));
    const whole = feed.snapshot();
    expect(whole.stateHash).toBe(stateHash(store.state));
    const veg = feed.snapshot(tankAudience('veg'));
    expect(veg.stateHash).toBe(stateHash(scopeState(store.state, 'veg')));
    expect(veg.stateHash).not.toBe(whole.stateHash);
  });

  it('is not sent on a feed that was not asked for it', () => {
    const { store, messages } = setup();
    for (let i = 0; i < 20; i++) store.apply(relay('fill', i % 2 === 0));
    vi.advanceTimersByTime(0);
    expect(notes(messages())).toEqual([]);
  });

  it('follows the batch that brings the events since the last one to the count, with the seq it holds at', () => {
    const { store, feed, messages } = setup({ events: 5, ms: 60_000 });
    const start = feed.snapshot();
    let replica: Replica | 'resync' = start;
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(0);
    // The first batch of an audience always carries one: nothing was sent to it before.
    expect(notes(messages())).toHaveLength(1);
    for (let i = 0; i < 12; i++) {
      store.apply(relay('air', i % 2 === 0));
      vi.advanceTimersByTime(0);
    }
    const sent = messages();
    expect(notes(sent).map((note) => note.seq)).toEqual([start.seq + 1, start.seq + 6, start.seq + 11]);
    for (const message of sent) {
      if (message.name === 'state_hash') {
        const note = message.payload as StateHashNote;
        expect(replica).not.toBe('resync');
        expect(note).toEqual({ epoch: 'feed-epoch', seq: (replica as Replica).seq, stateHash: stateHash((replica as Replica).state) });
      } else if (message.name !== 'status_update') {
        replica = applyEvent(replica as Replica, message.payload as StationEvent);
      }
    }
  });

  it('follows the first batch after the time since the last one, and each tank has its own', () => {
    const { store, messages } = setup({ events: 1000, ms: 5_000 });
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(0);
    store.apply(relay('fill', false));
    vi.advanceTimersByTime(4_000);
    expect(notes(messages())).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(0);
    expect(notes(messages()).map((note) => note.seq)).toEqual([1, 3]);
    const veg = notes(messages(tankAudience('veg')));
    expect(veg.map((note) => note.seq)).toEqual([1, 3]);
    expect(veg[1]!.stateHash).toBe(stateHash(scopeState(store.state, 'veg')));
    // Bloom's tank saw none of these relays: no events, so nothing to prove.
    expect(notes(messages(tankAudience('bloom')))).toEqual([]);
  });
});
