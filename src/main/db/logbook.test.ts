import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import type { JobSpec } from '../../shared/jobs';
import type { JobState } from '../../shared/station';
import { openStationDatabase, type DoseAuditEntry, type StationDatabase } from './index';
import { DOSE_RUNNING } from './logbook';
import { useScratchFolders } from '../../test-support/main/scratch-folder';

const scratch = useScratchFolders();

function open(): StationDatabase {
  return openStationDatabase(join(scratch(), 'station.db'), { sensorHistory: { flushIntervalMs: 0 } });
}

const dose: JobSpec = { kind: 'dose', pumpId: 'nut_a', ml: 5 };
const fill: JobSpec = { kind: 'fill', tankId: 'veg', liters: 40 };

describe('jobs', () => {
  it('stores a queued job and follows its updates', () => {
    const station = open();
    const id = station.jobs.create({ spec: fill, tankId: 'veg', requestedBy: 'desktop', createdAt: 100 });
    expect(station.jobs.get(id)).toEqual({
      id,
      spec: fill,
      kind: 'fill',
      tankId: 'veg',
      state: 'queued',
      requestedBy: 'desktop',
      createdAt: 100,
      startedAt: null,
      endedAt: null,
      progress: 0,
      detail: '',
    });
    station.jobs.update(id, { state: 'running', startedAt: 110, detail: 'filling' });
    station.jobs.update(id, { progress: 0.5 });
    station.jobs.update(id, {});
    station.jobs.update(id, { state: 'succeeded', endedAt: 150, progress: 1, detail: 'filled 40 L' });
    expect(station.jobs.get(id)).toMatchObject({ state: 'succeeded', startedAt: 110, endedAt: 150, progress: 1, detail: 'filled 40 L' });
    expect(station.jobs.get(id + 1)).toBeNull();
    expect(() => station.jobs.update(id + 1, { progress: 1 })).toThrow(/no job/);
    station.close();
  });

  it('lists recent jobs newest first', () => {
    const station = open();
    const ids = [1, 2, 3, 4].map((n) => station.jobs.create({ spec: dose, tankId: null, requestedBy: `screen ${n}`, createdAt: n }));
    expect(station.jobs.recent(3).map((job) => job.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(station.jobs.recent(10)).toHaveLength(4);
    station.close();
  });

  it('never hands out a job number twice, even after the newest job is deleted', () => {
    const file = join(scratch(), 'station.db');
    let station = openStationDatabase(file);
    const first = station.jobs.create({ spec: dose, tankId: null, requestedBy: 'desktop', createdAt: 1 });
    station.close();
    const db = new Database(file);
    db.prepare('DELETE FROM jobs WHERE id = ?').run(first);
    db.close();
    station = openStationDatabase(file);
    expect(station.jobs.create({ spec: dose, tankId: null, requestedBy: 'desktop', createdAt: 2 })).toBeGreaterThan(first);
    station.close();
  });

  it('interrupts only the jobs that had not finished', () => {
    const station = open();
    const states: JobState[] = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'interrupted'];
    const ids = new Map<JobState, number>();
    for (const state of states) {
      const id = station.jobs.create({ spec: dose, tankId: null, requestedBy: 'desktop', createdAt: 1 });
      station.jobs.update(id, state === 'queued' ? {} : { state, startedAt: 2, ...(['running', 'paused'].includes(state) ? {} : { endedAt: 3 }) });
      ids.set(state, id);
    }
    const interrupted = station.jobs.interruptUnfinished(500);
    expect(interrupted.map((job) => job.id)).toEqual([ids.get('queued'), ids.get('running'), ids.get('paused')]);
    expect(interrupted.every((job) => job.state === 'interrupted' && job.endedAt === 500)).toBe(true);
    for (const state of ['succeeded', 'failed', 'cancelled', 'interrupted'] as const) {
      expect(station.jobs.get(ids.get(state)!)).toMatchObject({ state, endedAt: 3 });
    }
    expect(station.jobs.interruptUnfinished(600)).toEqual([]);
    station.close();
  });
});

describe('alerts', () => {
  it('adds alerts, lists them newest first and keeps the first acknowledgement', () => {
    const station = open();
    const low = station.alerts.add({ level: 'warning', code: 'LOW_LEVEL', message: 'veg is below 20%', at: 10, source: 'host' });
    const watchdog = station.alerts.add({ level: 'error', code: 'WATCHDOG', message: 'the host went quiet', at: 20, source: 'controller' });
    expect(station.alerts.acknowledge(low, 30, 'Kitchen tablet')).toBe(true);
    expect(station.alerts.acknowledge(low, 40, 'desktop')).toBe(true);
    expect(station.alerts.acknowledge(watchdog + 100, 40)).toBe(false);
    expect(station.alerts.recent(10)).toEqual([
      { id: watchdog, level: 'error', code: 'WATCHDOG', message: 'the host went quiet', at: 20, source: 'controller', acknowledgedAt: null },
      { id: low, level: 'warning', code: 'LOW_LEVEL', message: 'veg is below 20%', at: 10, source: 'host', acknowledgedAt: 30, ack: { by: 'Kitchen tablet', at: 30 } },
    ]);
    expect(station.alerts.recent(1).map((alert) => alert.id)).toEqual([watchdog]);
    station.close();
  });

  it('folds repeats into the stored alert, and lists what still waits for a person, oldest first', () => {
    const station = open();
    const lost = station.alerts.add({ level: 'error', code: 'LINK_LOST', message: 'no answer for 5 s', at: 10, source: 'host', subject: 'link' });
    station.alerts.add({ level: 'info', code: 'LINK_BACK', message: 'the controller answers again', at: 12, source: 'host' });
    const high = station.alerts.add({ level: 'warning', code: 'READING_HIGH', message: 'pH 6.6', at: 20, source: 'host', subject: 'ph1' });
    station.alerts.refold(lost, 3, 50, 'no answer for 9 s');
    station.alerts.acknowledge(high, 60, 'desktop');
    expect(station.alerts.unacknowledged(10)).toEqual([
      { id: lost, level: 'error', code: 'LINK_LOST', message: 'no answer for 9 s', at: 10, source: 'host', subject: 'link', count: 3, lastAt: 50, acknowledgedAt: null },
    ]);
    station.close();
  });
});

describe('dose audit', () => {
  const entry = (at: number, pumpId: string, deliveredMl: number, jobId: number | null = null): DoseAuditEntry => ({
    at,
    pumpId,
    requestedMl: 5,
    deliveredMl,
    jobId,
    requestedBy: 'desktop',
    outcome: deliveredMl < 5 ? 'stopped' : 'complete',
  });

  it('lists entries oldest first, within an inclusive range', () => {
    const station = open();
    const job = station.jobs.create({ spec: dose, tankId: null, requestedBy: 'desktop', createdAt: 1 });
    const entries = [entry(300, 'nut_a', 5, job), entry(100, 'nut_b', 2.5), entry(200, 'nut_a', 5)];
    for (const e of entries) station.doseAudit.add(e);
    expect(station.doseAudit.list()).toEqual([entries[1], entries[2], entries[0]]);
    expect(station.doseAudit.list({ from: 200 })).toEqual([entries[2], entries[0]]);
    expect(station.doseAudit.list({ to: 200 })).toEqual([entries[1], entries[2]]);
    expect(station.doseAudit.list({ from: 150, to: 250 })).toEqual([entries[2]]);
    station.close();
  });

  it('sums what one pump delivered from a moment on, that moment included', () => {
    const station = open();
    const since = 1_000;
    for (const e of [entry(since - 1, 'nut_a', 4), entry(since, 'nut_a', 1.5), entry(since + 1, 'nut_a', 2.25), entry(since, 'nut_b', 7)]) {
      station.doseAudit.add(e);
    }
    expect(station.doseAudit.deliveredSince('nut_a', since)).toBe(3.75);
    expect(station.doseAudit.deliveredSince('nut_a', since + 1)).toBe(2.25);
    expect(station.doseAudit.deliveredSince('nut_a', since + 2)).toBe(0);
    expect(station.doseAudit.deliveredSince('nut_a', 0)).toBe(7.75);
    expect(station.doseAudit.deliveredSince('ph_up', 0)).toBe(0);
    station.close();
  });

  it('counts a dose at its full amount from before the pump starts, and at what it delivered once it ends', () => {
    const station = open();
    const id = station.doseAudit.open({ at: 100, pumpId: 'nut_a', requestedMl: 8, jobId: null, requestedBy: 'desktop' });
    expect(station.doseAudit.list()).toEqual([{ at: 100, pumpId: 'nut_a', requestedMl: 8, deliveredMl: 8, jobId: null, requestedBy: 'desktop', outcome: DOSE_RUNNING }]);
    expect(station.doseAudit.deliveredSince('nut_a', 0)).toBe(8);
    station.doseAudit.close(id, 3.25, 'estop');
    expect(station.doseAudit.list()).toEqual([{ at: 100, pumpId: 'nut_a', requestedMl: 8, deliveredMl: 3.25, jobId: null, requestedBy: 'desktop', outcome: 'estop' }]);
    expect(station.doseAudit.settleOpen()).toBe(0);
    station.close();
  });
});
