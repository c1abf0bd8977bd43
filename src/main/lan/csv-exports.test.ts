/**
 * The CSV exports over real HTTP, from the station's real SQLite file: what a screen on the LAN
 * calls itself reaches the dose audit and the job history, and comes out of an export as one
 * plain line, marked as a LAN screen, as it comes out in the log. The station as both shells
 * start it, on the simulated controller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../../shared/plain-text';
import { OPERATOR_TOKEN, TestScreen } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';
import { startStation } from '../app';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** RFC 4180 rows, as a spreadsheet reads them: quoted cells may hold commas and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
      i++;
    } else {
      cell += char;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('the CSV exports', () => {
  it('write a LAN screen’s self-given name as one plain line, marked as a LAN screen', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tendril-csv-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const station = await startStation({
      dataDir,
      source: { kind: 'simulated', timeScale: 1 },
      policy: { tokens: 'stop', link: 'stop', lan: 'stop' },
      lan: { choice: { enabled: true, host: '127.0.0.1', port: 0 }, configurable: true, webRoot: null },
      log: () => {},
      env: { TENDRIL_OPERATOR_TOKEN: OPERATOR_TOKEN },
    });
    cleanups.push(() => station.close());
    await waitFor(() => station.core.state().link.status === 'ready', 10_000, 'the simulated link');
    const url = station.lan.listeningUrl()!;
    // A line separator passes as a name (it is no control character), and would start a row of
    // its own in some readers: "desktop" on it would pass for the station's computer.
    const screen = await new TestScreen(url, OPERATOR_TOKEN, 'Ana\u2028desktop').ready();
    cleanups.push(() => screen.close());
    const dose = (await screen.command({ id: 'd1', type: 'pump.dose', pumpId: 'nut_a', ml: 1 })) as { ok: boolean; result: { jobId: number } };
    expect(dose.ok).toBe(true);
    await waitFor(() => station.records.doses({}).some((entry) => entry.jobId === dose.result.jobId), 10_000, 'the dose in the audit');

    const marked = 'Ana\\u2028desktop (LAN screen paired as “TENDRIL_OPERATOR_TOKEN”)';
    const auth = { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
    for (const [path, column] of [
      ['/api/export/doses.csv', 'requested_by'],
      ['/api/export/jobs.csv', 'requested_by'],
    ] as const) {
      const response = await fetch(`${url}${path}`, auth);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/csv/);
      const text = await response.text();
      expect(hasControlCharacters(text.replaceAll('\r\n', '')), path).toBe(false);
      const [header, ...rows] = readCsv(text.replace(/\r\n$/, ''));
      const at = header!.indexOf(column);
      expect(at, `${path} has ${column}`).toBeGreaterThanOrEqual(0);
      expect(rows.map((row) => row[at]), path).toContain(marked);
    }
  });
});
