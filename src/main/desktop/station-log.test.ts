import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FILE, openStationLog } from './station-log';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('the station log', () => {
  it('writes each line to main.log in the logs folder, with the time', () => {
    const logs = join(mkdtempSync(join(tmpdir(), 'tendril-logs-')), 'logs');
    folders.push(join(logs, '..'));
    const log = openStationLog(logs, { console: false });
    expect(log.file).toBe(join(logs, LOG_FILE));
    log.write('link: ready (SIM-0001, firmware 1.4.0)');
    log.write('command: this computer (operator) estop: done');
    const lines = readFileSync(log.file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] link: ready \(SIM-0001, firmware 1\.4\.0\)$/);
    expect(lines[1]).toMatch(/\] command: this computer \(operator\) estop: done$/);
  });
});
