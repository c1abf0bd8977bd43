/**
 * The station database's schema, as an ordered list of steps. `PRAGMA user_version` holds the
 * number of steps a file has taken, so opening a file runs exactly the steps it lacks, each in
 * its own transaction: a step that fails leaves the file at the version before it, never halfway.
 *
 * Add a step at the end; never edit one that has shipped, because growers' files already ran it.
 */
import type Database from 'libsql';

export interface Migration {
  version: number;
  /** What the step adds, for error messages. */
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'the station, its logbook and its sensor history',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Tank fields beyond the ones every tank has (plumbing, headroom, ...) grow as the jobs
        -- learn more, so they ride along as JSON in fittings and need no migration of their own.
        CREATE TABLE tanks (
          id TEXT PRIMARY KEY,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          capacity_l REAL NOT NULL,
          fittings TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE tank_channels (
          tank_id TEXT NOT NULL REFERENCES tanks (id) ON DELETE CASCADE,
          channel_id TEXT NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (tank_id, channel_id)
        ) WITHOUT ROWID;

        CREATE TABLE pump_calibrations (
          pump_id TEXT PRIMARY KEY,
          ml_per_second REAL NOT NULL CHECK (ml_per_second > 0),
          calibrated_at INTEGER NOT NULL
        );
        CREATE TABLE flow_calibrations (
          meter_id TEXT PRIMARY KEY,
          pulses_per_liter REAL NOT NULL CHECK (pulses_per_liter > 0),
          calibrated_at INTEGER NOT NULL
        );

        CREATE TABLE recipes (
          id TEXT PRIMARY KEY,
          recipe TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE schedules (
          id TEXT PRIMARY KEY,
          spec TEXT NOT NULL,
          enabled INTEGER NOT NULL,
          last_run_at INTEGER,
          updated_at INTEGER NOT NULL
        );

        -- AUTOINCREMENT so a job number is never handed out twice, even after the newest job is
        -- deleted: the dose audit and exported CSVs refer to jobs by number.
        CREATE TABLE jobs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL,
          spec TEXT NOT NULL,
          tank_id TEXT,
          state TEXT NOT NULL,
          requested_by TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          progress REAL NOT NULL DEFAULT 0,
          detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX jobs_unfinished ON jobs (state) WHERE state IN ('queued', 'running', 'paused');

        CREATE TABLE alerts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          level TEXT NOT NULL,
          code TEXT NOT NULL,
          message TEXT NOT NULL,
          at INTEGER NOT NULL,
          source TEXT NOT NULL
        );

        CREATE TABLE dose_audit (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          pump_id TEXT NOT NULL,
          requested_ml REAL NOT NULL,
          delivered_ml REAL NOT NULL,
          job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
          requested_by TEXT NOT NULL,
          outcome TEXT NOT NULL
        );
        CREATE INDEX dose_audit_by_pump ON dose_audit (pump_id, at);
        CREATE INDEX dose_audit_by_time ON dose_audit (at);

        -- Samples are the bulk of the file: a small integer channel and a clustered
        -- (channel, at) key keep a row near 20 bytes and a chart's range one contiguous read.
        CREATE TABLE sensor_channels (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE sensor_samples (
          channel INTEGER NOT NULL,
          at INTEGER NOT NULL,
          value REAL NOT NULL,
          PRIMARY KEY (channel, at)
        ) WITHOUT ROWID;
        CREATE TABLE sensor_minutes (
          channel INTEGER NOT NULL,
          minute INTEGER NOT NULL,
          min REAL NOT NULL,
          avg REAL NOT NULL,
          max REAL NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (channel, minute)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'alerts can be acknowledged',
    up(db) {
      db.exec('ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER');
    },
  },
  {
    version: 3,
    name: 'alerts fold their repeats and say who acknowledged them',
    up(db) {
      db.exec(`
        ALTER TABLE alerts ADD COLUMN subject TEXT;
        ALTER TABLE alerts ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE alerts ADD COLUMN last_at INTEGER;
        ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
      `);
    },
  },
  {
    version: 4,
    name: 'an audit of who changed which setting, when, from what to what',
    up(db) {
      db.exec(`
        CREATE TABLE settings_audit (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          changed_by TEXT NOT NULL,
          setting TEXT NOT NULL,
          old_value TEXT,
          new_value TEXT
        );
        CREATE INDEX settings_audit_by_time ON settings_audit (at);
      `);
    },
  },
  {
    version: 5,
    name: 'tanks come from settings.json alone',
    up(db) {
      // The tank layout is the grower's settings.json; these tables were never written outside
      // tests, and a second copy could only disagree with the file. Channels first: they point
      // at the tanks.
      db.exec(`
        DROP TABLE tank_channels;
        DROP TABLE tanks;
      `);
    },
  },
  {
    version: 6,
    name: 'pH and EC probe calibrations, each with its points and who made it',
    up(db) {
      // Every calibration and every reset is kept; the latest row of a probe is the one in force.
      // A reset leaves kind, slope and offset null.
      db.exec(`
        CREATE TABLE probe_calibrations (
          id INTEGER PRIMARY KEY,
          sensor_id TEXT NOT NULL,
          kind TEXT,
          slope REAL,
          offset REAL,
          points TEXT NOT NULL DEFAULT '[]',
          calibrated_at INTEGER NOT NULL,
          calibrated_by TEXT NOT NULL
        );
        CREATE INDEX probe_calibrations_by_sensor ON probe_calibrations (sensor_id, id);
      `);
    },
  },
  {
    version: 7,
    name: 'sensor history keeps a calibrated probe\'s raw value beside its reading',
    up(db) {
      // Null where the probe was not calibrated. A minute counts its raw values apart from its
      // samples: calibrated from mid-minute on, its raw average stands for only those samples.
      db.exec(`
        ALTER TABLE sensor_samples ADD COLUMN raw REAL;
        ALTER TABLE sensor_minutes ADD COLUMN raw_avg REAL;
        ALTER TABLE sensor_minutes ADD COLUMN raw_count INTEGER NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    version: 8,
    name: 'a schedule keeps why its last run was skipped',
    up(db) {
      // Null when the last run started its job; after a restart the row still says it was skipped.
      db.exec('ALTER TABLE schedules ADD COLUMN last_run_skipped TEXT');
    },
  },
  {
    version: 9,
    name: 'a log of every fill, when its water started',
    up(db) {
      // A recipe fills minutes after it starts (a water change drains first); the chart marks the
      // fill when water went in. filled_l stays null until the fill ends: a crash leaves it unknown.
      db.exec(`
        CREATE TABLE fill_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          tank_id TEXT NOT NULL,
          job_id INTEGER,
          filled_l REAL
        );
        CREATE INDEX fill_log_by_time ON fill_log (at);
      `);
    },
  },
];

export const LATEST_VERSION = MIGRATIONS.length;

/** A file written by a newer Tendril: its schema has steps this one does not know. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly version: number,
    readonly latest: number,
  ) {
    super(
      `the station database ${file} is at schema version ${version}, but this Tendril knows versions up to ${latest}: ` +
        'it was last opened by a newer Tendril. Update Tendril, or move the file aside to start with an empty database.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

export function refuseNewer(db: Database.Database, file: string): void {
  const version = schemaVersion(db);
  if (version > LATEST_VERSION) throw new DatabaseTooNewError(file, version, LATEST_VERSION);
}

/**
 * Brings the file up to `target` (the latest unless a test wants an older shape) and returns the
 * versions it went from and to.
 */
export function migrate(db: Database.Database, file: string, target = LATEST_VERSION): { from: number; to: number } {
  refuseNewer(db, file);
  const from = schemaVersion(db);
  for (const migration of MIGRATIONS) {
    if (migration.version > target) break;
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the
    // same file cannot both run a step; the one that waited sees the step done and skips it.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (schemaVersion(db) < migration.version) {
        migration.up(db);
        db.exec(`PRAGMA user_version = ${migration.version}`);
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(
        `could not bring the station database ${file} to schema version ${migration.version} (${migration.name}): ${reason}; the file is unchanged at version ${schemaVersion(db)}`,
        { cause: err },
      );
    }
  }
  return { from, to: schemaVersion(db) };
}
