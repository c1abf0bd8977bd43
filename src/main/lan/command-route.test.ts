/**
 * POST /api/command over real HTTP on loopback, next to real Socket.IO clients on the same
 * server: the same door, the same acks, the same allowance, whichever road a command takes.
 */
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createStationControl } from '../control';
import { standInCore, type StandInCore } from '../../test-support/main/stand-in-core';
import { TokenStore } from './access';
import { MAX_COMMAND_BYTES } from './command-route';
import { createLanServer, type LanServer } from './http-server';
import { COMMAND_BURST } from './lan-commands';

const OPERATOR = 'operator-token-for-tests-0001';
const VIEWER = 'viewer-token-for-tests-00001';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function post(url: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: '/api/command', method, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (token: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extra });
const command = (url: string, token: string, payload: unknown) => post(url, JSON.stringify(payload), json(token));

const servers: LanServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

/** A server whose command allowance does not refill unless the test moves its clock. */
async function start(): Promise<{ url: string; core: StandInCore; clock: { now: number } }> {
  const core = standInCore();
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR, 'tests');
  tokens.preset('viewer', VIEWER, 'tests');
  const clock = { now: 1_000_000 };
  const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null, now: () => clock.now });
  servers.push(server);
  return { url: await server.listen(), core, clock };
}

