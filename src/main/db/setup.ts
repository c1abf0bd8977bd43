/**
 * How the grower set the station up: settings, calibrations, recipes and schedules. Small
 * tables, read at start-up and written when the grower changes something. The tanks are not
 * here: they come from settings.json, which the grower edits.
 */
import type Database from 'libsql';
import type { Recipe } from '../../shared/jobs';
import type { ProbeCalibration } from '../../shared/probe-calibration';

export interface Settings {
  /** The stored value, or undefined when the key was never set. */
  get(key: string): unknown;
  /** Stores any JSON value; undefined removes the key, as JSON.stringify drops it from objects. */
  set(key: string, value: unknown): void;
  all(): Record<string, unknown>;
}

/** A measured calibration and when it was measured. */
export interface Measured {
  value: number;
  at: number;
}

export interface Calibrations {
  /** Each pump's measured mL/s. */
  pumps(): Record<string, Measured>;
  setPump(pumpId: string, mlPerSecond: number, at: number): void;
  /** Each flow meter's measured pulses per litre. */
  flowMeters(): Record<string, Measured>;
  setFlowMeter(meterId: string, pulsesPerLiter: number, at: number): void;
  /** Forgets a pump's or flow meter's measured figure: the configured one or the default applies again. */
  forgetPump(pumpId: string): void;
  forgetFlowMeter(meterId: string): void;
  /** Each pH and EC probe's calibration in force, by channel id. */
  probes(): Record<string, ProbeCalibration>;
  setProbe(sensorId: string, calibration: ProbeCalibration): void;
  /** Back to uncalibrated; kept as a row of its own, so the record says who reset it and when. */
  resetProbe(sensorId: string, by: string, at: number): void;
}

export interface Recipes {
  all(): Recipe[];
  get(id: string): Recipe | null;
  put(recipe: Recipe): void;
  remove(id: string): boolean;
}

export interface StoredSchedule {
  id: string;
  /** The schedule as its own module defines it; stored as JSON. */
  spec: unknown;
  enabled: boolean;
  lastRunAt: number | null;
  /** Why the station refused its last run, while that is its last run. */
  lastRunSkipped?: string | null;
}

export interface Schedules {
  all(): StoredSchedule[];
  get(id: string): StoredSchedule | null;
  put(schedule: StoredSchedule): void;
  remove(id: string): boolean;
  /** Does nothing when the schedule was removed meanwhile. */
  markRun(id: string, at: number): void;
  /** Why its last run was refused, or null once a run starts its job. */
  markSkipped(id: string, why: string | null): void;
}

export function settingsTable(db: Database.Database, now: () => number): Settings {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?');
  const readAll = db.prepare('SELECT key, value FROM settings ORDER BY key');
  const write = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const erase = db.prepare('DELETE FROM settings WHERE key = ?');
  return {
    get(key) {
      const row = read.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },
    set(key, value) {
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) erase.run(key);
      else write.run(key, text, now());
    },
    all() {
      const settings: Record<string, unknown> = {};
      for (const row of readAll.all() as Array<{ key: string; value: string }>) settings[row.key] = JSON.parse(row.value);
      return settings;
    },
  };
}

