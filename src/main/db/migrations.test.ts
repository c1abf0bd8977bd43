import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { DatabaseTooNewError, LATEST_VERSION, openStationDatabase } from './index';
import { MIGRATIONS, migrate, schemaVersion } from './migrations';
import { useScratchFolders } from '../../test-support/main/scratch-folder';

const scratch = useScratchFolders();

function pragma(file: string, name: string): unknown {
  const db = new Database(file);
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0];
  } finally {
    db.close();
  }
}

describe('station database migrations', () => {
  it('numbers its steps 1, 2, 3… in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('creates the folder and every table in an empty file, in WAL mode', () => {
    const file = join(scratch(), 'data', 'nested', 'station.db');
    const station = openStationDatabase(file);
    station.close();
    expect(pragma(file, 'user_version')).toBe(LATEST_VERSION);
    expect(pragma(file, 'journal_mode')).toBe('wal');
    const db = new Database(file);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);
    db.close();
    expect(tables).toEqual(
      expect.arrayContaining(['alerts', 'dose_audit', 'flow_calibrations', 'jobs', 'pump_calibrations', 'recipes', 'schedules', 'sensor_channels', 'sensor_minutes', 'sensor_samples', 'settings', 'settings_audit']),
    );
    // The tank layout is settings.json's alone.
    expect(tables).not.toContain('tanks');
    expect(tables).not.toContain('tank_channels');
  });

  it('enforces foreign keys on its connection, so a dose record names only a job that exists', () => {
    const file = join(scratch(), 'station.db');
    const station = openStationDatabase(file);
    const dose = { at: 120, pumpId: 'nut_a', requestedMl: 5, deliveredMl: 5, requestedBy: 'desktop', outcome: 'complete' as const };
    expect(() => station.doseAudit.add({ ...dose, jobId: 42 })).toThrow(/FOREIGN KEY/i);
    station.doseAudit.add({ ...dose, jobId: null });
    expect(station.doseAudit.list()).toHaveLength(1);
    station.close();
  });

  it('drops the tank tables from a version 4 file and keeps everything else', () => {
    const file = join(scratch(), 'station.db');
    const v4 = new Database(file);
    expect(migrate(v4, file, 4)).toEqual({ from: 0, to: 4 });
    v4.exec(`
      INSERT INTO settings (key, value, updated_at) VALUES ('readingAlarms', '{"ph1":{"low":5.5}}', 1);
      INSERT INTO tanks (id, position, name, capacity_l) VALUES ('veg', 0, 'Veg', 100);
      INSERT INTO tank_channels (tank_id, channel_id, position) VALUES ('veg', 'ec1', 0);
    `);
    v4.close();

    const station = openStationDatabase(file);
    expect(station.settings.get('readingAlarms')).toEqual({ ph1: { low: 5.5 } });
    station.close();
    expect(pragma(file, 'user_version')).toBe(LATEST_VERSION);
    const db = new Database(file);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
    db.close();
    expect(tables).not.toContain('tanks');
    expect(tables).not.toContain('tank_channels');
  });

  it('brings a version 1 file up to date and keeps its rows', () => {
    const file = join(scratch(), 'station.db');
    const v1 = new Database(file);
    expect(migrate(v1, file, 1)).toEqual({ from: 0, to: 1 });
    v1.exec(`
      INSERT INTO settings (key, value, updated_at) VALUES ('units', '"metric"', 1);
      INSERT INTO jobs (kind, spec, tank_id, state, requested_by, created_at, started_at, ended_at, progress, detail)
        VALUES ('dose', '{"kind":"dose","pumpId":"nut_a","ml":5}', NULL, 'succeeded', 'desktop', 100, 110, 120, 1, 'dosed 5 mL');
      INSERT INTO alerts (level, code, message, at, source) VALUES ('warning', 'LOW_LEVEL', 'tank is low', 130, 'host');
      INSERT INTO dose_audit (at, pump_id, requested_ml, delivered_ml, job_id, requested_by, outcome)
        VALUES (120, 'nut_a', 5, 5, 1, 'desktop', 'complete');
      INSERT INTO sensor_channels (id, name) VALUES (1, 'ec1');
      INSERT INTO sensor_samples (channel, at, value) VALUES (1, 1000, 1.5), (1, 2000, 1.6);
    `);
    v1.close();

    const station = openStationDatabase(file, { sensorHistory: { flushIntervalMs: 0 } });
    expect(station.settings.get('units')).toBe('metric');
    expect(station.jobs.get(1)).toMatchObject({ kind: 'dose', state: 'succeeded', detail: 'dosed 5 mL', spec: { pumpId: 'nut_a', ml: 5 } });
    expect(station.doseAudit.list()).toEqual([{ at: 120, pumpId: 'nut_a', requestedMl: 5, deliveredMl: 5, jobId: 1, requestedBy: 'desktop', outcome: 'complete' }]);
    expect(station.sensorHistory.query('ec1', 0, 3000)?.points).toEqual([
      [1000, 1.5],
      [2000, 1.6],
    ]);
    // The column version 2 added: empty for old alerts, and usable.
    const [alert] = station.alerts.recent(10);
    expect(alert).toMatchObject({ code: 'LOW_LEVEL', acknowledgedAt: null });
    expect(station.alerts.acknowledge(alert!.id, 140)).toBe(true);
    expect(station.alerts.recent(1)[0]?.acknowledgedAt).toBe(140);
    station.close();
    expect(pragma(file, 'user_version')).toBe(LATEST_VERSION);
  });

  it('gives a version 6 file room for raw probe values and keeps its sensor history', () => {
    const file = join(scratch(), 'station.db');
    const v6 = new Database(file);
    expect(migrate(v6, file, 6)).toEqual({ from: 0, to: 6 });
    v6.exec(`
      INSERT INTO sensor_channels (id, name) VALUES (1, 'ph1');
      INSERT INTO sensor_samples (channel, at, value) VALUES (1, 61000, 5.8), (1, 62000, 5.9);
      INSERT INTO sensor_minutes (channel, minute, min, avg, max, count) VALUES (1, 0, 5.6, 5.7, 5.8, 60), (1, 60000, 5.8, 5.85, 5.9, 2);
      INSERT INTO probe_calibrations (sensor_id, kind, slope, offset, points, calibrated_at, calibrated_by) VALUES ('ph1', 'ph', 1.02, -0.1, '[]', 50, 'Ana');
    `);
    v6.close();

    const station = openStationDatabase(file, { now: () => 63_000, sensorHistory: { flushIntervalMs: 0 } });
    // Recorded before calibrations were kept: no raw values, and the answer has none.
    expect(station.sensorHistory.query('ph1', 0, 63_000)).toEqual({
      channel: 'ph1',
      from: 0,
      to: 63_000,
      points: [
        [30_000, 5.7],
        [61_000, 5.8],
        [62_000, 5.9],
      ],
      downsampled: true,
    });
    expect(station.calibrations.probes()['ph1']).toMatchObject({ slope: 1.02, by: 'Ana' });
    station.sensorHistory.record('ph1', 63_000, 6.1, 6.0);
    station.close();
    expect(pragma(file, 'user_version')).toBe(LATEST_VERSION);
    const db = new Database(file);
    expect(db.prepare('SELECT at, value, raw FROM sensor_samples ORDER BY at').raw().all()).toEqual([
      [61_000, 5.8, null],
      [62_000, 5.9, null],
      [63_000, 6.1, 6.0],
    ]);
    expect(db.prepare('SELECT minute, count, raw_avg, raw_count FROM sensor_minutes ORDER BY minute').raw().all()).toEqual([
      [0, 60, null, 0],
      [60_000, 3, 6.0, 1],
    ]);
    db.close();
  });

  it('opens an up-to-date file without running any step again', () => {
    const file = join(scratch(), 'station.db');
    openStationDatabase(file).close();
    const db = new Database(file);
    expect(migrate(db, file)).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION });
    db.close();
  });

  it('refuses a file from a newer Tendril, naming the file and both versions, and leaves it as it was', () => {
    const file = join(scratch(), 'station.db');
    const newer = new Database(file);
    newer.exec(`CREATE TABLE future (x); PRAGMA user_version = ${LATEST_VERSION + 5}`);
    newer.close();

    let error: unknown;
    try {
      openStationDatabase(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain(`version ${LATEST_VERSION + 5}`);
    expect(message).toContain(`up to ${LATEST_VERSION}`);
    expect(message).toMatch(/newer Tendril/);
    expect(pragma(file, 'user_version')).toBe(LATEST_VERSION + 5);
    expect(pragma(file, 'journal_mode')).toBe('delete');
  });

  it('names the file when it is not a database at all', () => {
    const file = join(scratch(), 'station.db');
    writeFileSync(file, 'grow log, week 3: roots look healthy, EC 1.4, pH 5.9, topped up 20 L of water\n'.repeat(20));
    expect(() => openStationDatabase(file)).toThrow(`could not open the station database ${file}: file is not a database`);
  });

  it('leaves a file at the version before a step that fails, and says which step', () => {
    const file = join(scratch(), 'station.db');
    const v1 = new Database(file);
    migrate(v1, file, 1);
    // As if someone had added the column by hand: version 2 cannot add it again.
    v1.exec('ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER');
    expect(() => migrate(v1, file)).toThrow(new RegExp(`${file}.*schema version 2 \\(alerts can be acknowledged\\).*unchanged at version 1`));
    expect(schemaVersion(v1)).toBe(1);
    v1.close();
  });
});