async function screen(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token, name: 'tests' }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('initial_state', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const overSocket = (socket: Socket, payload: unknown): Promise<unknown> => socket.timeout(5_000).emitWithAck('command', payload);

let ids = 0;
const nextId = () => `http-${++ids}`;

describe('POST /api/command', () => {
  it('answers a command with the same ack as the live connection', async () => {
    const { url, core } = await start();
    const socket = await screen(url, OPERATOR);
    const cases: Array<(id: string) => Record<string, unknown>> = [
      (id) => ({ id, type: 'relay.set', relayId: 'air', on: true }),
      (id) => ({ id, type: 'estop' }),
      (id) => ({ id, type: 'relay.set', relayId: 'air', on: 'yes' }),
      (id) => ({ id, type: 'launch' }),
    ];
    for (const make of cases) {
      const live = await overSocket(socket, make(nextId()));
      const http = await command(url, OPERATOR, make(nextId()));
      expect(JSON.parse(http.body), JSON.stringify(make('x'))).toEqual(live);
    }
    const valid = await command(url, OPERATOR, { id: nextId(), type: 'relay.set', relayId: 'lights', on: true });
    expect(valid.status).toBe(200);
    expect(JSON.parse(valid.body)).toEqual({ ok: true, result: { relayId: 'lights', on: true } });
    const invalid = await command(url, OPERATOR, { id: nextId(), type: 'pump.dose', pumpId: 'nut_a', ml: -5 });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({ ok: false, error: { code: 'INVALID', message: 'ml must be more than 0' } });
    expect(core.calls).toEqual(['relay air on', 'relay air on', 'estop', 'estop', 'relay lights on']);
  });

  it('lets a viewer stop the station and nothing else, as over the live connection', async () => {
    const { url, core } = await start();
    const socket = await screen(url, VIEWER);
    const live = await overSocket(socket, { id: nextId(), type: 'relay.set', relayId: 'air', on: true });
    const http = await command(url, VIEWER, { id: nextId(), type: 'relay.set', relayId: 'air', on: true });
    expect(http.status).toBe(403);
    expect(JSON.parse(http.body)).toEqual(live);
    expect(JSON.parse(http.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/operator/) } });
    const stop = await command(url, VIEWER, { id: nextId(), type: 'estop' });
    expect(JSON.parse(stop.body)).toEqual({ ok: true, result: { latched: true } });
    expect(core.calls).toEqual(['estop']);
  });

  it('carries out a command sent twice with one id once, and answers both alike', async () => {
    const { url, core } = await start();
    const relay = { id: nextId(), type: 'relay.set', relayId: 'fill', on: true };
    const [first, second] = await Promise.all([command(url, OPERATOR, relay), command(url, OPERATOR, relay)]);
    expect(JSON.parse(first.body)).toEqual({ ok: true, result: { relayId: 'fill', on: true } });
    expect(second.body).toBe(first.body);
    // The live connection shares the id space of the token: a retry there is the same command.
    const socket = await screen(url, OPERATOR);
    expect(await overSocket(socket, relay)).toEqual(JSON.parse(first.body));
    expect(core.calls).toEqual(['relay fill on']);
    const reused = await command(url, OPERATOR, { ...relay, on: false });
    expect(JSON.parse(reused.body)).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringMatching(/already used/) } });
  });

  it('spends one allowance per token across both roads, and says when to retry', async () => {
    const { url, core, clock } = await start();
    const socket = await screen(url, OPERATOR);
    const relay = (on: boolean) => ({ id: nextId(), type: 'relay.set', relayId: 'air', on });
    for (let i = 0; i < COMMAND_BURST / 2; i++) expect(await overSocket(socket, relay(true))).toMatchObject({ ok: true });
    for (let i = 0; i < COMMAND_BURST / 2; i++) expect((await command(url, OPERATOR, relay(true))).status).toBe(200);
    const limited = await command(url, OPERATOR, relay(false));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    const live = await overSocket(socket, relay(false));
    expect(JSON.parse(limited.body)).toEqual(live);
    expect(live).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/slow down/) } });
    expect(core.calls).toHaveLength(COMMAND_BURST);
    // The allowance spent, a stop still goes through, by either road, and costs nothing.
    expect(await overSocket(socket, { id: nextId(), type: 'estop' })).toMatchObject({ ok: true });
    expect(JSON.parse((await command(url, OPERATOR, { id: nextId(), type: 'estop' })).body)).toMatchObject({ ok: true });
    expect(core.calls.filter((call) => call === 'estop')).toHaveLength(2);
    // Another token has its own allowance; and a tenth of a second later this one has one more.
    expect(JSON.parse((await command(url, VIEWER, { id: nextId(), type: 'estop' })).body)).toMatchObject({ ok: true });
    clock.now += 100;
    expect((await command(url, OPERATOR, relay(false))).status).toBe(200);
    expect((await command(url, OPERATOR, relay(false))).status).toBe(429);
  });

  it('refuses a missing or wrong token as the rest of the API does', async () => {
    const { url, core } = await start();
    const body = JSON.stringify({ id: nextId(), type: 'estop' });
    const missing = await post(url, body, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/Authorization: Bearer/) } });
    const wrong = await post(url, body, json('not-a-real-token-at-all'));
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/not valid/) } });
    expect(core.calls).toEqual([]);
  });

  it('refuses other methods, other content types, oversize bodies, bad JSON and foreign pages, saying what to do', async () => {
    const { url, core } = await start();
    const estop = JSON.stringify({ id: nextId(), type: 'estop' });
    const get = await post(url, '', { authorization: `Bearer ${OPERATOR}` }, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    const form = await post(url, estop, { ...json(OPERATOR), 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body)).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringMatching(/application\/json/) } });
    const padded = JSON.stringify({ id: nextId(), type: 'estop', padding: 'x'.repeat(MAX_COMMAND_BYTES) });
    const large = await post(url, padded, json(OPERATOR));
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', message: expect.stringMatching(/64 KiB/) } });
    const broken = await post(url, '{"id": "x", "type": ', json(OPERATOR));
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringMatching(/not JSON/) } });
    // A page elsewhere that got a token still cannot use it from a grower's browser.
    const foreign = await post(url, estop, json(OPERATOR, { origin: 'http://evil.example' }));
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/evil\.example/) } });
    expect(core.calls).toEqual([]);
    const own = await post(url, estop, json(OPERATOR, { origin: url }));
    expect(own.status).toBe(200);
    expect(core.calls).toEqual(['estop']);
  });
});
