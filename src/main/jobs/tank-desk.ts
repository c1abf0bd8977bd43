/**
 * A tank changed by an operator (`tanks.configure`): checked, written to `tanks` in settings.json
 * (only that tank's changed keys; the grower's other keys stay), one audit row per change, and
 * put in the live state at once, where the next job, the valve guards and the overfill watch
 * read it. A station with no tanks in settings.json writes its one tank there on the first edit.
 */
import type { StationChange } from '../../shared/events';
import { Refusal } from '../../shared/refusal';
import type { StationState, Tank } from '../../shared/station';
import { TANK_VALVES, tankProblem, withTankEdit, type TankEdit } from '../../shared/tank-edit';
import { readLayout, SettingsFileError, updateSettingsFile, type Settings } from '../settings';
import type { CapsAudit } from './caps-desk';

export interface TankDeskOptions {
  dataDir: string;
  state(): StationState;
  apply(change: StationChange): void;
  audit: CapsAudit;
  now?: () => number;
  log?: (line: string) => void;
}

export interface TankChange {
  key: string;
  old: string | number | null;
  new: string | number | null;
}

export class TankDesk {
  private readonly now: () => number;
  /** Once a tank is written to settings.json, it is the grower's: no longer made up from the channel table. */
  private written = false;

  get edited(): boolean {
    return this.written;
  }

  constructor(private readonly options: TankDeskOptions) {
    this.now = options.now ?? Date.now;
  }

  configure(tankId: string, edit: TankEdit, by: string): { tank: Tank; changes: TankChange[] } {
    const state = this.options.state();
    const tank = state.tanks.find((candidate) => candidate.id === tankId);
    if (!tank) throw new Refusal('NOT_FOUND', `there is no tank "${tankId}"; the tanks are ${state.tanks.map((t) => `"${t.id}"`).join(', ') || 'none yet'}`);
    const next = withTankEdit(tank, edit);
    const problem = tankProblem(next, state.tanks, state.channels);
    if (problem) throw new Refusal('INVALID', problem);
    const changes = tankChanges(tank, next);
    if (changes.length === 0) return { tank, changes };
    const at = this.now();
    const entries = changes.map((change) => ({ at, by, setting: `tanks.${tankId}.${change.key}`, old: change.old, new: change.new }));
    // The audit rows and settings.json together: a refused file write takes the rows back, and a
    // failed audit write leaves settings.json untouched, so no tank edit goes unrecorded.
    this.options.audit.record(entries, () => this.save(state.tanks, next));
    this.written = true;
    this.options.log?.(`tanks: ${by} changed ${tank.name}: ${changes.map((change) => `${change.key} ${String(change.old)} → ${String(change.new)}`).join(', ')}`);
    this.options.apply({ type: 'tanks_update', tanks: state.tanks.map((candidate) => (candidate.id === tankId ? next : candidate)) });
    return { tank: next, changes };
  }

  private save(tanks: readonly Tank[], next: Tank): void {
    try {
      updateSettingsFile(this.options.dataDir, (settings) => {
        const written = Array.isArray(settings['tanks']) ? (settings['tanks'] as unknown[]) : null;
        const entry = written?.find((candidate): candidate is Settings => isRecord(candidate) && candidate['id'] === next.id);
        if (written && entry) {
          settings['tanks'] = written.map((candidate) => (candidate === entry ? mergeTank(entry, next) : candidate));
        } else if (written) {
          throw new SettingsFileError(`settings.json's tanks do not list "${next.id}"; it was read at start from another file or changed by hand since. Restart the station, then try again. Nothing was changed`);
        } else {
          // No tanks written yet: the one the station made up is written, as edited.
          settings['tanks'] = tanks.map((candidate) => (candidate.id === next.id ? next : withoutRoles(candidate)));
        }
        const read = readLayout(settings, 'settings.json');
        if (read.warning) throw new SettingsFileError(`${read.warning.replace(/; using one tank.*$/, '')}; fix it by hand first. Nothing was changed`);
      });
    } catch (err) {
      if (err instanceof SettingsFileError) throw new Refusal('REFUSED', err.message);
      throw err;
    }
  }
}

function mergeTank(entry: Settings, next: Tank): Settings {
  const merged: Settings = { ...entry, name: next.name, capacityL: next.capacityL };
  for (const key of ['headroomL', 'floorL'] as const) {
    if (next[key] === undefined) delete merged[key];
    else merged[key] = next[key];
  }
  const plumbing: Settings = isRecord(entry['plumbing']) ? { ...entry['plumbing'] } : {};
  for (const [role] of TANK_VALVES) {
    if (next.plumbing?.[role] === undefined) delete plumbing[role];
    else plumbing[role] = next.plumbing[role];
  }
  if (Object.keys(plumbing).length > 0) merged['plumbing'] = plumbing;
  else delete merged['plumbing'];
  return merged;
}

function withoutRoles(tank: Tank): Tank {
  const { roles: _roles, ...kept } = tank;
  return kept;
}

function tankChanges(before: Tank, after: Tank): TankChange[] {
  const changes: TankChange[] = [];
  for (const key of ['name', 'capacityL', 'headroomL', 'floorL'] as const) {
    if (before[key] !== after[key]) changes.push({ key, old: before[key] ?? null, new: after[key] ?? null });
  }
  for (const [role] of TANK_VALVES) {
    const old = before.plumbing?.[role] ?? null;
    const next = after.plumbing?.[role] ?? null;
    if (old !== next) changes.push({ key: `plumbing.${role}`, old, new: next });
  }
  return changes;
}

function isRecord(value: unknown): value is Settings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
