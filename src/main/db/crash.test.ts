import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { openStationDatabase } from './index';
import { useScratchFolders } from '../../test-support/main/scratch-folder';

const scratch = useScratchFolders();
const ROOT = join(__dirname, '../../..');
const WRITER = join(__dirname, '../../test-support/main/crash-writer.ts');
/** Enough rounds that the kill lands in the middle of steady writing, not during start-up. */
const ROUNDS_BEFORE_KILL = 300;

describe('the station database after a crash', () => {
  it('keeps every committed row of a writer killed with SIGKILL, and its running job can be interrupted', async () => {
    const file = join(scratch(), 'station.db');
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout });
    const closed = new Promise<void>((resolve) => lines.once('close', () => resolve()));
    let mixing = 0;
    let since = 0;
    let committed = 0;
    let lastJob = 0;
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const started = /^running (\d+) since (\d+)$/.exec(line);
        const round = /^committed (\d+) job (\d+)$/.exec(line);
        if (started) [mixing, since] = [Number(started[1]), Number(started[2])];
        if (round) [committed, lastJob] = [Number(round[1]), Number(round[2])];
        if (committed >= ROUNDS_BEFORE_KILL) resolve();
      });
      void exited.then(() => reject(new Error(`the writer exited after ${committed} rounds: ${stderr.trim()}`)));
    });
    child.kill('SIGKILL');
    await exited;
    // Lines already in the pipe still count: each was printed after its round committed.
    await closed;
    expect(child.signalCode).toBe('SIGKILL');

    const raw = new Database(file);
    expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
    raw.close();

    const station = openStationDatabase(file, { sensorHistory: { flushIntervalMs: 0 } });
    const interrupted = station.jobs.interruptUnfinished(since + 1);
    expect(interrupted.map((job) => job.id)).toContain(mixing);
    expect(station.jobs.get(mixing)).toMatchObject({ kind: 'mix', state: 'interrupted', startedAt: since, endedAt: since + 1 });
    // Only the round the kill cut short may have left a dose job unfinished.
    expect(interrupted.length).toBeLessThanOrEqual(2);

    expect(station.jobs.get(lastJob)).toMatchObject({ state: 'succeeded', endedAt: since + committed * 1000, progress: 1 });
    const jobs = station.jobs.recent(1_000_000).filter((job) => job.kind === 'dose');
    expect(jobs.filter((job) => job.state === 'succeeded').length).toBeGreaterThanOrEqual(committed);
    const doses = station.doseAudit.list({ from: since, to: since + committed * 1000 });
    expect(doses.map((dose) => dose.at)).toEqual(Array.from({ length: committed }, (_, i) => since + (i + 1) * 1000));
    expect(station.doseAudit.deliveredSince('nut_a', since)).toBeGreaterThanOrEqual(committed);
    for (const channel of ['ec1', 'ph1', 'temp1', 'level1']) {
      const history = station.sensorHistory.query(channel, since + 1000, since + committed * 1000, 1_000_000);
      expect(history?.points).toEqual(Array.from({ length: committed }, (_, i) => [since + (i + 1) * 1000, i + 1]));
    }
    station.close();
  });
});