function positive(what: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what} must be a positive number, not ${value}`);
}

export function calibrationsTable(db: Database.Database): Calibrations {
  const pumps = db.prepare('SELECT pump_id AS id, ml_per_second AS value, calibrated_at AS at FROM pump_calibrations');
  const meters = db.prepare('SELECT meter_id AS id, pulses_per_liter AS value, calibrated_at AS at FROM flow_calibrations');
  const byId = (rows: unknown[]): Record<string, Measured> =>
    Object.fromEntries((rows as Array<{ id: string; value: number; at: number }>).map((row) => [row.id, { value: row.value, at: row.at }]));
  const writePump = db.prepare(
    'INSERT INTO pump_calibrations (pump_id, ml_per_second, calibrated_at) VALUES (?, ?, ?) ON CONFLICT (pump_id) DO UPDATE SET ml_per_second = excluded.ml_per_second, calibrated_at = excluded.calibrated_at',
  );
  const erasePump = db.prepare('DELETE FROM pump_calibrations WHERE pump_id = ?');
  const eraseMeter = db.prepare('DELETE FROM flow_calibrations WHERE meter_id = ?');
  const writeMeter = db.prepare(
    'INSERT INTO flow_calibrations (meter_id, pulses_per_liter, calibrated_at) VALUES (?, ?, ?) ON CONFLICT (meter_id) DO UPDATE SET pulses_per_liter = excluded.pulses_per_liter, calibrated_at = excluded.calibrated_at',
  );
  // The latest row of each probe; a reset row (kind null) leaves it uncalibrated.
  const probes = db.prepare(
    `SELECT sensor_id, kind, slope, offset, points, calibrated_at, calibrated_by FROM probe_calibrations
     WHERE id IN (SELECT MAX(id) FROM probe_calibrations GROUP BY sensor_id) AND kind IS NOT NULL ORDER BY sensor_id`,
  );
  const writeProbe = db.prepare('INSERT INTO probe_calibrations (sensor_id, kind, slope, offset, points, calibrated_at, calibrated_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    probes() {
      type Row = { sensor_id: string; kind: ProbeCalibration['kind']; slope: number; offset: number; points: string; calibrated_at: number; calibrated_by: string };
      return Object.fromEntries(
        (probes.all() as Row[]).map((row) => [
          row.sensor_id,
          { kind: row.kind, slope: row.slope, offset: row.offset, points: JSON.parse(row.points) as ProbeCalibration['points'], at: row.calibrated_at, by: row.calibrated_by },
        ]),
      );
    },
    setProbe(sensorId, calibration) {
      positive(`the slope of probe ${sensorId}`, calibration.slope);
      if (!Number.isFinite(calibration.offset)) throw new RangeError(`the offset of probe ${sensorId} must be a number, not ${calibration.offset}`);
      writeProbe.run(sensorId, calibration.kind, calibration.slope, calibration.offset, JSON.stringify(calibration.points), calibration.at, calibration.by);
    },
    resetProbe(sensorId, by, at) {
      writeProbe.run(sensorId, null, null, null, '[]', at, by);
    },
    pumps() {
      return byId(pumps.all());
    },
    setPump(pumpId, mlPerSecond, at) {
      positive(`the calibration of pump ${pumpId} (mL/s)`, mlPerSecond);
      writePump.run(pumpId, mlPerSecond, at);
    },
    flowMeters() {
      return byId(meters.all());
    },
    setFlowMeter(meterId, pulsesPerLiter, at) {
      positive(`the calibration of flow meter ${meterId} (pulses per litre)`, pulsesPerLiter);
      writeMeter.run(meterId, pulsesPerLiter, at);
    },
    forgetPump(pumpId) {
      erasePump.run(pumpId);
    },
    forgetFlowMeter(meterId) {
      eraseMeter.run(meterId);
    },
  };
}

export function recipesTable(db: Database.Database, now: () => number): Recipes {
  const readAll = db.prepare('SELECT recipe FROM recipes ORDER BY id');
  const read = db.prepare('SELECT recipe FROM recipes WHERE id = ?');
  const write = db.prepare(
    'INSERT INTO recipes (id, recipe, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET recipe = excluded.recipe, updated_at = excluded.updated_at',
  );
  const erase = db.prepare('DELETE FROM recipes WHERE id = ?');
  return {
    all() {
      return (readAll.all() as Array<{ recipe: string }>).map((row) => JSON.parse(row.recipe) as Recipe);
    },
    get(id) {
      const row = read.get(id) as { recipe: string } | undefined;
      return row ? (JSON.parse(row.recipe) as Recipe) : null;
    },
    put(recipe) {
      write.run(recipe.id, JSON.stringify(recipe), now());
    },
    remove(id) {
      return erase.run(id).changes > 0;
    },
  };
}

interface ScheduleRow {
  id: string;
  spec: string;
  enabled: number;
  last_run_at: number | null;
  last_run_skipped: string | null;
}

const scheduleOf = (row: ScheduleRow): StoredSchedule => ({
  id: row.id,
  spec: JSON.parse(row.spec) as unknown,
  enabled: row.enabled !== 0,
  lastRunAt: row.last_run_at,
  lastRunSkipped: row.last_run_skipped,
});

export function schedulesTable(db: Database.Database, now: () => number): Schedules {
  const readAll = db.prepare('SELECT id, spec, enabled, last_run_at, last_run_skipped FROM schedules ORDER BY id');
  const read = db.prepare('SELECT id, spec, enabled, last_run_at, last_run_skipped FROM schedules WHERE id = ?');
  const write = db.prepare(
    `INSERT INTO schedules (id, spec, enabled, last_run_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, enabled = excluded.enabled, last_run_at = excluded.last_run_at, updated_at = excluded.updated_at`,
  );
  const erase = db.prepare('DELETE FROM schedules WHERE id = ?');
  const ran = db.prepare('UPDATE schedules SET last_run_at = ? WHERE id = ?');
  const skipped = db.prepare('UPDATE schedules SET last_run_skipped = ? WHERE id = ?');
  return {
    all() {
      return (readAll.all() as ScheduleRow[]).map(scheduleOf);
    },
    get(id) {
      const row = read.get(id) as ScheduleRow | undefined;
      return row ? scheduleOf(row) : null;
    },
    put(schedule) {
      write.run(schedule.id, JSON.stringify(schedule.spec ?? null), schedule.enabled ? 1 : 0, schedule.lastRunAt, now());
    },
    remove(id) {
      return erase.run(id).changes > 0;
    },
    markRun(id, at) {
      ran.run(at, id);
    },
    markSkipped(id, why) {
      skipped.run(why, id);
    },
  };
}
