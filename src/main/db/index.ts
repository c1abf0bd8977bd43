/**
 * The station database: one SQLite file in the data folder, through libsql, which loads in plain
 * Node and in Electron alike without rebuilding native code. Everything the station keeps across
 * restarts lives here; other subsystems use the interface below, never the tables.
 */
import { dirname } from 'node:path';
import Database from 'libsql';
import { createPrivateFile, makeFilePrivate, makePrivateFolder } from '../files/private-files';
import { alertsTable, doseAuditTable, fillLogTable, jobsTable, type Alerts, type DoseAudit, type FillLog, type Jobs } from './logbook';
import { migrate, refuseNewer } from './migrations';
import { SensorHistory, type SensorHistoryOptions } from './sensor-history';
import { auditedSettingWriter, settingsAuditTable, type SettingsAudit, type SettingsAuditEntry } from './settings-audit';
import {
  calibrationsTable,
  recipesTable,
  schedulesTable,
  settingsTable,
  type Calibrations,
  type Recipes,
  type Schedules,
  type Settings,
} from './setup';

export { DatabaseTooNewError, LATEST_VERSION } from './migrations';
export type { Alerts, DoseAudit, DoseAuditEntry, FillLog, FillLogEntry, JobPatch, JobRecord, Jobs, StoredAlert } from './logbook';
export type { Calibrations, Measured, Recipes, Schedules, Settings, StoredSchedule } from './setup';
export { SensorHistory, type RetentionReport, type SensorHistoryOptions } from './sensor-history';
export type { SettingsAudit, SettingsAuditEntry } from './settings-audit';
export { doseAuditCsv, jobHistoryCsv, sensorHistoryCsv, toCsv, type CsvCell } from './csv';

/** The database's name in the data folder. */
export const DATABASE_FILE = 'tendril.db';

/** The database and the files SQLite keeps beside it in write-ahead logging. */
export const DATABASE_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`] as const;

/** How long a write waits for another connection (a second Tendril, a backup tool) to finish. */
const BUSY_TIMEOUT_MS = 5000;

export interface StationDatabaseOptions {
  /** The clock for "updated at" stamps and the sensor history; tests pass a fake one. */
  now?: () => number;
  sensorHistory?: Omit<SensorHistoryOptions, 'now'>;
}

export interface StationDatabase {
  readonly file: string;
  /** Writes buffered samples and closes the file. */
  close(): void;
  settings: Settings;
  calibrations: Calibrations;
  recipes: Recipes;
  schedules: Schedules;
  jobs: Jobs;
  alerts: Alerts;
  doseAudit: DoseAudit;
  /** Every fill, from when its water started. */
  fills: FillLog;
  sensorHistory: SensorHistory;
  /** Who changed which setting through a command, when, from what to what. */
  settingsAudit: SettingsAudit;
  /** Stores a setting and its audit row together. */
  changeSetting(key: string, value: unknown, entry: SettingsAuditEntry): void;
}

/**
 * Opens (or creates) the database and brings its schema up to date. Refuses, naming the file and
 * both versions, a file written by a newer Tendril, before changing anything in it.
 */
export function openStationDatabase(file: string, options: StationDatabaseOptions = {}): StationDatabase {
  const now = options.now ?? Date.now;
  const db = openFile(file);
  let sensorHistory: SensorHistory;
  try {
    sensorHistory = new SensorHistory(db, { ...options.sensorHistory, now });
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    file,
    close() {
      try {
        sensorHistory.close();
      } finally {
        db.close();
      }
    },
    settings: settingsTable(db, now),
    calibrations: calibrationsTable(db),
    recipes: recipesTable(db, now),
    schedules: schedulesTable(db, now),
    jobs: jobsTable(db),
    alerts: alertsTable(db),
    doseAudit: doseAuditTable(db),
    fills: fillLogTable(db),
    sensorHistory,
    settingsAudit: settingsAuditTable(db),
    changeSetting: auditedSettingWriter(db, now),
  };
}

function openFile(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    // The dose audit, the grower's names and history are nobody else's: the file is created 0600
    // before SQLite opens it, and SQLite gives its -wal and -shm files the database's own mode.
    makePrivateFolder(dirname(file));
    createPrivateFile(file);
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    refuseNewer(db, file);
    // WAL lets the LAN server read history while samples are being written, and a commit is a
    // sequential append rather than a rewrite of pages in place.
    const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string };
    if (mode.journal_mode !== 'wal') {
      throw new Error(`the station database ${file} cannot use write-ahead logging (journal mode stayed "${mode.journal_mode}"); keep the data folder on a local disk`);
    }
    // In WAL mode NORMAL syncs the disk at checkpoints rather than at every commit. A commit still
    // survives Tendril crashing or being killed; only a power cut can lose the last few commits,
    // and even then the file stays consistent. FULL would make every one-second flush of sensor
    // samples wait for an SD card to sync.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, file);
    // Whatever the umask, and for a -wal or -shm left looser by a crash of an older Tendril.
    for (const part of [file, `${file}-wal`, `${file}-shm`]) makeFilePrivate(part);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof Error && err.message.includes(file)) throw err;
    throw new Error(`could not open the station database ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
