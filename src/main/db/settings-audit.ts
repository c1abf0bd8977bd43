/**
 * Who changed which setting, when, and from what to what: one row per change an operator makes
 * through a command (reading alarm limits, for now). Kept like the dose audit, for a season.
 */
import type Database from 'libsql';

export interface SettingsAuditEntry {
  at: number;
  /** The screen's or person's name the command came from ("desktop", "Ana's phone"). */
  by: string;
  /** What was changed, such as "readingAlarms sensor ph1". */
  setting: string;
  /** The value before and after, as JSON values; null when there was none. */
  old: unknown;
  new: unknown;
}

export interface SettingsAudit {
  add(entry: SettingsAuditEntry): void;
  /**
   * The entries and the change they record, in one transaction: `keep` (which writes the change
   * elsewhere, such as settings.json) runs only once every row is in, and a throw from it takes
   * the rows back out, so a change is never kept without its record, nor recorded without being kept.
   */
  record(entries: readonly SettingsAuditEntry[], keep: () => void): void;
  /** Oldest first; both ends inclusive. */
  list(range?: { from?: number; to?: number }): SettingsAuditEntry[];
}

interface AuditRow {
  at: number;
  changed_by: string;
  setting: string;
  old_value: string | null;
  new_value: string | null;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
const parsed = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

export function settingsAuditTable(db: Database.Database): SettingsAudit {
  const insert = db.prepare('INSERT INTO settings_audit (at, changed_by, setting, old_value, new_value) VALUES (?, ?, ?, ?, ?)');
  const readRange = db.prepare('SELECT at, changed_by, setting, old_value, new_value FROM settings_audit WHERE at >= ? AND at <= ? ORDER BY at, id');
  const add = (entry: SettingsAuditEntry): void => void insert.run(entry.at, entry.by, entry.setting, json(entry.old), json(entry.new));
  const record = db.transaction((entries: readonly SettingsAuditEntry[], keep: () => void) => {
    for (const entry of entries) add(entry);
    keep();
  }) as (entries: readonly SettingsAuditEntry[], keep: () => void) => void;
  return {
    add,
    record,
    list(range = {}) {
      const rows = readRange.all(range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER) as AuditRow[];
      return rows.map((row) => ({ at: row.at, by: row.changed_by, setting: row.setting, old: parsed(row.old_value), new: parsed(row.new_value) }));
    },
  };
}

/**
 * A setting stored in the settings table together with its audit row, in one transaction: a
 * change is never kept without its record, nor recorded without being kept.
 */
export function auditedSettingWriter(db: Database.Database, now: () => number) {
  const write = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const audit = settingsAuditTable(db);
  return db.transaction((key: string, value: unknown, entry: SettingsAuditEntry) => {
    write.run(key, JSON.stringify(value), now());
    audit.add(entry);
  }) as (key: string, value: unknown, entry: SettingsAuditEntry) => void;
}
