/**
 * The probe calibration reminder and the raw value on a whole station: the core on the simulated
 * controller, its calibrations and sensor history in a real SQLite file, on a fake clock from the
 * tests' fixed instant so days pass without waiting.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProbeCalibration } from '../../shared/probe-calibration';
import type { Alert } from '../../shared/station';
import { openStationDatabase, type StationDatabase } from '../db';
import { StationSimulator } from '../simulator';
import { createStationCore, type StationCore } from '../station';
import { TEST_START } from '../../test-support/main/fake-time';
import { growerDoor } from '../../test-support/main/jobs';
import { settle, useFakeClock } from '../../test-support/main/test-host';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  useFakeClock();
  // Cleanups run last first: this one, pushed before any station's, runs after them all.
  cleanups.push(() => {
    vi.useRealTimers();
  });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

async function until(done: () => boolean, withinMs: number, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 100) {
    if (waited >= withinMs) throw new Error(`${what}: not within ${withinMs} ms of simulated time`);
    await advance(100);
  }
}

/** A data folder with settings.json and a station database holding these calibrations. */
function dataFolder(settings: Record<string, unknown>, calibrations: Record<string, ProbeCalibration>): { dataDir: string; file: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-probe-reminder-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const file = join(dataDir, 'tendril.db');
  const db = openStationDatabase(file);
  for (const [sensorId, calibration] of Object.entries(calibrations)) db.calibrations.setProbe(sensorId, calibration);
  db.close();
  return { dataDir, file };
}

interface Station {
  core: StationCore;
  simulator: StationSimulator;
  db: StationDatabase;
  stop(): Promise<void>;
}

/** Starts the core on its database; `ready` waits for the controller's handshake too. */
async function start(dataDir: string, file: string, ready = true): Promise<Station> {
  const db = openStationDatabase(file);
  const simulator = new StationSimulator({ seed: 3 });
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator, database: db });
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    stopping ??= core.shutdown().then(() => db.close());
    await advance(3_000);
    await stopping;
  };
  cleanups.push(stop);
  await core.start();
  if (ready) await until(() => core.state().link.status === 'ready' && core.state().tanks.length === 1, 5_000, 'the simulated link');
  return { core, simulator, db, stop };
}

const phCalibration = (daysOld: number): ProbeCalibration => ({ kind: 'ph', slope: 1.02, offset: -0.1, points: [], at: TEST_START - daysOld * DAY, by: 'Ana' });
const reminders = (core: StationCore): Alert[] => core.state().alerts.filter((alert) => alert.code === 'PROBE_CALIBRATION_DUE');

describe('the probe calibration reminder on a station', () => {
  it('is raised as the station starts, before the controller has sent a reading, for each calibration past its age', async () => {
    const { dataDir, file } = dataFolder({}, { ph1: phCalibration(40), ec1: { ...phCalibration(10), kind: 'ec', offset: 0 } });
    const { core } = await start(dataDir, file, false);
    expect(core.state().readings).toEqual({});
    expect(reminders(core)).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: 'the pH probe ph1 was last calibrated 40 days ago; calibrate the pH probe again in Settings → Calibration',
        subject: 'calibration:ph1',
      }),
    ]);
  });

  it('takes its age from settings.json, and raises nothing when set to 0', async () => {
    const calibrations = { ph1: phCalibration(40), ec1: { ...phCalibration(10), kind: 'ec' as const, offset: 0 } };
    const week = dataFolder({ sensorHealth: { calibrationReminderDays: 7 } }, calibrations);
    const weekly = await start(week.dataDir, week.file, false);
    expect(reminders(weekly.core).map((alert) => alert.subject).sort()).toEqual(['calibration:ec1', 'calibration:ph1']);
    await weekly.stop();

    const never = dataFolder({ sensorHealth: { calibrationReminderDays: 0 } }, calibrations);
    const quiet = await start(never.dataDir, never.file);
    await advance(2000);
    expect(reminders(quiet.core)).toEqual([]);
  });

  it('folds its hourly repeats into one alert while due, is settled once the probe is calibrated again, and does not return after a restart', async () => {
    const { dataDir, file } = dataFolder({}, { ph1: phCalibration(40) });
    const first = await start(dataDir, file);
    expect(reminders(first.core)).toHaveLength(1);
    // Looked at again with the first reading an hour on: the same alert, counted twice.
    await advance(HOUR + 1000);
    expect(reminders(first.core)).toEqual([expect.objectContaining({ count: 2 })]);

    const door = growerDoor(first.core);
    for (const solution of [4, 7]) {
      first.simulator.faults.dipProbe('ph1', solution);
      await advance(31_000);
      await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution });
    }
    await door.ok({ type: 'calibration.probe.save', sensorId: 'ph1' });
    // Whoever calibrated it has seen to the reminder.
    expect(reminders(first.core)).toEqual([expect.objectContaining({ count: 2, ack: { by: 'Ana (LAN screen)', at: Date.now() } })]);
    first.simulator.faults.dipProbe('ph1', null);
    await advance(HOUR + 1000);
    expect(reminders(first.core)).toEqual([expect.objectContaining({ count: 2 })]);
    await first.stop();

    // Neither raised again nor brought back as waiting when the station restarts a day later.
    vi.setSystemTime(Date.now() + DAY);
    const second = await start(dataDir, file);
    expect(reminders(second.core)).toEqual([]);
  });

  it('records a calibrated probe’s raw value beside its reading in the station’s history', async () => {
    const { dataDir, file } = dataFolder({}, { ph1: phCalibration(1) });
    const { core, db } = await start(dataDir, file);
    await advance(5_000);
    const now = Date.now();
    const history = core.history.query('ph1', now - 5_000, now)!;
    expect(history.points.length).toBeGreaterThanOrEqual(4);
    const raw = history.raw!;
    expect(raw).toHaveLength(history.points.length);
    // Calibrated pH is kept to three decimals.
    history.points.forEach(([, value], i) => expect(value).toBeCloseTo(1.02 * raw[i]! - 0.1, 2));
    // A probe without a calibration keeps no raw value.
    expect(core.history.query('ec1', now - 5_000, now)).not.toHaveProperty('raw');
    db.sensorHistory.flush();
    const rows = new Database(file);
    expect((rows.prepare("SELECT count(*) AS n FROM sensor_samples s JOIN sensor_channels c ON c.id = s.channel WHERE c.name = 'ph1' AND s.raw IS NOT NULL").get() as { n: number }).n).toBeGreaterThanOrEqual(4);
    rows.close();
  });
});
