/**
 * What a screens' worker writes to the log about a screen is one plain line, as the station's own
 * log is: headless Tendril with one worker (`--workers 1`, its private Redis) on the simulated
 * station, and a real Socket.IO client whose self-given name holds a line separator.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { hasControlCharacters } from '../../../shared/plain-text';
import { waitFor } from '../../../test-support/main/sim-process';

const ROOT = join(__dirname, '../../../..');
const VIEWER = 'viewer-token-for-the-worker-log';

function redisAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveRedis = redisAvailable();
if (!haveRedis) console.log('skipped: the worker log test needs redis-server (apt-get install -y redis-server)');

const children: ChildProcess[] = [];
const folders: string[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // SIGTERM: the station stops its worker and its private Redis with it.
    child.kill('SIGTERM');
    await exited;
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}, 30_000);

describe.skipIf(!haveRedis)("a screens' worker's log", () => {
  it('writes a line separator in a screen’s name as an escape, never as a line of its own', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-worker-log-'));
    folders.push(data);
    const station = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--simulate', '--workers', '1', '--host', '127.0.0.1', '--port', '0', '--data', data], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TENDRIL_VIEWER_TOKEN: VIEWER, TENDRIL_OPERATOR_TOKEN: '' },
    });
    children.push(station);
    let stdout = '';
    let stderr = '';
    station.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    station.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => /listening on http:\/\/\S+/.test(stdout) || station.exitCode !== null, 60_000, 'the station and its worker to listen');
    const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
    expect(url, stderr).toBeDefined();

    const name = 'Ana\u2028command: desktop (operator) estop';
    const screen = io(url!, { auth: { token: VIEWER, name }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(screen);
    await new Promise((resolve) => screen.once('initial_state', resolve));
    // A frame that is no Engine.IO packet: the worker drops the screen and logs why, by name.
    (screen.io.engine as unknown as { transport: { ws: { send(data: string): void } } }).transport.ws.send('not a packet');
    await waitFor(() => stderr.includes('dropped (parse error)'), 10_000, 'the worker to log the drop');

    const dropped = stderr.split('\n').find((line) => line.includes('dropped (parse error)'))!;
    expect(dropped).toContain('lan: Ana\\u2028command: desktop (operator) estop at ');
    expect(stderr.split('\n').filter((line) => hasControlCharacters(line))).toEqual([]);
  }, 90_000);
});
