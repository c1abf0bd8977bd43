import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { initialStationState, type Channel, type Tank } from '../../shared/station';
import { StationStore } from '../store';
import { keepTankRoles, tanksWithRoles } from './tank-roles';

const channels: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'drain', kind: 'relay', name: 'Drain valve' },
  { id: 'circ', kind: 'relay', name: 'Circulation pump' },
  { id: 'lights', kind: 'relay', name: 'Lights' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
  { id: 'nut_b', kind: 'pump', name: 'Nutrient B' },
  { id: 'ph_down', kind: 'pump', name: 'pH down' },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
  { id: 'ph1', kind: 'ph', name: 'pH', unit: 'pH' },
];
const veg: Tank = { id: 'veg', name: 'Veg', capacityL: 100, channelIds: channels.map((channel) => channel.id) };

const deviceUpdate = (table: Channel[]): StationChange => ({
  type: 'device_update',
  device: { device: 'tendril-sim', firmware: '0.3.1', protocol: '1.0', serial: 'SIM-0001', window: 1, watchdogMs: 3000 },
  channels: table,
  relays: {},
  pumps: {},
  flows: {},
  readings: {},
  estop: false,
  alarm: null,
  at: 1,
});

describe('tank roles', () => {
  it('name the channels the station uses, worked out from the channel table where the plumbing says nothing', () => {
    const [tank] = tanksWithRoles([veg], channels)!;
    expect(tank!.roles).toEqual({ fillValve: 'fill', drainValve: 'drain', circulation: 'circ', flowMeter: 'flow1', phSensor: 'ph1', phDown: 'ph_down', nutrients: ['nut_a', 'nut_b'] });
  });

  it('take the plumbing settings.json gives over what the names suggest', () => {
    const [tank] = tanksWithRoles([{ ...veg, plumbing: { fillValve: 'lights', circulation: 'lights', nutrients: ['nut_b', 'nut_a'] } }], channels)!;
    expect(tank!.roles).toMatchObject({ fillValve: 'lights', drainValve: 'drain', circulation: 'lights', nutrients: ['nut_b', 'nut_a'] });
  });

  it('are left as they are when nothing changed', () => {
    const tanks = tanksWithRoles([veg], channels)!;
    expect(tanksWithRoles(tanks, channels)).toBeNull();
    expect(tanksWithRoles(tanks, channels.filter((channel) => channel.id !== 'drain'))![0]!.roles!.drainValve).toBeUndefined();
  });

  it('follow the tanks and the channel table in the live state, after the change that called for them', async () => {
    const store = new StationStore(initialStationState(true, 'simulated'), 'epoch');
    store.apply({ type: 'tanks_update', tanks: [{ ...veg, plumbing: { fillValve: 'fill' } }] });
    const seen: string[] = [];
    store.subscribe((event) => seen.push(event.type));
    keepTankRoles({ state: () => store.state, apply: (change) => void store.apply(change), onChange: (listener) => store.subscribe((event) => listener(event)) });
    // Before the controller reports its channels, only what settings.json says.
    expect(store.state.tanks[0]!.roles).toEqual({ fillValve: 'fill', nutrients: [] });

    store.apply(deviceUpdate(channels));
    expect(seen).toEqual(['tanks_update', 'device_update']);
    await Promise.resolve();
    expect(seen).toEqual(['tanks_update', 'device_update', 'tanks_update']);
    expect(store.state.tanks[0]!.roles).toMatchObject({ fillValve: 'fill', drainValve: 'drain', circulation: 'circ' });

    // The same table again: nothing to renew.
    store.apply(deviceUpdate(channels));
    await Promise.resolve();
    expect(seen.filter((type) => type === 'tanks_update')).toHaveLength(2);
  });
});
