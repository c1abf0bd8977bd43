/**
 * Reading alarms on a whole station: the core on the simulated controller raises READING_HIGH
 * and READING_BACK as a probe's value moves, and operators change the limits over a real
 * Socket.IO connection, kept in a real SQLite file with an audit row.
 *
 * The station alone runs on the fake clock from the tests' fixed instant, so readings and hold
 * times pass without waiting; the LAN's real sockets keep the real clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_READING_ALARMS } from '../../shared/reading-alarms';
import { createStationControl } from '../control';
import { openStationDatabase, type StationDatabase } from '../db';
import { createLanServer } from '../lan';
import { TokenStore } from '../lan/access';
import { StationSimulator } from '../simulator';
import { createStationCore, type StationCore } from '../station';
import { OPERATOR_TOKEN, TestScreen, VIEWER_TOKEN } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';
import { settle, useFakeClock } from '../../test-support/main/test-host';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-alarms-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The core on the simulator in-process, on the real clock its LAN server's sockets need. */
async function station(dataDir: string, database: StationDatabase): Promise<{ core: StationCore; simulator: StationSimulator }> {
  const simulator = new StationSimulator({ timeScale: 1 });
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator, database });
  cleanups.push(() => core.shutdown());
  await core.start();
  await waitFor(() => core.state().link.status === 'ready' && core.state().tanks.length === 1, 10_000, 'the simulated link');
  return { core, simulator };
}

/** Moves the fake clock, letting streams and promises run between its steps. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settle();
}

/** Advances until `done` holds, at most `withinMs` of simulated time. */
async function until(done: () => boolean, withinMs: number, what: string): Promise<void> {
  const step = 100;
  for (let waited = 0; !done(); waited += step) {
    if (waited >= withinMs) throw new Error(`${what}: not within ${withinMs} ms of simulated time`);
    await advance(step);
  }
}

/** Puts the clock on the fake one, and back on the real one after the station has stopped. */
function onFakeClock(): void {
  useFakeClock();
  // Cleanups run last first: this one, pushed before any station's, runs after them all.
  cleanups.push(() => {
    vi.useRealTimers();
  });
}

interface SimulatedStation {
  core: StationCore;
  simulator: StationSimulator;
  stop(): Promise<void>;
}

/** The core on the simulator in-process, on the fake clock: a reading a second, without waiting. */
async function stationOnFakeClock(dataDir: string, database: StationDatabase): Promise<SimulatedStation> {
  const simulator = new StationSimulator({ seed: 3 });
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator, database });
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    stopping ??= core.shutdown();
    await advance(3_000);
    await stopping;
  };
  cleanups.push(stop);
  await core.start();
  await until(() => core.state().link.status === 'ready' && core.state().tanks.length === 1, 5_000, 'the simulated link');
  return { core, simulator, stop };
}

function database(dataDir: string): StationDatabase {
  const db = openStationDatabase(join(dataDir, 'tendril.db'));
  cleanups.push(() => db.close());
  return db;
}

const PH_NO_HOLD = { ...DEFAULT_READING_ALARMS.kinds.ph, holdSeconds: 0 };

describe('reading alarms on the station', () => {
  beforeEach(onFakeClock);

  it('raises READING_HIGH when pH goes past its critical limit, and READING_BACK when it returns', async () => {
    const dataDir = dataFolder();
    const { core, simulator } = await stationOnFakeClock(dataDir, database(dataDir));
    core.alarms.configure({ sensorId: 'ph1' }, PH_NO_HOLD, 'desktop');

    simulator.faults.stickSensor('ph1', 7.9);
    await until(() => core.state().readingBands['ph1']?.zone === 'critical_high', 10_000, 'pH marked critical high');
    const high = core.state().alerts.find((alert) => alert.code === 'READING_HIGH');
    expect(high).toMatchObject({ level: 'error', source: 'host' });
    expect(high?.message).toBe('Main tank: pH is high at 7.90, above the critical limit of 7.0');
    expect(core.state().readingBands['ph1']).toMatchObject({ zone: 'critical_high', limit: 7.0 });

    simulator.faults.stickSensor('ph1', 6.0);
    await until(() => core.state().readingBands['ph1']?.zone === 'in_band', 10_000, 'pH back in band');
    const back = core.state().alerts.find((alert) => alert.code === 'READING_BACK');
    expect(back).toMatchObject({ level: 'info' });
    expect(back?.message).toBe('Main tank: pH is back in band at 6.00; it had been above the critical limit of 7.0');
    // Each crossing raised once, however many readings came in meanwhile.
    expect(core.state().alerts.filter((alert) => alert.code.startsWith('READING_')).map((alert) => alert.code)).toEqual(['READING_HIGH', 'READING_BACK']);
  });

  it('holds a crossing back for the hold time', async () => {
    const dataDir = dataFolder();
    const { core, simulator } = await stationOnFakeClock(dataDir, database(dataDir));
    // Two seconds of readings out of band before it counts.
    core.alarms.configure({ sensorId: 'ec1' }, { ...DEFAULT_READING_ALARMS.kinds.ec, holdSeconds: 2 }, 'desktop');
    const outOfBandAt: number[] = [];
    core.onEvent((event) => {
      if (event.type === 'ecph_reading' && event.sensorId === 'ec1' && event.value === 3.4) outOfBandAt.push(event.at);
    });
    simulator.faults.stickSensor('ec1', 3.4);
    const stuckAt = Date.now();
    await until(() => core.state().readingBands['ec1']?.zone === 'critical_high', 10_000, 'EC marked critical high');
    expect(core.state().readingBands['ec1']!.since - stuckAt).toBeGreaterThanOrEqual(2000);
    // Counted from the first reading out of band, to the reading two seconds after it.
    expect(core.state().readingBands['ec1']!.since - outOfBandAt[0]!).toBe(2000);
  });
});

