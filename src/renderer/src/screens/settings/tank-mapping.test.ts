import { describe, expect, it } from 'vitest';
import type { Channel, Tank } from '../../../../shared/station';
import { headroomOf, tankMapping } from './tank-mapping';

const CHANNELS: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
  { id: 'flow', kind: 'flow', name: 'Inlet meter' },
  { id: 'ph', kind: 'ph', name: 'pH probe', unit: 'pH' },
  { id: 'ph_down', kind: 'pump', name: 'pH down' },
  { id: 'nut_b', kind: 'pump', name: 'Nutrient B' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
];

describe("a tank's plumbing in Settings", () => {
  it('shows what jobs will use, worked out from the channel names, and what is missing', () => {
    const tank: Tank = { id: 'main', name: 'Main', capacityL: 100, channelIds: CHANNELS.map((channel) => channel.id) };
    const rows = Object.fromEntries(tankMapping(tank, CHANNELS).map((row) => [row.role, row]));
    expect(rows['Fill valve']).toEqual({ role: 'Fill valve', channels: ['Fill valve'], from: 'names' });
    expect(rows['Circulation']?.channels).toEqual(['Mixer']);
    expect(rows['Nutrient pumps, in dosing order']?.channels).toEqual(['Nutrient A', 'Nutrient B']);
    expect(rows['EC probe']).toEqual({ role: 'EC probe', channels: null, from: 'names', without: 'no EC adjustments' });
    expect(rows['pH up pump']?.without).toBe('pH can only be lowered');
    expect(headroomOf(tank)).toBe(5);
  });

  it('marks what settings.json sets', () => {
    const tank: Tank = { id: 'main', name: 'Main', capacityL: 100, channelIds: CHANNELS.map((channel) => channel.id), plumbing: { nutrients: ['nut_b', 'nut_a'] }, headroomL: 8 };
    const nutrients = tankMapping(tank, CHANNELS).find((row) => row.role.startsWith('Nutrient'));
    expect(nutrients).toEqual({ role: 'Nutrient pumps, in dosing order', channels: ['Nutrient B', 'Nutrient A'], from: 'settings' });
    expect(headroomOf(tank)).toBe(8);
  });
});
