/**
 * What an operator changes about a tank from Settings → Tanks (`tanks.configure`): its name,
 * size, the water kept free below the brim and left in on a drain, and which relays fill, drain
 * and circulate it. The station and the screens check with these same words.
 */
import { z } from 'zod';
import { channelIdSchema, nameIdSchema } from './jobs';
import { litres } from './amounts';
import { hasControlCharacters } from './plain-text';
import { DEFAULT_FLOOR_FRACTION, DEFAULT_HEADROOM_L } from './plumbing';
import type { Channel, Tank } from './station';

const liters = (what: string, min: number) =>
  z
    .number({ error: `${what} must be a number of litres` })
    .min(min, { error: `${what} must be at least ${min} L` })
    .max(100_000, { error: `${what} must be at most 100000 L` });

/** The relays Settings may assign; null takes the assignment away, so the station works it out. */
export const TANK_VALVES = [
  ['fillValve', 'Fill valve'],
  ['drainValve', 'Drain valve'],
  ['circulation', 'Circulation'],
] as const;

export const TANK_EDIT_SCHEMA = z.strictObject(
  {
    name: z
      .string({ error: 'name must be text' })
      .min(1, { error: 'name must not be empty' })
      .max(60, { error: 'name must be at most 60 characters' })
      .refine((text) => !hasControlCharacters(text), { error: 'name must be plain text on one line' })
      .optional(),
    capacityL: liters('capacityL', 0.1).optional(),
    headroomL: liters('headroomL', 0).optional(),
    floorL: liters('floorL', 0).optional(),
    plumbing: z
      .strictObject({
        fillValve: channelIdSchema('fillValve', 'fill').nullable().optional(),
        drainValve: channelIdSchema('drainValve', 'drain').nullable().optional(),
        circulation: channelIdSchema('circulation', 'circ').nullable().optional(),
      })
      .optional(),
  },
  { error: 'tank must be an object such as {"floorL": 20}' },
);

export type TankEdit = z.infer<typeof TANK_EDIT_SCHEMA>;

export const TANKS_CONFIGURE_PAYLOAD = { tankId: nameIdSchema('tankId'), tank: TANK_EDIT_SCHEMA };

/** The tank with an edit applied, as settings.json keeps it: without what the station works out. */
export function withTankEdit(tank: Tank, edit: TankEdit): Tank {
  const { roles: _roles, ...kept } = tank;
  const next: Tank = { ...kept };
  if (edit.name !== undefined) next.name = edit.name;
  if (edit.capacityL !== undefined) next.capacityL = edit.capacityL;
  if (edit.headroomL !== undefined) next.headroomL = edit.headroomL;
  if (edit.floorL !== undefined) next.floorL = edit.floorL;
  if (edit.plumbing) {
    const plumbing = { ...tank.plumbing };
    for (const [role] of TANK_VALVES) {
      const value = edit.plumbing[role];
      if (value === null) delete plumbing[role];
      else if (value !== undefined) plumbing[role] = value;
    }
    if (Object.keys(plumbing).length > 0) next.plumbing = plumbing;
    else delete next.plumbing;
  }
  return next;
}

/** Why a tank may not be used as edited, or null. */
export function tankProblem(tank: Tank, tanks: readonly Tank[], channels: readonly Pick<Channel, 'id' | 'kind' | 'name'>[]): string | null {
  const headroom = tank.headroomL ?? DEFAULT_HEADROOM_L;
  const floor = tank.floorL ?? tank.capacityL * DEFAULT_FLOOR_FRACTION;
  if (floor + headroom >= tank.capacityL) {
    return `a floor of ${litres(floor)} and ${litres(headroom)} of headroom leave no water to fill or drain in a ${litres(tank.capacityL)} tank; lower the floor or the headroom, or give the right capacity`;
  }
  for (const [role, label] of TANK_VALVES) {
    const id = tank.plumbing?.[role];
    if (id === undefined) continue;
    const channel = channels.find((candidate) => candidate.id === id);
    if (!channel || channel.kind !== 'relay') return `${label}: "${id}" is not a relay on this controller; pick one of the tank's relays`;
    if (!tank.channelIds.includes(id)) return `${label}: ${channel.name || id} is not one of ${tank.name}'s channels; pick one of the tank's relays`;
    const other = TANK_VALVES.find(([otherRole]) => otherRole !== role && tank.plumbing?.[otherRole] === id);
    if (other) return `${label}: ${channel.name || id} is already the ${other[1].toLowerCase()}; one relay does one job`;
    const elsewhere = tanks.find((candidate) => candidate.id !== tank.id && (candidate.plumbing?.fillValve === id || candidate.plumbing?.drainValve === id));
    if (elsewhere && role !== 'circulation') return `${label}: ${channel.name || id} is a valve of ${elsewhere.name}; pick one of ${tank.name}'s relays`;
  }
  return null;
}
