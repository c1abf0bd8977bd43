import { describe, expect, it } from 'vitest';
import { applyEvent, stateHash, type Replica, type StationChange, type StationEvent } from '../../shared/events';
import { initialStationState } from '../../shared/station';
import { StationStore } from './station-store';

const changes: StationChange[] = [
  { type: 'relay_update', relayId: 'mixer', on: true, why: 'cmd' },
  { type: 'ecph_reading', sensorId: 'ec1', value: 1.4, at: 10 },
  { type: 'pump_progress', pumpId: 'nut_a', ml: 2, targetMl: 5, done: false, why: null },
  { type: 'estop_update', latched: true, source: 'host' },
  { type: 'alert', alert: { id: 1, level: 'error', code: 'WATCHDOG', message: 'quiet host', at: 11, source: 'controller' } },
  { type: 'pump_progress', pumpId: 'nut_a', ml: 3.1, targetMl: 5, done: true, why: 'estop' },
  { type: 'presence', screens: { operator: 0, viewer: 1 }, joined: [{ id: 'p1', name: 'Phone', role: 'viewer', address: '127.0.0.1', since: 5 }], left: [], unlisted: 0 },
];

describe('StationStore', () => {
  it('numbers changes without gaps within its epoch', () => {
    const store = new StationStore(initialStationState(true, 'simulated'), 'e1');
    const events: StationEvent[] = [];
    store.subscribe((event) => events.push(event));
    expect(changes.map((change) => store.apply(change))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.every((e) => e.epoch === 'e1')).toBe(true);
    expect(store.snapshot()).toMatchObject({ seq: 7, epoch: 'e1' });
  });

  it('a client replaying the events holds the same state, by hash', () => {
    const store = new StationStore(initialStationState(true, 'simulated'), 'e1');
    let replica: Replica = { ...store.snapshot() };
    store.subscribe((event) => {
      const next = applyEvent(replica, event);
      if (next === 'resync') throw new Error('unexpected resync');
      replica = next;
    });
    for (const change of changes) store.apply(change);
    expect(stateHash(replica.state)).toBe(stateHash(store.state));
    expect(replica.state.alarm?.code).toBe('WATCHDOG');
    expect(replica.state.pumps.nut_a).toEqual({ running: false, ml: 3.1, target: 5 });
  });

  it('tells a client with a gap or from another epoch to resync, and ignores repeats', () => {
    const store = new StationStore(initialStationState(true, 'simulated'), 'e1');
    const replica: Replica = { ...store.snapshot() };
    const events: StationEvent[] = [];
    store.subscribe((event) => events.push(event));
    for (const change of changes) store.apply(change);
    expect(applyEvent(replica, events[1]!)).toBe('resync');
    expect(applyEvent(replica, { ...events[0]!, epoch: 'e2' })).toBe('resync');
    const first = applyEvent(replica, events[0]!);
    expect(first).not.toBe('resync');
    expect(applyEvent(first as Replica, events[0]!)).toBe(first);
  });
});

describe('stateHash', () => {
  it('ignores key order and changes with any value', () => {
    const state = initialStationState(true, 'simulated', 5);
    const reordered = Object.fromEntries(Object.entries(state).reverse()) as typeof state;
    expect(stateHash(reordered)).toBe(stateHash(state));
    expect(stateHash({ ...state, link: { ...state.link, attempt: 1 } })).not.toBe(stateHash(state));
    expect(stateHash(state)).toMatch(/^[0-9a-f]{8}$/);
  });
});
