import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEvent, stateHash, type Replica, type StationChange, type StationEvent } from '../../shared/events';
import { scopeState } from '../../shared/scope';
import { initialStationState, type Tank } from '../../shared/station';
import { StationStore } from '../store';
import { ALL, LiveFeed, tankAudience, type FeedMessage, type FeedSnapshot } from './feed';
import { TEST_START } from '../../test-support/main/fake-time';

const tanks: Tank[] = [
  { id: 'veg', name: 'Veg', capacityL: 100, channelIds: ['ec1', 'nut_a', 'fill'] },
  { id: 'bloom', name: 'Bloom', capacityL: 80, channelIds: ['ec2', 'nut_b'] },
];

const reading = (sensorId: string, value: number): StationChange => ({ type: 'ecph_reading', sensorId, value, at: value });
const relay = (relayId: string, on: boolean): StationChange => ({ type: 'relay_update', relayId, on, why: 'cmd' });

function setup(windowMs = 100) {
  const store = new StationStore(initialStationState(true, 'simulated'), 'store-epoch');
  store.apply({ type: 'tanks_update', tanks });
  const received = new Map<string, FeedMessage[]>();
  const feed = new LiveFeed(
    { state: () => store.state, onChange: (listener) => store.subscribe((event) => listener(event)) },
    {
      windowMs,
      epoch: 'feed-epoch',
      deliver: (audience, messages) => received.set(audience, [...(received.get(audience) ?? []), ...messages]),
    },
  );
  return { store, feed, received, messages: (audience = ALL) => received.get(audience) ?? [] };
}

