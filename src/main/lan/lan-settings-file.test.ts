/**
 * The LAN section of settings.json as a grower writes it, read by headless Tendril in a process
 * of its own on the simulated station: the names it answers to (`lan.hostNames`) and its caps on
 * live connections (`lan.maxScreensPerToken`, `lan.maxScreensPerAddress`) reach the server.
 * Real HTTP and real Socket.IO clients on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const OPERATOR = 'operator-token-for-settings-01';
const VIEWER = 'viewer-token-for-settings-001';

const children: ChildProcess[] = [];
const folders: string[] = [];
const sockets: Socket[] = [];
afterAll(() => {
  for (const socket of sockets) socket.disconnect();
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Headless Tendril with this settings.json; resolves with where it listens. */
function serve(settings: unknown): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), 'tendril-lan-settings-'));
  folders.push(data);
  writeFileSync(join(data, 'settings.json'), JSON.stringify(settings));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--simulate', '--host', '127.0.0.1', '--port', '0', '--data', data], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TENDRIL_OPERATOR_TOKEN: OPERATOR, TENDRIL_VIEWER_TOKEN: VIEWER },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /Tendril is listening on (http:\/\/[\d.]+:\d+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`headless Tendril exited (${code}) before listening:\n${stderr}`)));
  });
}

/** GET /api/state naming `host` in the Host header, as a browser that asked for that name would. */
function stateAs(url: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/state', headers: { host, authorization: `Bearer ${VIEWER}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Connects a screen; resolves with null once it has its initial state, or with the refusal. */
function connect(url: string, token: string, name: string): Promise<{ code?: string; limit?: number; message: string } | null> {
  const socket = io(url, { auth: { token, name }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('initial_state', () => resolve(null));
    socket.once('connect_error', (err: Error & { data?: { code?: string; limit?: number } }) => resolve({ ...err.data, message: err.message }));
  });
}

describe('the lan section of settings.json', () => {
  it('gives the server the names it answers to and its caps on live connections', async () => {
    const url = await serve({ lan: { hostNames: ['grow.example.com'], maxScreensPerToken: 2, maxScreensPerAddress: 3 } });
    const port = new URL(url).port;
    expect(await stateAs(url, `127.0.0.1:${port}`)).toBe(200);
    expect(await stateAs(url, 'grow.example.com')).toBe(200);
    expect(await stateAs(url, `evil.example:${port}`)).toBe(421);

    expect(await connect(url, VIEWER, 'viewer 1')).toBeNull();
    expect(await connect(url, VIEWER, 'viewer 2')).toBeNull();
    expect(await connect(url, VIEWER, 'viewer 3')).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: 2 });
    expect(await connect(url, OPERATOR, 'operator 1')).toBeNull();
    expect(await connect(url, OPERATOR, 'operator 2')).toMatchObject({ code: 'TOO_MANY_SCREENS', limit: 3, message: expect.stringMatching(/lan\.maxScreensPerAddress/) });
  }, 60_000);
});
