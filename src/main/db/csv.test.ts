import { describe, expect, it } from 'vitest';
import { doseAuditCsv, jobHistoryCsv, sensorHistoryCsv, toCsv } from './csv';

/** An RFC 4180 reader, to prove what a spreadsheet would see. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const T = Date.UTC(2026, 4, 1, 12, 30);

describe('toCsv', () => {
  it('quotes cells holding a comma, a quote or a line break, and ends every line with CRLF', () => {
    const text = toCsv(['note', 'n'], [
      ['plain', 1],
      ['a, b', 2.5],
      ['say "hi"', -3],
      ['two\nlines', 0],
      ['cr\rhere', null],
      [undefined, true],
    ]);
    expect(text).toBe('note,n\r\nplain,1\r\n"a, b",2.5\r\n"say ""hi""",-3\r\n"two\nlines",0\r\n"cr\rhere",\r\n,true\r\n');
    expect(readCsv(text)).toEqual([
      ['note', 'n'],
      ['plain', '1'],
      ['a, b', '2.5'],
      ['say "hi"', '-3'],
      ['two\nlines', '0'],
      ['cr\rhere', ''],
      ['', 'true'],
    ]);
  });

  it('turns text that a spreadsheet would run as a formula into plain text, but leaves numbers alone', () => {
    const cells = ['=HYPERLINK("http://evil","feed")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', 'fine = ok'];
    const [, ...rows] = readCsv(toCsv(['text', 'number'], cells.map((cell) => [cell, -1.5])));
    expect(rows.map(([text]) => text)).toEqual(["'=HYPERLINK(\"http://evil\",\"feed\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", 'fine = ok']);
    expect(rows.every(([, number]) => number === '-1.5')).toBe(true);
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => toCsv(['a', 'b'], [['only one']])).toThrow(/1 cells for 2 columns/);
  });
});

describe('exports', () => {
  it('writes the dose audit with ISO and epoch times', () => {
    const rows = readCsv(doseAuditCsv([{ at: T, pumpId: 'nut_a', requestedMl: 5, deliveredMl: 3.2, jobId: 7, requestedBy: '=cmd', outcome: 'link lost' }]));
    expect(rows).toEqual([
      ['time', 'time_ms', 'pump', 'requested_ml', 'delivered_ml', 'job', 'requested_by', 'outcome'],
      ['2026-05-01T12:30:00.000Z', String(T), 'nut_a', '5', '3.2', '7', "'=cmd", 'link lost'],
    ]);
  });

  it('writes the job history, with the spec as JSON and empty cells for times not reached', () => {
    const rows = readCsv(
      jobHistoryCsv([
        {
          id: 3,
          spec: { kind: 'dose', pumpId: 'nut_a', ml: 5 },
          kind: 'dose',
          tankId: null,
          state: 'interrupted',
          requestedBy: 'desktop',
          createdAt: T,
          startedAt: null,
          endedAt: T + 1000,
          progress: 0.25,
          detail: 'dosed 1.25 of 5 mL, then Tendril stopped',
        },
      ]),
    );
    expect(rows[1]).toEqual([
      '3',
      'dose',
      'interrupted',
      '',
      'desktop',
      '2026-05-01T12:30:00.000Z',
      String(T),
      '',
      '',
      '2026-05-01T12:30:01.000Z',
      String(T + 1000),
      '0.25',
      'dosed 1.25 of 5 mL, then Tendril stopped',
      '{"kind":"dose","pumpId":"nut_a","ml":5}',
    ]);
  });

  it('escapes control characters in free text as the log does, stored before labels were checked', () => {
    const forged = 'Ana\r\n2026-05-01T12:30:00.000Z,0,nut_a,500,500,1,desktop,done';
    const audit = readCsv(doseAuditCsv([{ at: T, pumpId: 'nut_a', requestedMl: 5, deliveredMl: 5, jobId: 7, requestedBy: forged, outcome: 'done\u202e' }]));
    expect(audit).toHaveLength(2);
    expect(audit[1]!.slice(6)).toEqual(['Ana\\u000d\\u000a2026-05-01T12:30:00.000Z,0,nut_a,500,500,1,desktop,done', 'done\\u202e']);

    const jobs = readCsv(
      jobHistoryCsv([
        {
          id: 4,
          spec: { kind: 'recipe', recipeId: 'veg' },
          kind: 'recipe',
          tankId: null,
          state: 'failed',
          requestedBy: 'schedule \u2066Lights\u2069',
          createdAt: T,
          startedAt: T,
          endedAt: T,
          progress: 0,
          detail: 'step 2:\nwait\u2028failed',
        },
      ]),
    );
    expect([jobs[1]![4], jobs[1]![12]]).toEqual(['schedule \\u2066Lights\\u2069', 'step 2:\\u000await\\u2028failed']);
  });

  it('writes sensor history one point a row, channel after channel', () => {
    const rows = readCsv(
      sensorHistoryCsv([
        { channel: 'ec1', from: T, to: T + 2000, points: [[T, 1.4], [T + 1000.5, 1.5]], downsampled: false },
        { channel: 'ph1', from: T, to: T + 2000, points: [[T, 5.8]], downsampled: true },
      ]),
    );
    expect(rows).toEqual([
      ['time', 'time_ms', 'channel', 'value', 'averaged'],
      ['2026-05-01T12:30:00.000Z', String(T), 'ec1', '1.4', 'false'],
      ['2026-05-01T12:30:01.001Z', String(T + 1001), 'ec1', '1.5', 'false'],
      ['2026-05-01T12:30:00.000Z', String(T), 'ph1', '5.8', 'true'],
    ]);
  });

  it('puts a calibrated probe’s raw values beside its readings, empty where a reading was not calibrated', () => {
    const rows = readCsv(
      sensorHistoryCsv(
        [{ channel: 'ph1', from: T, to: T + 2000, points: [[T, 5.8], [T + 1000, 6.2]], downsampled: false, raw: [null, 6.0] }],
        'pH probe (pH)',
        'pH probe, raw (pH)',
      ),
    );
    expect(rows).toEqual([
      ['time', 'time_ms', 'channel', 'pH probe (pH)', 'pH probe, raw (pH)', 'averaged'],
      ['2026-05-01T12:30:00.000Z', String(T), 'ph1', '5.8', '', 'false'],
      ['2026-05-01T12:30:01.000Z', String(T + 1000), 'ph1', '6.2', '6', 'false'],
    ]);
  });
});