describe('alarms.configure over the LAN', () => {
  it('lets an operator change limits, refuses a viewer and invalid limits, keeps them, and audits who changed what', async () => {
    const dataDir = dataFolder();
    const db = database(dataDir);
    const { core } = await station(dataDir, db);
    const tokens = await TokenStore.open(null);
    tokens.preset('operator', OPERATOR_TOKEN, 'tests');
    tokens.preset('viewer', VIEWER_TOKEN, 'tests');
    const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null });
    const url = await server.listen();
    cleanups.push(() => server.close());
    const operator = await new TestScreen(url, OPERATOR_TOKEN, 'Ana’s phone').ready();
    const viewer = await new TestScreen(url, VIEWER_TOKEN, 'Hall screen').ready();
    cleanups.push(() => operator.close(), () => viewer.close());

    const limits = { criticalLow: 4.8, warningLow: 5.6, warningHigh: 6.4, criticalHigh: 6.9, hysteresis: 0.1, holdSeconds: 20 };
    const ok = (await operator.command({ id: 'a1', type: 'alarms.configure', sensorId: 'ph1', limits })) as { ok: boolean; result: { change: unknown } };
    expect(ok.ok).toBe(true);
    expect(ok.result.change).toMatchObject({ by: 'Ana’s phone (LAN screen)', what: 'sensor ph1', old: null, new: limits });
    // Every screen shows the same limits, a viewer's too.
    for (const screen of [operator, viewer]) await waitFor(() => screen.replica?.state.readingAlarms.sensors['ph1']?.criticalHigh === 6.9, 5_000, 'the new limits on the screen');
    expect(viewer.replica?.state.readingAlarms.sensors['ph1']).toEqual(limits);

    expect(await viewer.command({ id: 'v1', type: 'alarms.configure', sensorId: 'ph1', limits: { ...limits, criticalHigh: 9 } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const swapped = await operator.command({ id: 'a2', type: 'alarms.configure', sensorId: 'ph1', limits: { ...limits, warningLow: 6.6 } });
    expect(swapped).toEqual({ ok: false, error: { code: 'INVALID', message: 'limits: warningLow (6.6) must be below warningHigh (6.4)' } });
    const outside = await operator.command({ id: 'a3', type: 'alarms.configure', kind: 'ec', limits: { ...DEFAULT_READING_ALARMS.kinds.ec, criticalHigh: 2 } });
    expect(outside).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'limits: warningHigh (2.5) must be below criticalHigh (2)' } });
    const negative = await operator.command({ id: 'a4', type: 'alarms.configure', kind: 'ec', limits: { ...DEFAULT_READING_ALARMS.kinds.ec, hysteresis: -1 } });
    expect(negative).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'limits: hysteresis must be 0 or more' } });
    const long = await operator.command({ id: 'a5', type: 'alarms.configure', kind: 'ec', limits: { ...DEFAULT_READING_ALARMS.kinds.ec, holdSeconds: 7200 } });
    expect(long).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'limits: holdSeconds must be between 0 and 3600' } });
    const unknown = await operator.command({ id: 'a6', type: 'alarms.configure', sensorId: 'mixer', limits });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Nothing refused was kept.
    expect(core.alarms.current().sensors).toEqual({ ph1: limits });
    expect(core.alarms.current().kinds.ec).toEqual(DEFAULT_READING_ALARMS.kinds.ec);

    expect(await operator.command({ id: 'a7', type: 'alarms.configure', sensorId: 'ph1', limits: null })).toMatchObject({ ok: true });
    const audit = db.settingsAudit.list();
    expect(audit).toEqual([
      { at: expect.any(Number), by: 'Ana’s phone (LAN screen)', setting: 'readingAlarms sensor ph1', old: null, new: limits },
      { at: expect.any(Number), by: 'Ana’s phone (LAN screen)', setting: 'readingAlarms sensor ph1', old: limits, new: null },
    ]);
    expect(audit[0]!.at).toBeLessThanOrEqual(audit[1]!.at);
  });

  it('keeps the limits across a restart', async () => {
    onFakeClock();
    const dataDir = dataFolder();
    const file = join(dataDir, 'tendril.db');
    const first = openStationDatabase(file);
    const one = await stationOnFakeClock(dataDir, first);
    one.core.alarms.configure({ kind: 'temp' }, { criticalLow: 10, warningLow: 15, warningHigh: 24, criticalHigh: 28, hysteresis: 0.5, holdSeconds: 60 }, 'desktop');
    await one.stop();
    first.close();

    const again = await stationOnFakeClock(dataDir, database(dataDir));
    expect(again.core.alarms.current().kinds.temp.warningHigh).toBe(24);
    expect(again.core.state().readingAlarms.kinds.temp.criticalHigh).toBe(28);
  });
});
