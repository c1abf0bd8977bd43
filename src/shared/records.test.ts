import { describe, expect, it } from 'vitest';
import { readHistory, windowQuery } from './history';
import { exportFileName, exportPath, historyPath, jobsPath } from './records';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('record paths', () => {
  it('asks for one window of one channel in epoch milliseconds', () => {
    expect(historyPath(windowQuery('ph1', '24h', NOW))).toBe(`/api/history?channel=ph1&from=${NOW - 86_400_000}&to=${NOW}&maxPoints=600`);
  });

  it('leaves out what is not given, so the server applies its defaults', () => {
    expect(historyPath({ channel: 'ec1' })).toBe('/api/history?channel=ec1');
    expect(jobsPath()).toBe('/api/jobs');
    expect(jobsPath(20)).toBe('/api/jobs?limit=20');
  });

  it('escapes channel ids', () => {
    expect(historyPath({ channel: 'a b&c' })).toBe('/api/history?channel=a+b%26c');
  });

  it('builds each export with only the parameters it takes', () => {
    const query = { channel: 'temp1', from: 1, to: 2, maxPoints: 10 };
    expect(exportPath('jobs', query)).toBe('/api/export/jobs.csv');
    expect(exportPath('doses', query)).toBe('/api/export/doses.csv?from=1&to=2');
    expect(exportPath('doses')).toBe('/api/export/doses.csv');
    expect(exportPath('history', query)).toBe('/api/export/history.csv?channel=temp1&from=1&to=2&maxPoints=10');
  });

  it('names files the way the server does', () => {
    expect(exportFileName('doses')).toBe('tendril-doses.csv');
    expect(exportFileName('jobs')).toBe('tendril-jobs.csv');
    expect(exportFileName('history', 'ph/1')).toBe('tendril-ph_1.csv');
  });
});

describe('readHistory', () => {
  it('reads the documented answer', () => {
    const body = '{"channel":"ph1","from":1,"to":3,"points":[[1,6.01],[2,6]],"downsampled":false}';
    expect(readHistory(body)).toEqual({ channel: 'ph1', from: 1, to: 3, points: [[1, 6.01], [2, 6]], downsampled: false });
  });

  it('drops malformed points and refuses what is not history', () => {
    expect(readHistory('{"channel":"ph1","from":1,"to":3,"points":[[1,"x"],[2,6]]}')?.points).toEqual([[2, 6]]);
    expect(readHistory('{"ok":true}')).toBeNull();
    expect(readHistory('<html>')).toBeNull();
  });
});

describe('export file names', () => {
  it('carry the window asked for, in UTC to the minute, as every file system can hold it', () => {
    const range = { from: Date.parse('2026-05-01T12:00:30Z'), to: Date.parse('2026-05-02T12:00:59Z') };
    expect(exportFileName('history', 'ph1', range)).toBe('tendril-ph1-2026-05-01T1200Z-2026-05-02T1200Z.csv');
    expect(exportFileName('doses', undefined, range)).toBe('tendril-doses-2026-05-01T1200Z-2026-05-02T1200Z.csv');
    expect(exportPath('history', { channel: 'temp1', from: 1, to: 2, units: 'us' })).toBe('/api/export/history.csv?channel=temp1&from=1&to=2&units=us');
  });
});
