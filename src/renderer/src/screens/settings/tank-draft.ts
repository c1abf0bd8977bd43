/**
 * A tank as Settings → Tanks edits it: volumes typed as text in the grower's unit (litres, or
 * gallons with US units, converted exactly to the litres the station keeps), valves picked from the tank's
 * relays ("" lets the station work it out from the names), checked with the station's own rules
 * (shared/tank-edit.ts) so a field says what is wrong before anything is sent.
 */
import type { Channel, Tank } from '../../../../shared/station';
import { TANK_EDIT_SCHEMA, TANK_VALVES, tankProblem, withTankEdit, type TankEdit } from '../../../../shared/tank-edit';
import { numberFromText } from '../../format';
import { formatLiters, litersFrom, tankVolumeUnit, type UnitSystem } from '../../units';
import { volumesIn } from '../../volume-words';

export interface TankDraft {
  name: string;
  capacityL: string;
  headroomL: string;
  floorL: string;
  fillValve: string;
  drainValve: string;
  circulation: string;
}

export type TankField = keyof TankDraft;

/** Litres as typed in the grower's unit: gallons to two places at most, so 100 L reads 26.42. */
function volumeText(liters: number | undefined, system: UnitSystem): string {
  if (liters === undefined) return '';
  return system === 'metric' ? String(liters) : String(Number((liters / litersFrom(1, system)).toFixed(2)));
}

export function tankDraftOf(tank: Tank, system: UnitSystem = 'metric'): TankDraft {
  const text = (value: number | undefined) => volumeText(value, system);
  return {
    name: tank.name,
    capacityL: text(tank.capacityL),
    headroomL: text(tank.headroomL),
    floorL: text(tank.floorL),
    fillValve: tank.plumbing?.fillValve ?? '',
    drainValve: tank.plumbing?.drainValve ?? '',
    circulation: tank.plumbing?.circulation ?? '',
  };
}

export interface TankChangeLine {
  label: string;
  old: string;
  new: string;
}

export type TankDraftCheck = { ok: true; edit: TankEdit; changes: TankChangeLine[] } | { ok: false; problems: Partial<Record<TankField, string>>; problem?: string };

const LABELS: Record<TankField, string> = {
  name: 'Name',
  capacityL: 'Capacity',
  headroomL: 'Headroom',
  floorL: 'Floor',
  fillValve: 'Fill valve',
  drainValve: 'Drain valve',
  circulation: 'Circulation',
};

/** The edit a draft asks for (only what it changes), or what is wrong with it. */
export function checkTankDraft(draft: TankDraft, tank: Tank, tanks: readonly Tank[], channels: readonly Channel[], system: UnitSystem = 'metric'): TankDraftCheck {
  const problems: Partial<Record<TankField, string>> = {};
  const edit: TankEdit = {};
  const changes: TankChangeLine[] = [];
  const nameOf = (id: string | undefined) => (id ? channels.find((channel) => channel.id === id)?.name || id : 'worked out from the names');
  const litres = (value: number | undefined, fallback: string) => (value === undefined ? fallback : system === 'metric' ? `${value} L` : formatLiters(value, system));
  const shown = tankDraftOf(tank, system);
  const unit = tankVolumeUnit(system);
  const units = unit === 'L' ? 'litres' : 'gallons';
  const bound = (liters: number) => volumeText(liters, system);

  if (draft.name.trim() !== tank.name) {
    const parsed = TANK_EDIT_SCHEMA.shape.name.safeParse(draft.name.trim());
    if (!parsed.success) problems.name = 'Enter a name of 1 to 60 characters on one line.';
    else edit.name = draft.name.trim();
  }
  for (const field of ['capacityL', 'headroomL', 'floorL'] as const) {
    // A value left as shown is the tank's own, not its rounded gallons sent back as a change.
    if (draft[field].trim() === shown[field]) continue;
    const entered = numberFromText(draft[field]);
    if (entered === undefined && field === 'capacityL') {
      problems[field] = `Enter how many ${units} the tank holds.`;
      continue;
    }
    // Headroom and floor left empty keep the station's default; one already set is kept.
    if (entered === undefined) continue;
    const typed = Number.isNaN(entered) ? entered : litersFrom(entered, system);
    const least = field === 'capacityL' ? 0.1 : 0;
    if (Number.isNaN(typed) || typed < least || typed > 100_000) {
      problems[field] = `Enter a number of ${units}, ${bound(least)} to ${bound(100_000)}.`;
      continue;
    }
    if (typed !== tank[field]) edit[field] = typed;
  }
  const plumbing: NonNullable<TankEdit['plumbing']> = {};
  for (const [role] of TANK_VALVES) {
    const picked = draft[role] === '' ? undefined : draft[role];
    if (picked !== tank.plumbing?.[role]) plumbing[role] = picked ?? null;
  }
  if (Object.keys(plumbing).length > 0) edit.plumbing = plumbing;
  if (Object.keys(problems).length > 0) return { ok: false, problems };

  const next = withTankEdit(tank, edit);
  const problem = tankProblem(next, tanks, channels);
  if (problem) {
    const valve = TANK_VALVES.find(([, label]) => problem.startsWith(`${label}:`));
    const sentence = volumesIn(`${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`, system);
    if (valve) return { ok: false, problems: { [valve[0]]: sentence } };
    return { ok: false, problems: { floorL: sentence } };
  }
  if (edit.name !== undefined) changes.push({ label: LABELS.name, old: tank.name, new: edit.name });
  for (const field of ['capacityL', 'headroomL', 'floorL'] as const) {
    if (edit[field] !== undefined) changes.push({ label: LABELS[field], old: litres(tank[field], 'the default'), new: litres(edit[field], 'the default') });
  }
  for (const [role] of TANK_VALVES) {
    if (plumbing[role] !== undefined) changes.push({ label: LABELS[role], old: nameOf(tank.plumbing?.[role]), new: nameOf(plumbing[role] ?? undefined) });
  }
  return { ok: true, edit, changes };
}
