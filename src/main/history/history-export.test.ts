/**
 * A channel's history saved as CSV from a real station database file: the header names the
 * channel and the unit its numbers are in, the values come in the units the grower asked for
 * (a flow meter as litres or gallons a minute, not pulses), and the file name carries the window.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../shared/station';
import { openStationDatabase } from '../db';
import { TEST_START } from '../../test-support/main/fake-time';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { standInCore } from '../../test-support/main/stand-in-core';
import { answerRecord, databaseRecords } from './index';

const scratch = useScratchFolders();
const closing: Array<() => void> = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

const CHANNELS: Channel[] = [
  { id: 'temp1', kind: 'temp', name: 'Water temperature', unit: 'C' },
  { id: 'level1', kind: 'level', name: 'Tank level', unit: 'L' },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
  { id: 'ph1', kind: 'ph', name: 'pH, veg tank' },
  { id: 'ec1', kind: 'ec', name: 'EC\u2066 probe' },
];

function station() {
  const db = openStationDatabase(join(scratch(), 'station.db'), { now: () => TEST_START, sensorHistory: { flushIntervalMs: 0 } });
  closing.push(() => db.close());
  db.sensorHistory.record('temp1', TEST_START - 2000, 20);
  db.sensorHistory.record('temp1', TEST_START - 1000, 25);
  db.sensorHistory.record('level1', TEST_START - 1000, 37.85411784);
  db.sensorHistory.record('flow1', TEST_START - 1000, 7.5);
  db.sensorHistory.record('ph1', TEST_START - 1000, 6.1);
  db.sensorHistory.record('ec1', TEST_START - 1000, 1.4);
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
    at: TEST_START - 5000,
  });
  core.apply({ type: 'calibration_update', calibration: { pumps: {}, flowMeters: { flow1: { pulsesPerLiter: 450, source: 'measured', at: null } } } });
  const sources = { station: core, records: null, history: db.sensorHistory };
  return (path: string) => {
    const answer = answerRecord(path, sources, TEST_START);
    return { ...answer, rows: answer.body.trim().split('\r\n') };
  };
}

const WINDOW = `from=${TEST_START - 60_000}&to=${TEST_START}`;

describe('sensor history export', () => {
  it('heads the values with the channel name and the unit the station records', () => {
    const ask = station();
    expect(ask(`/api/export/history.csv?channel=temp1&${WINDOW}`).rows).toEqual([
      'time,time_ms,channel,Water temperature (°C),averaged',
      `2025-12-31T23:59:58.000Z,${TEST_START - 2000},temp1,20,false`,
      `2025-12-31T23:59:59.000Z,${TEST_START - 1000},temp1,25,false`,
    ]);
    // A name with a comma is quoted, not split into two columns.
    expect(ask(`/api/export/history.csv?channel=ph1&${WINDOW}`).rows[0]).toBe('time,time_ms,channel,"pH, veg tank (pH)",averaged');
    // The name comes from the controller's channel table: a bidi mark in it is shown, not obeyed.
    expect(ask(`/api/export/history.csv?channel=ec1&${WINDOW}`).rows[0]).toBe('time,time_ms,channel,EC\\u2066 probe (mS/cm),averaged');
    expect(ask(`/api/export/history.csv?channel=flow1&${WINDOW}`).rows).toEqual(['time,time_ms,channel,Fill line (pulses/s),averaged', `2025-12-31T23:59:59.000Z,${TEST_START - 1000},flow1,7.5,false`]);
  });

  it('converts to the grower’s US units on request', () => {
    const ask = station();
    expect(ask(`/api/export/history.csv?channel=temp1&${WINDOW}&units=us`).rows.map((row) => row.split(',').slice(2, 4).join(','))).toEqual([
      'channel,Water temperature (°F)',
      'temp1,68',
      'temp1,77',
    ]);
    expect(ask(`/api/export/history.csv?channel=level1&${WINDOW}&units=us`).rows.slice(0, 2).map((row) => row.split(',')[3])).toEqual(['Tank level (gal)', '10']);
    // 7.5 pulses a second on a meter of 450 pulses a litre: 1 L/min, 0.2642 gal/min.
    expect(ask(`/api/export/history.csv?channel=flow1&${WINDOW}&units=metric`).rows.map((row) => row.split(',')[3])).toEqual(['Fill line (L/min)', '1']);
    expect(ask(`/api/export/history.csv?channel=flow1&${WINDOW}&units=us`).rows.map((row) => row.split(',')[3])).toEqual(['Fill line (gal/min)', '0.2642']);
    // Metric is what the station records, bar the flow meter.
    expect(ask(`/api/export/history.csv?channel=temp1&${WINDOW}&units=metric`).rows[1]).toMatch(/,temp1,20,false$/);
  });

  it('names the file after the channel and the window asked for', () => {
    const ask = station();
    expect(ask(`/api/export/history.csv?channel=temp1&from=2025-12-31T00:00:00Z&to=2026-01-01T00:00:00Z`).filename).toBe('tendril-temp1-2025-12-31T0000Z-2026-01-01T0000Z.csv');
    expect(ask(`/api/export/history.csv?channel=temp1&${WINDOW}&units=us`).filename).toBe('tendril-temp1-2025-12-31T2359Z-2026-01-01T0000Z.csv');
  });

  it('names a dose audit after the window asked for, and the whole audit plainly', () => {
    const db = openStationDatabase(join(scratch(), 'doses.db'), { now: () => TEST_START });
    closing.push(() => db.close());
    const sources = { station: standInCore(), records: databaseRecords(db), history: db.sensorHistory };
    expect(answerRecord('/api/export/doses.csv?from=2025-12-01&to=2026-01-01T00:00:00Z', sources, TEST_START).filename).toBe('tendril-doses-2025-12-01T0000Z-2026-01-01T0000Z.csv');
    expect(answerRecord('/api/export/doses.csv', sources, TEST_START).filename).toBe('tendril-doses.csv');
  });

  it('says what is wrong with a units choice, and when it cannot convert', () => {
    const ask = station();
    const kelvin = ask(`/api/export/history.csv?channel=temp1&${WINDOW}&units=kelvin`);
    expect(kelvin.status).toBe(400);
    expect(JSON.parse(kelvin.body)).toMatchObject({ error: { code: 'INVALID', message: 'units must be one of station, metric, us, not "kelvin"; leave it out for the units the station records in' } });
    const db = openStationDatabase(join(scratch(), 'other.db'), { now: () => TEST_START, sensorHistory: { flushIntervalMs: 0 } });
    closing.push(() => db.close());
    db.sensorHistory.record('ec9', TEST_START - 1000, 1.2);
    const unknown = (units: string) => answerRecord(`/api/export/history.csv?channel=ec9&${WINDOW}&units=${units}`, { station: standInCore(), records: null, history: db.sensorHistory }, TEST_START);
    expect(unknown('us')).toMatchObject({ status: 503, body: expect.stringContaining('cannot convert its values: try again once it is connected, or ask for units=station') });
    expect(unknown('station')).toMatchObject({ status: 200, body: expect.stringMatching(/^time,time_ms,channel,ec9,averaged\r\n/) });
  });
});
