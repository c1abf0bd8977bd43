/**
 * A calibrated probe's history as a grower saves it, from a real station database file: the
 * readings are the calibrated values, and the controller's own values stay beside them in a raw
 * column, empty before the probe was calibrated, so a doubtful calibration can be checked later.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/station';
import { openStationDatabase } from '../db';
import { TEST_START } from '../../test-support/main/fake-time';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { standInCore } from '../../test-support/main/stand-in-core';
import { channelColumn, channelHistoryCsv } from './history-csv';
import { answerRecord } from './index';

const scratch = useScratchFolders();
const closing: Array<() => void> = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

const CHANNELS: Channel[] = [
  { id: 'ph1', kind: 'ph', name: 'pH probe' },
  { id: 'ec1', kind: 'ec', name: 'EC probe' },
  { id: 'temp1', kind: 'temp', name: 'Water temperature', unit: 'C' },
];

/** A station whose pH probe was calibrated half way through the minute before TEST_START. */
function station() {
  const db = openStationDatabase(join(scratch(), 'station.db'), { now: () => TEST_START, sensorHistory: { flushIntervalMs: 0 } });
  closing.push(() => db.close());
  for (let s = 60; s > 0; s--) {
    const at = TEST_START - s * 1000;
    const raw = 6 + s / 100;
    // The calibration adds 0.25 to what the controller reads, from 30 s before the start on.
    if (s > 30) db.sensorHistory.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: raw, at });
    else db.sensorHistory.recordChange({ type: 'ecph_reading', sensorId: 'ph1', value: raw + 0.25, at, raw });
  }
  db.sensorHistory.recordChange({ type: 'ecph_reading', sensorId: 'ec1', value: 1.4, at: TEST_START - 1000 });
  const core = standInCore();
  core.apply({
    type: 'device_update',
    device: { device: 'sim', firmware: '1', protocol: '1.1', serial: 'S', window: 1, watchdogMs: 3000 },
    channels: CHANNELS,
    relays: {},
    pumps: {},
    flows: {},
    readings: {},
    estop: false,
    alarm: null,
    at: TEST_START - 90_000,
  });
  const sources = { station: core, records: null, history: db.sensorHistory };
  return (path: string) => {
    const answer = answerRecord(path, sources, TEST_START);
    return { ...answer, rows: answer.body.trim().split('\r\n') };
  };
}

const WINDOW = `from=${TEST_START - 60_000}&to=${TEST_START}`;

describe('a calibrated probe’s history export', () => {
  it('keeps the controller’s own value in a raw column beside each calibrated reading, empty before calibration', () => {
    const ask = station();
    const { rows } = ask(`/api/export/history.csv?channel=ph1&${WINDOW}`);
    expect(rows).toHaveLength(61);
    // The heading holds a comma, so it is quoted.
    expect(rows[0]).toBe('time,time_ms,channel,pH probe (pH),"pH probe, raw (pH)",averaged');
    expect(rows[1]).toBe(`2025-12-31T23:59:00.000Z,${TEST_START - 60_000},ph1,6.6,,false`);
    expect(rows[30]).toBe(`2025-12-31T23:59:29.000Z,${TEST_START - 31_000},ph1,6.31,,false`);
    expect(rows[31]).toBe(`2025-12-31T23:59:30.000Z,${TEST_START - 30_000},ph1,6.55,6.3,false`);
    expect(rows[60]).toBe(`2025-12-31T23:59:59.000Z,${TEST_START - 1000},ph1,6.26,6.01,false`);
  });

  it('averages only the calibrated readings’ raw values into a bucket', () => {
    const ask = station();
    const rows = ask(`/api/export/history.csv?channel=ph1&${WINDOW}&maxPoints=3`).rows.map((row) => row.split(','));
    // 60 s into 3 buckets of 19.67 s: the second holds 10 uncalibrated readings and 10
    // calibrated ones, whose raw values (6.30 to 6.21) average 6.255, not half that.
    const cells = rows.slice(1).map((cells) => [Number(cells[3]), cells[4] === '' ? null : Number(cells[4]), cells.at(-1)]);
    expect(cells).toEqual([
      [expect.closeTo(6.505, 9), null, 'true'],
      [expect.closeTo(6.43, 9), expect.closeTo(6.255, 9), 'true'],
      [expect.closeTo(6.355, 9), expect.closeTo(6.105, 9), 'true'],
    ]);
  });

  it('has no raw column for a probe that was never calibrated, nor for a window before calibration', () => {
    const ask = station();
    expect(ask(`/api/export/history.csv?channel=ec1&${WINDOW}`).rows).toEqual([
      'time,time_ms,channel,EC probe (mS/cm),averaged',
      `2025-12-31T23:59:59.000Z,${TEST_START - 1000},ec1,1.4,false`,
    ]);
    expect(ask(`/api/export/history.csv?channel=ph1&from=${TEST_START - 60_000}&to=${TEST_START - 31_000}`).rows[0]).toBe('time,time_ms,channel,pH probe (pH),averaged');
  });

  it('gives the JSON history the raw values beside its points', () => {
    const ask = station();
    const history = JSON.parse(ask(`/api/history?channel=ph1&from=${TEST_START - 32_000}&to=${TEST_START - 29_000}`).body) as unknown;
    expect(history).toEqual({
      channel: 'ph1',
      from: TEST_START - 32_000,
      to: TEST_START - 29_000,
      points: [
        [TEST_START - 32_000, 6.32],
        [TEST_START - 31_000, 6.31],
        [TEST_START - 30_000, 6.55],
        [TEST_START - 29_000, 6.54],
      ],
      downsampled: false,
      raw: [null, null, 6.3, 6.29],
    });
  });

  it('converts raw values as it converts the values beside them', () => {
    const column = channelColumn({ channels: CHANNELS, calibration: { pumps: {}, flowMeters: {} } }, 'temp1', 'us')!;
    const csv = channelHistoryCsv({ channel: 'temp1', from: 0, to: 2000, points: [[0, 20], [1000, 25]], downsampled: false, raw: [null, 20] }, column);
    expect(csv.trim().split('\r\n')).toEqual([
      'time,time_ms,channel,Water temperature (°F),"Water temperature, raw (°F)",averaged',
      '1970-01-01T00:00:00.000Z,0,temp1,68,,false',
      '1970-01-01T00:00:01.000Z,1000,temp1,77,68,false',
    ]);
  });
});