/** What a screen does with what it receives: the shared reducer, and a snapshot on a reset. */
function follow(start: FeedSnapshot, messages: FeedMessage[]): Replica | 'resync' {
  let replica: Replica | 'resync' = { ...start };
  for (const message of messages) {
    if (replica === 'resync') return replica;
    replica = message.name === 'status_update' ? { ...message.payload } : applyEvent(replica, message.payload as StationEvent);
  }
  return replica;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(TEST_START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveFeed', () => {
  it('sends discrete changes on the next turn, in order, numbered from the snapshot without gaps', () => {
    const { store, feed, messages } = setup();
    const start = feed.snapshot();
    store.apply(relay('fill', true));
    store.apply(relay('fill', false));
    store.apply({ type: 'estop_update', latched: true, source: 'button' });
    expect(messages()).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(messages().map((m) => m.payload.seq)).toEqual([start.seq + 1, start.seq + 2, start.seq + 3]);
    expect(messages().map((m) => m.name)).toEqual(['relay_update', 'relay_update', 'estop_update']);
    expect(messages().every((m) => m.payload.epoch === 'feed-epoch')).toBe(true);
  });

  it('sends telemetry after a quiet spell at once, and faster telemetry once per window, latest winning', () => {
    const { store, feed, messages } = setup(100);
    feed.snapshot();
    store.apply(reading('ec1', 1.0));
    vi.advanceTimersByTime(0);
    expect(messages().map((m) => (m.payload as { value: number }).value)).toEqual([1.0]);

    vi.advanceTimersByTime(10);
    store.apply(reading('ec1', 1.1));
    store.apply(reading('ec2', 2.1));
    store.apply(reading('ec1', 1.2));
    vi.advanceTimersByTime(20);
    store.apply(reading('ec1', 1.3));
    vi.advanceTimersByTime(69);
    expect(messages()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const sent = messages().map((m) => m.payload as StationEvent & { sensorId: string; value: number });
    expect(sent.map((e) => [e.sensorId, e.value])).toEqual([
      ['ec1', 1.0],
      ['ec2', 2.1],
      ['ec1', 1.3],
    ]);
    expect(sent.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('does not make telemetry wait because a discrete change just went out', () => {
    const { store, feed, messages } = setup(100);
    feed.snapshot();
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(10);
    store.apply(reading('ec1', 1.0));
    vi.advanceTimersByTime(0);
    expect(messages().map((m) => m.name)).toEqual(['relay_update', 'ecph_reading']);
  });

  it('never coalesces away the end of a dose', () => {
    const { store, feed, messages } = setup(100);
    feed.snapshot();
    store.apply({ type: 'pump_progress', pumpId: 'nut_a', ml: 4, targetMl: 10, done: false, why: null });
    store.apply({ type: 'pump_progress', pumpId: 'nut_a', ml: 10, targetMl: 10, done: true, why: 'done' });
    store.apply({ type: 'pump_progress', pumpId: 'nut_a', ml: 1, targetMl: 5, done: false, why: null });
    vi.advanceTimersByTime(100);
    expect(messages().map((m) => (m.payload as { ml: number }).ml)).toEqual([4, 10, 1]);
  });

  it('a snapshot flushes first, so the next message follows it exactly', () => {
    const { store, feed, messages } = setup(100);
    feed.snapshot();
    store.apply(reading('ec1', 1));
    const snap = feed.snapshot();
    expect(messages()).toHaveLength(1);
    expect(snap.seq).toBe(1);
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(0);
    expect(messages()[1]?.payload.seq).toBe(2);
    expect(follow(snap, messages().slice(1))).toMatchObject({ seq: 2 });
  });

  it('a screen following one tank sees the whole station and its own tank, and nothing of the other', () => {
    const { store, feed, messages } = setup(50);
    const start = feed.snapshot(tankAudience('veg'));
    expect(start.state.tanks.map((t) => t.id)).toEqual(['veg']);
    store.apply(reading('ec1', 1.5));
    store.apply(reading('ec2', 2.5));
    store.apply(relay('fill', true));
    store.apply(relay('lights', true));
    store.apply({ type: 'pump_progress', pumpId: 'nut_b', ml: 3, targetMl: 5, done: false, why: null });
    vi.advanceTimersByTime(50);
    const veg = messages(tankAudience('veg'));
    expect(veg.map((m) => m.name)).toEqual(['ecph_reading', 'relay_update', 'relay_update']);
    expect(veg.map((m) => m.payload.seq)).toEqual([1, 2, 3]);
    expect(messages(tankAudience('bloom')).map((m) => m.name)).toEqual(['ecph_reading', 'relay_update', 'pump_progress']);
    const replica = follow(start, veg);
    expect(replica).not.toBe('resync');
    expect(stateHash((replica as Replica).state)).toBe(stateHash(scopeState(store.state, 'veg')));
  });

  it('a new tank layout starts each tank screen over from a snapshot', () => {
    const { store, feed, messages } = setup(50);
    feed.snapshot(tankAudience('veg'));
    store.apply({ type: 'tanks_update', tanks: [{ id: 'veg', name: 'Veg', capacityL: 100, channelIds: ['ec1', 'ec2'] }] });
    vi.advanceTimersByTime(0);
    const reset = messages(tankAudience('veg'))[0]!;
    expect(reset.name).toBe('status_update');
    expect(reset.payload.seq).toBe(1);
    expect((reset.payload as FeedSnapshot).state.tanks[0]?.channelIds).toEqual(['ec1', 'ec2']);
    expect(messages(ALL).map((m) => m.name)).toEqual(['tanks_update']);
  });

  it('every audience converges on its view of the state through a random run', () => {
    const { store, feed, messages } = setup(100);
    const starts = new Map(feed.audiences().map((audience) => [audience, feed.snapshot(audience)]));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const channels = ['ec1', 'ec2', 'fill', 'lights', 'nut_a', 'nut_b'];
    for (let i = 0; i < 2000; i++) {
      const channel = channels[Math.floor(random() * channels.length)]!;
      const roll = random();
      if (roll < 0.5) store.apply(reading(channel, i));
      else if (roll < 0.7) store.apply(relay(channel, random() < 0.5));
      else if (roll < 0.9) store.apply({ type: 'pump_progress', pumpId: channel, ml: i % 10, targetMl: 10, done: i % 10 === 9, why: null });
      else store.apply({ type: 'flow_update', meterId: channel, pulses: i, rate: random() });
      vi.advanceTimersByTime(Math.floor(random() * 40));
    }
    vi.advanceTimersByTime(100);
    for (const [audience, start] of starts) {
      const replica = follow(start, messages(audience));
      expect(replica).not.toBe('resync');
      const tankId = audience === ALL ? null : audience.slice(5);
      expect(stateHash((replica as Replica).state)).toBe(stateHash(tankId === null ? store.state : scopeState(store.state, tankId)));
    }
    // Coalescing did drop superseded telemetry: fewer messages than store changes.
    expect(messages().length).toBeLessThan(2000);
  });

  it('stops listening when closed', () => {
    const { store, feed, messages } = setup(0);
    feed.close();
    store.apply(relay('fill', true));
    vi.advanceTimersByTime(10);
    expect(messages()).toEqual([]);
  });
});
