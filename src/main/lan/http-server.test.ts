/**
 * The HTTP server over real sockets on loopback, with a stand-in station core: what is served,
 * and what is refused.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateHash } from '../../shared/events';
import type { StationState } from '../../shared/station';
import { createStationControl } from '../control';
import { ReadingHistory } from '../history';
import { TEST_START } from '../../test-support/main/fake-time';
import { standInCore } from '../../test-support/main/stand-in-core';
import { FailureLimiter, TokenStore } from './access';
import { createLanServer, type LanServer, type LanServerOptions } from './http-server';

function webRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'tendril-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Tendril</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'tendril-secret.txt'), 'secret');
  return root;
}

/** A raw request, so paths like /../ reach the server as written. */
function get(
  url: string,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const servers: LanServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const VIEWER = 'viewer-token-for-tests-0001';
const viewer = { authorization: `Bearer ${VIEWER}` };

async function start(root: string | null, core = standInCore(), limiter?: FailureLimiter, more: Partial<LanServerOptions> = {}) {
  const tokens = await TokenStore.open(null);
  tokens.preset('viewer', VIEWER, 'tests');
  const history = new ReadingHistory();
  core.onEvent((event) => history.recordChange(event));
  const server = createLanServer({ core, control: createStationControl(core), tokens, history, host: '127.0.0.1', port: 0, webRoot: root, limiter, ...more });
  servers.push(server);
  return { url: await server.listen(), core };
}

describe('LAN HTTP server', () => {
  it('reports health and serves the snapshot with a sequence number that moves', async () => {
    const { url, core } = await start(webRoot());
    const health = await get(url, '/api/health');
    expect(JSON.parse(health.body)).toMatchObject({ ok: true, link: 'disconnected', device: null, simulated: true });
    const first = JSON.parse((await get(url, '/api/state', 'GET', viewer)).body) as { seq: number; epoch: string };
    core.apply({ type: 'alert', alert: { id: 1, level: 'error', code: 'WATCHDOG', message: 'x', at: 1, source: 'controller' } });
    const second = JSON.parse((await get(url, '/api/state', 'GET', viewer)).body) as { seq: number; epoch: string; state: StationState };
    expect(second.seq).toBe(first.seq + 1);
    expect(second.epoch).toBe(first.epoch);
    expect(second.state.alarm?.code).toBe('WATCHDOG');
    expect(stateHash(second.state)).toBe(stateHash(core.state()));
  });

  it('asks for a token on the API, says why one is refused, and slows down guessing', async () => {
    // A limiter on a clock that moves only when the test moves it, so the lockout is checked to
    // the second it ends.
    let now = TEST_START;
    const limiter = new FailureLimiter({ maxFailures: 5, lockoutMs: 60_000, now: () => now });
    const { url } = await start(webRoot(), standInCore(), limiter);
    const missing = await get(url, '/api/state');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/Authorization: Bearer/) } });
    // A request without a token is not a guess; wrong tokens are.
    expect((await get(url, '/api/state', 'GET', viewer)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(401);
    // Five wrong tokens lock the address out for a while; the success in between did not wipe
    // the count.
    const locked = await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(60);
    expect(JSON.parse(locked.body)).toMatchObject({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/wait 60 s and try again$/) } });
    // The lockout is for guesses: the right token is served throughout.
    expect((await get(url, '/api/state', 'GET', viewer)).status).toBe(200);
    // A guess during the lockout neither counts nor extends it.
    expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(429);
    now += 59_001;
    const ending = await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' });
    expect(ending.status).toBe(429);
    expect(ending.headers['retry-after']).toBe('1');
    now += 999;
    expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(401);
    expect((await get(url, '/api/state', 'GET', viewer)).status).toBe(200);
    // The health check and the UI itself stay open: they carry no station data to protect.
    expect((await get(url, '/api/health')).status).toBe(200);
    expect((await get(url, '/')).status).toBe(200);
  });

  it('takes a null, empty or blank token as no token at all, and never counts it as a guess', async () => {
    const now = TEST_START;
    const limiter = new FailureLimiter({ maxFailures: 2, lockoutMs: 60_000, now: () => now });
    const { url } = await start(webRoot(), standInCore(), limiter);
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer    ', 'bearer', 'Basic dmlld2VyOmd1ZXNz', '']) {
      for (let i = 0; i < 3; i++) {
        const answer = await get(url, '/api/state', 'GET', { authorization });
        expect(answer.status, JSON.stringify(authorization)).toBe(401);
        expect(JSON.parse(answer.body).error.message).toMatch(/send the pairing token as "Authorization: Bearer <token>"/);
      }
    }
    // Had any of those counted, two wrong tokens would now meet a lockout rather than lock.
    expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(401);
    expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(401);
    expect((await get(url, '/api/state', 'GET', { authorization: 'Bearer guess' })).status).toBe(429);
  });

  it('answers only to its own names: a rebound page is refused, its own addresses and the configured names pass', async () => {
    const { url } = await start(webRoot(), standInCore(), undefined, { hostNames: ['grow.example.com', 'tendril.local'] });
    const port = new URL(url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `grow.example.com.evil.example:${port}`, `192.0.2.1:${port}`]) {
      for (const path of ['/api/state', '/api/health', '/', '/api/command']) {
        const refused = await get(url, path, path === '/api/command' ? 'POST' : 'GET', { ...viewer, host, origin: `http://${host}` });
        expect(refused.status, `${host}${path}`).toBe(421);
        expect(JSON.parse(refused.body)).toMatchObject({
          ok: false,
          error: { code: 'UNKNOWN_HOST', message: `this station does not answer to the name "${host}"; open it at the address Tendril prints, or add the name to "hostNames" in the "lan" section of settings.json` },
        });
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', '127.0.0.1', 'grow.example.com', 'GROW.example.com:443', 'tendril.local.', `${hostname()}:${port}`, `${hostname()}.local:${port}`]) {
      expect((await get(url, '/api/state', 'GET', { ...viewer, host })).status, host).toBe(200);
    }
  });

  it('answers history queries for recorded channels, and explains bad ones', async () => {
    const { url, core } = await start(webRoot());
    const now = Date.now();
    core.apply({ type: 'ecph_reading', sensorId: 'ph1', value: 5.9, at: now - 2000 });
    core.apply({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: now });
    const found = await get(url, `/api/history?channel=ph1&from=${now - 60_000}&to=${now + 1}`, 'GET', viewer);
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body)).toMatchObject({ channel: 'ph1', points: [[now - 2000, 5.9], [now, 6.1]], downsampled: false });
    const unknown = await get(url, '/api/history?channel=ec9', 'GET', viewer);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toMatch(/ph1/);
    const bad = await get(url, '/api/history?channel=ph1&from=yesterday', 'GET', viewer);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'INVALID', message: expect.stringMatching(/ISO/) } });
  });

  it('serves the web UI with its security headers, and the page for app addresses', async () => {
    const { url } = await start(webRoot());
    const page = await get(url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await get(url, '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await get(url, '/settings')).body).toContain('<title>Tendril</title>');
    expect((await get(url, '/assets/missing.js')).status).toBe(404);
    expect((await get(url, '/%E0%A4%A')).status).toBe(400);
  });

  it('never serves files outside the web root', async () => {
    const { url } = await start(webRoot());
    for (const path of ['/../tendril-secret.txt', '/%2e%2e/tendril-secret.txt', '/assets/..%2f..%2ftendril-secret.txt']) {
      const res = await get(url, path);
      expect(res.body, path).not.toContain('secret');
    }
  });

  it('says how to build the UI when it is missing, and refuses other methods and unknown APIs', async () => {
    const { url } = await start(null);
    const page = await get(url, '/');
    expect(page.status).toBe(503);
    expect(page.body).toMatch(/npm run build/);
    expect((await get(url, '/api/health', 'DELETE')).status).toBe(405);
    const unknown = await get(url, '/api/nothing');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
