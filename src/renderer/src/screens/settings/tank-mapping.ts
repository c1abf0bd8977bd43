/** Each tank's plumbing in words: which channel does which job, and whether that was set or guessed. */
import { DEFAULT_HEADROOM_L, resolvePlumbing } from '../../../../shared/plumbing';
import type { Channel, Tank, TankPlumbing } from '../../../../shared/station';

export interface MappingRow {
  role: string;
  /** Channel names, or null when no channel does this job. */
  channels: string[] | null;
  /** Written in settings.json, or worked out from the channels' kinds and names. */
  from: 'settings' | 'names';
  /** What a tank without this cannot do. */
  without?: string;
}

const ROLES: Array<{ key: keyof TankPlumbing; role: string; without: string }> = [
  { key: 'fillValve', role: 'Fill valve', without: 'no fills' },
  { key: 'flowMeter', role: 'Flow meter', without: 'fills cannot be measured' },
  { key: 'levelSensor', role: 'Level sensor', without: 'no level shown' },
  { key: 'circulation', role: 'Circulation', without: 'pH and EC adjustments will not dose' },
  { key: 'phSensor', role: 'pH probe', without: 'no pH adjustments' },
  { key: 'ecSensor', role: 'EC probe', without: 'no EC adjustments' },
  { key: 'phUp', role: 'pH up pump', without: 'pH can only be lowered' },
  { key: 'phDown', role: 'pH down pump', without: 'pH can only be raised' },
  { key: 'nutrients', role: 'Nutrient pumps, in dosing order', without: 'no EC adjustments' },
];

export function tankMapping(tank: Tank, channels: readonly Channel[]): MappingRow[] {
  const resolved = resolvePlumbing(tank, channels);
  const nameOf = (id: string) => channels.find((channel) => channel.id === id)?.name || id;
  return ROLES.map(({ key, role, without }) => {
    const value = resolved[key];
    const ids = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return {
      role,
      channels: ids.length > 0 ? ids.map(nameOf) : null,
      from: tank.plumbing?.[key] !== undefined ? 'settings' : 'names',
      ...(ids.length === 0 ? { without } : {}),
    };
  });
}

export const headroomOf = (tank: Tank): number => tank.headroomL ?? DEFAULT_HEADROOM_L;
