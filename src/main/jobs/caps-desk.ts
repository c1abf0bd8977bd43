/**
 * The caps changed by an operator (`safety.configure`): checked against their bounds and the
 * controller's, written to `safety` in settings.json, one audit row per cap changed, and put in
 * the live state at once.
 *
 * Every check a job makes reads the caps in force at that moment, so a change applies to the
 * next job and to the next check of a running one: an adjustment between steps doses under the
 * new step and total caps, a recipe's next dose meets the new per-dose cap. A dose already on the
 * pump finishes under the bound it was sent with, which the controller holds it to.
 */
import { capChanges, capsProblem, withCaps, type CapChange, type SafetyEdit } from '../../shared/caps';
import type { StationChange } from '../../shared/events';
import { Refusal } from '../../shared/refusal';
import type { StationState } from '../../shared/station';
import type { SettingsAuditEntry } from '../db/settings-audit';
import { readSafety, SettingsFileError, updateSettingsFile, type Settings } from '../settings';
import type { SafetyLimits } from './limits';

/** Where each change is recorded: the database's settings audit, or memory. */
export interface CapsAudit {
  add(entry: SettingsAuditEntry): void;
  /** The entries written with the change they record, both or neither (see SettingsAudit.record). */
  record(entries: readonly SettingsAuditEntry[], keep: () => void): void;
}

export interface CapsDeskOptions {
  /** The data folder holding settings.json. */
  dataDir: string;
  state(): StationState;
  apply(change: StationChange): void;
  audit: CapsAudit;
  now?: () => number;
  log?: (line: string) => void;
}

export class CapsDesk {
  private readonly now: () => number;

  constructor(private readonly options: CapsDeskOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Applies an edit; a refusal changes nothing, in the file, the audit or on any screen. */
  configure(edit: SafetyEdit, by: string): { limits: SafetyLimits; changes: CapChange[] } {
    const state = this.options.state();
    const before = state.limits;
    const after = withCaps(before, edit);
    const problem = capsProblem(after, state.channels);
    if (problem) throw new Refusal('INVALID', problem);
    const nameOf = (id: string) => state.channels.find((channel) => channel.id === id)?.name || id;
    const changes = capChanges(before, after, nameOf);
    if (changes.length === 0) return { limits: before, changes };
    const at = this.now();
    const entries = changes.map((change) => ({ at, by, setting: `safety.${change.key}`, old: change.old, new: change.new }));
    // The audit rows and settings.json together, as for a tank: no cap changes unrecorded.
    this.options.audit.record(entries, () => this.save(edit));
    this.options.log?.(`safety: ${by} changed ${changes.map((change) => `${change.key} ${String(change.old)} → ${String(change.new)}`).join(', ')}`);
    this.options.apply({ type: 'limits_update', limits: after });
    return { limits: after, changes };
  }

  /**
   * Writes only the keys edited, into the section as the grower wrote it, so hand-written keys
   * (a pump's own cap, mlPerUnit) stay. A section the station could not read at start is left
   * for the grower to fix: writing into it would keep what is wrong and hide it.
   */
  private save(edit: SafetyEdit): void {
    try {
      updateSettingsFile(this.options.dataDir, (settings) => {
        const safety = record(settings['safety']);
        for (const part of ['pump', 'fill', 'drain', 'loop'] as const) {
          const values = edit[part];
          if (values) safety[part] = { ...record(safety[part]), ...definedOf(values) };
        }
        if (edit.pumps) {
          const pumps = record(safety['pumps']);
          for (const [pumpId, caps] of Object.entries(edit.pumps)) {
            if (caps === null) delete pumps[pumpId];
            else pumps[pumpId] = { ...record(pumps[pumpId]), ...definedOf(caps) };
          }
          safety['pumps'] = pumps;
        }
        const read = readSafety(safety);
        if (read.warning) {
          throw new SettingsFileError(`settings.json's ${read.warning.replace(/; using the default safety limits until it is fixed$/, '')}; fix it by hand first. Nothing was changed`);
        }
        settings['safety'] = safety;
      });
    } catch (err) {
      if (err instanceof SettingsFileError) throw new Refusal('REFUSED', err.message);
      throw err;
    }
  }
}

function record(value: unknown): Settings {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Settings) } : {};
}

function definedOf(values: object): Settings {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** Changes kept in memory, for a station run without a database. */
export function memoryCapsAudit(): CapsAudit & { entries: SettingsAuditEntry[] } {
  const entries: SettingsAuditEntry[] = [];
  return {
    entries,
    add: (entry) => void entries.push(entry),
    record(added, keep) {
      keep();
      entries.push(...added);
    },
  };
}
