import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../shared/jobs';
import { openStationDatabase, type StationDatabase } from './index';
import { useScratchFolders } from '../../test-support/main/scratch-folder';

const scratch = useScratchFolders();

/** Writes with one connection, then reads through a fresh one, so nothing comes from memory. */
function roundTrip<T>(write: (station: StationDatabase) => void, read: (station: StationDatabase) => T): T {
  const file = join(scratch(), 'station.db');
  const writer = openStationDatabase(file, { now: () => 1_000 });
  write(writer);
  writer.close();
  const reader = openStationDatabase(file);
  try {
    return read(reader);
  } finally {
    reader.close();
  }
}

describe('settings', () => {
  it('keeps any JSON value by key, and forgets a key set to undefined', () => {
    const all = roundTrip(
      (station) => {
        station.settings.set('units', 'us');
        station.settings.set('units', 'metric');
        station.settings.set('lan', { enabled: true, port: 8080, origins: ['http://grow.local'] });
        station.settings.set('nightMode', false);
        station.settings.set('lastPort', null);
        station.settings.set('gone', 3);
        station.settings.set('gone', undefined);
      },
      (station) => {
        expect(station.settings.get('units')).toBe('metric');
        expect(station.settings.get('never set')).toBeUndefined();
        return station.settings.all();
      },
    );
    expect(all).toEqual({ units: 'metric', lan: { enabled: true, port: 8080, origins: ['http://grow.local'] }, nightMode: false, lastPort: null });
  });
});

describe('calibrations', () => {
  it('keeps the latest calibration of each pump and flow meter', () => {
    const calibrations = roundTrip(
      (station) => {
        station.calibrations.setPump('nut_a', 1.25, 10);
        station.calibrations.setPump('nut_a', 1.31, 20);
        station.calibrations.setPump('ph_down', 0.9, 20);
        station.calibrations.setFlowMeter('flow1', 450, 30);
      },
      (station) => ({ pumps: station.calibrations.pumps(), meters: station.calibrations.flowMeters() }),
    );
    expect(calibrations).toEqual({
      pumps: { nut_a: { value: 1.31, at: 20 }, ph_down: { value: 0.9, at: 20 } },
      meters: { flow1: { value: 450, at: 30 } },
    });
  });

  it('keeps each probe calibration with its points and who made it; the latest wins and a reset leaves the probe uncalibrated', () => {
    const point = { nominal: 7, reference: 7.02, raw: 6.74, tempC: 20, at: 5 };
    const calibration = { kind: 'ph' as const, slope: 1.087, offset: -0.3, points: [point], by: 'Ana', at: 40 };
    const probes = roundTrip(
      (station) => {
        station.calibrations.setProbe('ph1', { ...calibration, slope: 1.2, at: 10 });
        station.calibrations.setProbe('ph1', calibration);
        station.calibrations.setProbe('ec1', { ...calibration, kind: 'ec', slope: 1.1, offset: 0 });
        station.calibrations.resetProbe('ec1', 'Ben', 50);
      },
      (station) => station.calibrations.probes(),
    );
    expect(probes).toEqual({ ph1: calibration });
  });

  it('refuses a calibration that is not a positive number', () => {
    roundTrip(
      (station) => {
        for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          expect(() => station.calibrations.setPump('nut_a', bad, 1)).toThrow(/pump nut_a.*positive number/);
          expect(() => station.calibrations.setFlowMeter('flow1', bad, 1)).toThrow(/flow meter flow1.*positive number/);
        }
      },
      (station) => expect(station.calibrations.pumps()).toEqual({}),
    );
  });
});

describe('recipes', () => {
  const feed: Recipe = {
    id: 'feed',
    name: 'Weekly feed',
    steps: [
      { kind: 'job', job: { kind: 'fill', tankId: 'veg', liters: 40 } },
      { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 20 } },
      { kind: 'wait-in-band', sensorId: 'ec1', min: 1.2, max: 1.6, timeoutSeconds: 600 },
      { kind: 'notify', message: 'fed, "A" then B' },
    ],
  };
  const flush: Recipe = { id: 'flush', name: 'Flush', steps: [{ kind: 'wait', seconds: 60 }] };

  it('puts, replaces, lists and removes recipes by id', () => {
    const result = roundTrip(
      (station) => {
        station.recipes.put(flush);
        station.recipes.put({ ...feed, name: 'Old name' });
        station.recipes.put(feed);
        station.recipes.put({ id: 'gone', name: 'Gone', steps: [{ kind: 'wait', seconds: 1 }] });
        expect(station.recipes.remove('gone')).toBe(true);
        expect(station.recipes.remove('gone')).toBe(false);
      },
      (station) => ({ all: station.recipes.all(), feed: station.recipes.get('feed'), missing: station.recipes.get('gone') }),
    );
    expect(result).toEqual({ all: [feed, flush], feed, missing: null });
  });
});

describe('schedules', () => {
  it('puts, marks runs, lists and removes schedules, with their specs as given', () => {
    const spec = { kind: 'cron', expression: '30 2 * * *', job: { kind: 'recipe', recipeId: 'feed' } };
    const result = roundTrip(
      (station) => {
        station.schedules.put({ id: 'nightly', spec, enabled: true, lastRunAt: null });
        station.schedules.put({ id: 'lights', spec: { kind: 'timer', on: '06:00', off: '22:00' }, enabled: false, lastRunAt: 5 });
        station.schedules.markRun('nightly', 1_700);
        station.schedules.markRun('removed meanwhile', 1_800);
        station.schedules.put({ id: 'old', spec: null, enabled: true, lastRunAt: null });
        expect(station.schedules.remove('old')).toBe(true);
        expect(station.schedules.remove('old')).toBe(false);
      },
      (station) => ({ all: station.schedules.all(), nightly: station.schedules.get('nightly'), missing: station.schedules.get('old') }),
    );
    expect(result.all).toEqual([
      { id: 'lights', spec: { kind: 'timer', on: '06:00', off: '22:00' }, enabled: false, lastRunAt: 5, lastRunSkipped: null },
      { id: 'nightly', spec, enabled: true, lastRunAt: 1_700, lastRunSkipped: null },
    ]);
    expect(result.nightly).toEqual({ id: 'nightly', spec, enabled: true, lastRunAt: 1_700, lastRunSkipped: null });
    expect(result.missing).toBeNull();
  });

  it('keeps why a last run was skipped across a restart, until a run starts its job', () => {
    const skipped = roundTrip(
      (station) => {
        station.schedules.put({ id: 'feed', spec: null, enabled: true, lastRunAt: null });
        station.schedules.markRun('feed', 2_000);
        station.schedules.markSkipped('feed', 'the emergency stop is latched; reset it before starting jobs');
        // Saving the schedule again (an edit) does not forget it.
        station.schedules.put({ id: 'feed', spec: { edited: true }, enabled: true, lastRunAt: 2_000 });
      },
      (station) => station.schedules.get('feed'),
    );
    expect(skipped).toMatchObject({ lastRunAt: 2_000, lastRunSkipped: 'the emergency stop is latched; reset it before starting jobs' });
    const ran = roundTrip(
      (station) => {
        station.schedules.put({ id: 'feed', spec: null, enabled: true, lastRunAt: null });
        station.schedules.markSkipped('feed', 'the controller is not connected');
        station.schedules.markSkipped('feed', null);
      },
      (station) => station.schedules.get('feed'),
    );
    expect(ran).toMatchObject({ lastRunSkipped: null });
  });
});
