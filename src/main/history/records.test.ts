/**
 * The records a screen can ask for, answered by the LAN's HTTP routes and by the desktop
 * window's bridge: a real server on loopback and a real station database on one side, the bridge
 * with a stand-in ipcMain on the other, asked the same paths.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC, type RecordResponse } from '../../shared/bridge';
import { createStationControl } from '../control';
import { openStationDatabase, type StationDatabase } from '../db';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { bridgeStation, type InvokeEvent } from '../desktop/station-bridge';
import { createLanServer } from '../lan';
import { TokenStore } from '../lan/access';
import { TEST_START } from '../../test-support/main/fake-time';
import { standInCore } from '../../test-support/main/stand-in-core';
import type { StationMarks } from '../../shared/records';
import type { Job } from '../../shared/station';
import { answerRecord, databaseRecords, type StationRecords } from './index';

const scratch = useScratchFolders();
const TOKEN = 'viewer-token-for-tests-0001';
const APP_URL = 'app://tendril/index.html';
const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** One station asked both ways: over HTTP with a token, and over IPC from the app's page. */
async function bothWays(withDatabase: boolean, keep?: (db: StationDatabase) => void) {
  const core = standInCore();
  let database: StationDatabase | null = null;
  let records: StationRecords | null = null;
  if (withDatabase) {
    const db = openStationDatabase(join(scratch(), 'station.db'), { now: () => TEST_START, sensorHistory: { flushIntervalMs: 0 } });
    closing.push(() => db.close());
    db.sensorHistory.record('ph1', TEST_START - 2000, 5.9);
    db.sensorHistory.record('ph1', TEST_START, 6.1);
    keep?.(db);
    database = db;
    records = databaseRecords(db);
  }
  const control = createStationControl(core);
  const tokens = await TokenStore.open(null);
  tokens.preset('viewer', TOKEN, 'tests');
  const server = createLanServer({
    core,
    control,
    tokens,
    host: '127.0.0.1',
    port: 0,
    webRoot: null,
    ...(database ? { history: database.sensorHistory } : {}),
    ...(records ? { records } : {}),
  });
  const url = await server.listen();
  closing.push(() => server.close());

  const handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => unknown>();
  const contents = { send: () => {}, isDestroyed: () => false, getURL: () => APP_URL };
  const unbridge = bridgeStation({
    core,
    control,
    ipc: { handle: (channel, listener) => void handlers.set(channel, listener), removeHandler: (channel) => void handlers.delete(channel) },
    contents,
    isAppPage: (page) => page.startsWith('app://tendril/'),
    ...(database ? { history: database.sensorHistory } : {}),
    records,
  });
  closing.push(unbridge);

  return {
    core,
    async overHttp(pathAndQuery: string): Promise<RecordResponse> {
      const response = await fetch(`${url}${pathAndQuery}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
    },
    overIpc(pathAndQuery: string): RecordResponse {
      const ask = handlers.get(IPC.record)!;
      return ask({ sender: contents, senderFrame: { url: APP_URL, parent: null } }, pathAndQuery) as RecordResponse;
    },
  };
}

const window = `from=${TEST_START - 60_000}&to=${TEST_START + 1}`;
const PATHS = [
  `/api/history?channel=ph1&${window}`,
  `/api/history?channel=ph1&${window}&maxPoints=1`,
  '/api/history',
  '/api/history?channel=ph1&from=yesterday',
  `/api/history?channel=ph1&from=${TEST_START}&to=${TEST_START - 1}`,
  '/api/history?channel=ph1&maxPoints=0',
  `/api/history?channel=ec9&${window}`,
  '/api/jobs',
  '/api/jobs?limit=0',
  '/api/export/jobs.csv',
  '/api/export/doses.csv',
  '/api/export/doses.csv?from=2026-02-30',
  `/api/export/history.csv?channel=ph1&${window}`,
  `/api/export/history.csv?channel=nowhere&${window}`,
  `/api/marks?${window}`,
  `/api/marks?to=${TEST_START}`,
  '/api/marks?from=tomorrow',
  `/api/marks?from=${TEST_START}&to=${TEST_START - 1}`,
];

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** A busy week kept in the database: a stop every hour, a dose every ten minutes, a mix between. */
function busyWeek(db: StationDatabase): void {
  for (let at = TEST_START - WEEK; at <= TEST_START; at += HOUR) {
    db.alerts.add({ level: 'error', code: 'ESTOP_LATCHED', message: 'emergency stop latched by a screen', at, source: 'host', subject: 'estop' });
    db.alerts.add({ level: 'info', code: 'ESTOP_RESET', message: 'emergency stop reset', at: at + 1000, source: 'host', subject: 'estop' });
  }
  for (let at = TEST_START - WEEK; at <= TEST_START; at += HOUR / 6) {
    const dose = db.jobs.create({ spec: { kind: 'dose', pumpId: 'ph_down', ml: 1 }, tankId: 'main', requestedBy: 'schedule', createdAt: at });
    db.jobs.update(dose, { state: 'succeeded', startedAt: at, endedAt: at + 2000, progress: 1, detail: 'dosed 1 mL' });
    const mix = db.jobs.create({ spec: { kind: 'mix', relayId: 'mixer', seconds: 60 }, tankId: 'main', requestedBy: 'schedule', createdAt: at + 5000 });
    db.jobs.update(mix, { state: 'succeeded', startedAt: at + 5000, endedAt: at + 65_000, progress: 1, detail: 'mixed' });
  }
  // A stop that latched again before anyone reset it: folded into one row, first and latest kept.
  const folded = db.alerts.add({ level: 'error', code: 'ESTOP_LATCHED', message: 'emergency stop latched by the stop button on the controller', at: TEST_START - WEEK - HOUR / 2, source: 'host', subject: 'estop' });
  db.alerts.refold(folded, 2, TEST_START - WEEK + HOUR / 2, 'emergency stop latched by the stop button on the controller');
}

describe('station records', () => {
  it('answers HTTP and the desktop window identically, refusals included', async () => {
    const station = await bothWays(true);
    for (const path of PATHS) {
      expect(station.overIpc(path), path).toEqual(await station.overHttp(path));
    }
  });

  it('answers the same way without a database, from what the live state has seen', async () => {
    const station = await bothWays(false);
    station.core.apply({ type: 'ecph_reading', sensorId: 'ph1', value: 5.9, at: TEST_START - 2000 });
    station.core.apply({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: TEST_START });
    for (const path of PATHS) {
      expect(station.overIpc(path), path).toEqual(await station.overHttp(path));
    }
    const doses = station.overIpc('/api/export/doses.csv');
    expect(doses.status).toBe(503);
    expect(JSON.parse(doses.body)).toMatchObject({ ok: false, error: { code: 'NOT_READY' } });
  });
});

describe('a chart window\'s marks', () => {
  it('names every emergency stop and dose of a week from the database, not only the live list\'s last 100', async () => {
    const station = await bothWays(true, busyWeek);
    const answer = await station.overHttp(`/api/marks?from=${TEST_START - WEEK}&to=${TEST_START}`);
    expect(answer.status).toBe(200);
    const marks = JSON.parse(answer.body) as StationMarks;
    expect(marks).toMatchObject({ ok: true, from: TEST_START - WEEK, to: TEST_START });
    // 169 hourly stops, and the folded one's latest latch (its first is before the window).
    expect(marks.stops).toHaveLength(7 * 24 + 2);
    expect(marks.stops[0]).toEqual({ at: TEST_START - WEEK, message: 'emergency stop latched by a screen' });
    expect(marks.stops[1]).toEqual({ at: TEST_START - WEEK + HOUR / 2, message: 'emergency stop latched by the stop button on the controller' });
    expect(marks.stops.at(-1)!.at).toBe(TEST_START);
    // Every dose, oldest first; the mixes add nothing to a tank and are not marked.
    expect(marks.jobs).toHaveLength(7 * 24 * 6 + 1);
    expect(new Set(marks.jobs.map((job) => job.kind))).toEqual(new Set(['dose']));
    expect(marks.jobs.map((job) => job.startedAt)).toEqual([...marks.jobs.map((job) => job.startedAt!)].sort((a, b) => a - b));
    expect(station.overIpc(`/api/marks?from=${TEST_START - WEEK}&to=${TEST_START}`)).toEqual(answer);
  });

  it('answers the hour before `to` by default, and only what is in the window asked', async () => {
    const station = await bothWays(true, busyWeek);
    const lastHour = JSON.parse((await station.overHttp(`/api/marks?to=${TEST_START}`)).body) as StationMarks;
    expect(lastHour).toMatchObject({ from: TEST_START - HOUR, to: TEST_START });
    expect(lastHour.stops.map((stop) => stop.at)).toEqual([TEST_START - HOUR, TEST_START]);
    const day = JSON.parse((await station.overHttp(`/api/marks?from=${TEST_START - 2 * HOUR + 1}&to=${TEST_START - HOUR}`)).body) as StationMarks;
    expect(day.stops.map((stop) => stop.at)).toEqual([TEST_START - HOUR]);
    expect(day.jobs).toHaveLength(6);
  });
});

describe('a recipe\'s doses on a chart', () => {
  /** A feed recipe that doses nutrient A, mixes, then doses B; a plain dose beside it; an older recipe outside the window. */
  function feedDay(db: StationDatabase): void {
    const feed = db.jobs.create({ spec: { kind: 'recipe', recipeId: 'feed' }, tankId: 'main', requestedBy: 'schedule', createdAt: TEST_START - HOUR });
    db.jobs.update(feed, { state: 'succeeded', startedAt: TEST_START - HOUR, endedAt: TEST_START - HOUR + 600_000, progress: 1, detail: 'feed: all 3 steps done' });
    const a = db.doseAudit.open({ at: TEST_START - HOUR + 1000, pumpId: 'nut_a', requestedMl: 12, jobId: feed, requestedBy: 'schedule' });
    db.doseAudit.close(a, 12, 'complete');
    const b = db.doseAudit.open({ at: TEST_START - HOUR + 400_000, pumpId: 'nut_b', requestedMl: 12, jobId: feed, requestedBy: 'schedule' });
    db.doseAudit.close(b, 7.5, 'stopped');
    const topUp = db.fills.open({ at: TEST_START - HOUR + 200_000, tankId: 'main', jobId: feed });
    db.fills.close(topUp, 12.5);
    // Still running (or cut off by a crash): its litres are not known.
    db.fills.open({ at: TEST_START - HOUR + 500_000, tankId: 'main', jobId: feed });
    const plain = db.jobs.create({ spec: { kind: 'dose', pumpId: 'ph_down', ml: 1 }, tankId: 'main', requestedBy: 'desktop', createdAt: TEST_START - 1000 });
    db.jobs.update(plain, { state: 'succeeded', startedAt: TEST_START - 1000, endedAt: TEST_START - 500, progress: 1, detail: 'dosed 1 mL' });
    db.doseAudit.add({ at: TEST_START - 1000, pumpId: 'ph_down', requestedMl: 1, deliveredMl: 1, jobId: plain, requestedBy: 'desktop', outcome: 'complete' });
    const plainFill = db.jobs.create({ spec: { kind: 'fill', tankId: 'main', liters: 5 }, tankId: 'main', requestedBy: 'desktop', createdAt: TEST_START - 800 });
    db.jobs.update(plainFill, { state: 'succeeded', startedAt: TEST_START - 800, endedAt: TEST_START - 100, progress: 1, detail: 'filled 5 L' });
    db.fills.close(db.fills.open({ at: TEST_START - 800, tankId: 'main', jobId: plainFill }), 5);
    const older = db.jobs.create({ spec: { kind: 'recipe', recipeId: 'feed' }, tankId: 'main', requestedBy: 'schedule', createdAt: TEST_START - 3 * HOUR });
    db.jobs.update(older, { state: 'succeeded', startedAt: TEST_START - 3 * HOUR, endedAt: TEST_START - 3 * HOUR + 1000, progress: 1, detail: 'done' });
    db.doseAudit.add({ at: TEST_START - 3 * HOUR + 500, pumpId: 'nut_a', requestedMl: 12, deliveredMl: 12, jobId: older, requestedBy: 'schedule', outcome: 'complete' });
  }

  it('answers each dose and fill a recipe in the window made, with what it delivered; a plain job\'s is its job\'s mark', async () => {
    const station = await bothWays(true, feedDay);
    const answer = await station.overHttp(`/api/marks?from=${TEST_START - 2 * HOUR}&to=${TEST_START}`);
    const marks = JSON.parse(answer.body) as StationMarks;
    expect(marks.jobs.map((job) => job.kind)).toEqual(['recipe', 'dose', 'fill']);
    const feed = marks.jobs[0]!.id;
    expect(marks.doses).toEqual([
      { at: TEST_START - HOUR + 1000, jobId: feed, pumpId: 'nut_a', deliveredMl: 12 },
      { at: TEST_START - HOUR + 400_000, jobId: feed, pumpId: 'nut_b', deliveredMl: 7.5 },
    ]);
    expect(marks.fills).toEqual([
      { at: TEST_START - HOUR + 200_000, jobId: feed, tankId: 'main', filledL: 12.5 },
      { at: TEST_START - HOUR + 500_000, jobId: feed, tankId: 'main', filledL: null },
    ]);
    expect(station.overIpc(`/api/marks?from=${TEST_START - 2 * HOUR}&to=${TEST_START}`)).toEqual(answer);
  });

  it('answers no doses or fills without a database, where the live state keeps none', async () => {
    const station = await bothWays(false);
    const marks = JSON.parse((await station.overHttp('/api/marks')).body) as StationMarks;
    expect(marks.doses).toEqual([]);
    expect(marks.fills).toEqual([]);
  });
});

describe('answerRecord', () => {
  const history = {
    query: (channel: string, from: number, to: number) => (channel === 'ph1' ? { channel, from, to, points: [[from, 6] as [number, number]], downsampled: false } : null),
    channels: () => ['ph1'],
  };
  const sources = { station: standInCore(), records: null, history };
  const answer = (path: unknown) => {
    const { status, body, filename } = answerRecord(path, sources, TEST_START);
    return { status, filename, json: body.startsWith('{') ? (JSON.parse(body) as unknown) : body };
  };

  it('says what is wrong with a history request and how to ask instead', () => {
    expect(answer('/api/history')).toMatchObject({ status: 400, json: { ok: false, error: { code: 'INVALID', message: expect.stringMatching(/^channel is required/) } } });
    expect(answer('/api/history?channel=ph1&to=2026-05-01T12:00')).toMatchObject({ status: 400, json: { error: { message: expect.stringMatching(/needs a time zone/) } } });
    expect(answer('/api/history?channel=ec9')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'no history for channel "ec9"; channels with history: ph1' } } });
    expect(answer('/api/marks?to=2026-05-01T12:00')).toMatchObject({ status: 400, json: { error: { message: expect.stringMatching(/^to needs a time zone/) } } });
    expect(answer('/api/jobs?limit=5000')).toMatchObject({ status: 400, json: { error: { message: 'limit must be a whole number from 1 to 1000, not "5000"; leave it out for 100' } } });
  });

  it('answers the hour before now by default, and names an export after its channel', () => {
    expect(answer('/api/history?channel=ph1')).toMatchObject({ status: 200, json: { channel: 'ph1', from: TEST_START - 3_600_000, to: TEST_START } });
    expect(answer('/api/export/history.csv?channel=ph1')).toMatchObject({ status: 200, filename: 'tendril-ph1.csv' });
    expect(answer('/api/export/jobs.csv')).toMatchObject({ status: 200, filename: 'tendril-jobs.csv' });
  });

  it('marks from what the live state holds when there is no database', () => {
    const core = standInCore();
    const job = (id: number, spec: Job['spec'], startedAt: number | null): Job => ({
      id, spec, kind: spec.kind, tankId: 'main', state: 'succeeded', requestedBy: 'desktop', createdAt: startedAt ?? TEST_START, startedAt, endedAt: null, progress: 1, detail: '', etaMs: null,
    });
    core.apply({ type: 'job_update', job: job(1, { kind: 'fill', tankId: 'main', liters: 5 }, TEST_START - 1000) });
    core.apply({ type: 'job_update', job: job(2, { kind: 'mix', relayId: 'mixer', seconds: 5 }, TEST_START - 900) });
    core.apply({ type: 'job_update', job: job(3, { kind: 'dose', pumpId: 'nut_a', ml: 2 }, null) });
    core.apply({ type: 'job_update', job: job(4, { kind: 'dose', pumpId: 'nut_a', ml: 2 }, TEST_START - 2 * 3_600_000) });
    core.apply({ type: 'job_update', job: job(5, { kind: 'recipe', recipeId: 'feed' }, TEST_START - 800) });
    core.apply({ type: 'alert', alert: { id: 9, level: 'error', code: 'ESTOP_LATCHED', message: 'emergency stop latched by a screen', at: TEST_START - 500, source: 'host' } });
    const { status, body } = answerRecord('/api/marks', { station: core, records: null, history }, TEST_START);
    expect(status).toBe(200);
    const marks = JSON.parse(body) as StationMarks;
    expect(marks.jobs.map((marked) => marked.id)).toEqual([1, 5]);
    expect(marks.jobs[0]).not.toHaveProperty('etaMs');
    expect(marks.stops).toEqual([{ at: TEST_START - 500, message: 'emergency stop latched by a screen' }]);
  });

  it('refuses what is not a record, naming the ones there are', () => {
    for (const path of ['/api/state', 'api/history', 42]) {
      expect(answer(path)).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND', message: expect.stringContaining('ask for one of /api/history, /api/jobs') } } });
    }
  });
});
