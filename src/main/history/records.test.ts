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
import { answerRecord, type StationRecords } from './index';

const scratch = useScratchFolders();
const TOKEN = 'viewer-token-for-tests-0001';
const APP_URL = 'app://tendril/index.html';
const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** One station asked both ways: over HTTP with a token, and over IPC from the app's page. */
async function bothWays(withDatabase: boolean) {
  const core = standInCore();
  let database: StationDatabase | null = null;
  let records: StationRecords | null = null;
  if (withDatabase) {
    const db = openStationDatabase(join(scratch(), 'station.db'), { now: () => TEST_START, sensorHistory: { flushIntervalMs: 0 } });
    closing.push(() => db.close());
    db.sensorHistory.record('ph1', TEST_START - 2000, 5.9);
    db.sensorHistory.record('ph1', TEST_START, 6.1);
    database = db;
    records = { recentJobs: (limit) => db.jobs.recent(limit), doses: (range) => db.doseAudit.list(range) };
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
];

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
    expect(answer('/api/jobs?limit=5000')).toMatchObject({ status: 400, json: { error: { message: 'limit must be a whole number from 1 to 1000, not "5000"; leave it out for 100' } } });
  });

  it('answers the hour before now by default, and names an export after its channel', () => {
    expect(answer('/api/history?channel=ph1')).toMatchObject({ status: 200, json: { channel: 'ph1', from: TEST_START - 3_600_000, to: TEST_START } });
    expect(answer('/api/export/history.csv?channel=ph1')).toMatchObject({ status: 200, filename: 'tendril-ph1.csv' });
    expect(answer('/api/export/jobs.csv')).toMatchObject({ status: 200, filename: 'tendril-jobs.csv' });
  });

  it('refuses what is not a record, naming the ones there are', () => {
    for (const path of ['/api/state', 'api/history', 42]) {
      expect(answer(path)).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND', message: expect.stringContaining('ask for one of /api/history, /api/jobs') } } });
    }
  });
});
