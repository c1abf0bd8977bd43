/**
 * What the LAN server does with messages outside the API, as docs/lan-api.md tells integrators:
 * an unknown event is never acknowledged, a name Socket.IO keeps for itself closes the
 * connection, the 64 KiB limit is per frame (attachments are frames of their own), and the
 * `Bearer` scheme is read without regard to case. Real Socket.IO clients and HTTP on loopback.
 */
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createStationControl } from '../control';
import { standInCore } from '../../test-support/main/stand-in-core';
import { TokenStore } from './access';
import { createLanServer, type LanServer } from './http-server';
import { MAX_MESSAGE_BYTES } from './live-server';

const OPERATOR = 'operator-token-for-wire-0001';
const servers: LanServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const server of servers.splice(0)) await server.close();
});

async function start(): Promise<string> {
  const core = standInCore();
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR, 'tests');
  const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null });
  servers.push(server);
  return server.listen();
}

async function connect(url: string): Promise<Socket> {
  const socket = io(url, { auth: { token: OPERATOR, name: 'wire' }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('initial_state', resolve));
  return socket;
}

/** Sends a Socket.IO event packet as written, past the client library's own checks. */
function sendRaw(socket: Socket, packet: string): void {
  (socket.io as unknown as { engine: { write(data: string): void } }).engine.write(packet);
}

const disconnection = (socket: Socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

describe('the LAN server, for messages outside the API', () => {
  it('never acknowledges an event it does not know, and keeps the connection', async () => {
    const socket = await connect(await start());
    let answered = false;
    socket.emit('launch_rockets', { now: true }, () => (answered = true));
    // Messages are handled in order: once a later one is acknowledged, the first was handled.
    expect(await socket.emitWithAck('resync')).toEqual({ ok: true });
    expect(answered).toBe(false);
    expect(socket.connected).toBe(true);
  });

  it.each(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])('closes the connection that sends the reserved name %s', async (name) => {
    const socket = await connect(await start());
    const closed = disconnection(socket);
    sendRaw(socket, `2["${name}",{}]`);
    expect(await closed).toBe('transport close');
  });

  it('limits each frame, not each event: ten attachments of 60 KB are received, and a command refuses them', async () => {
    const socket = await connect(await start());
    const parts = Array.from({ length: 10 }, () => Buffer.alloc(60_000, 1));
    expect(60_000).toBeLessThan(MAX_MESSAGE_BYTES);
    const answer = await socket.emitWithAck('command', { id: 'x', type: 'estop', parts });
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID', message: 'unknown field "parts"; remove it' } });
    expect(socket.connected).toBe(true);
  });

  it('closes the connection that sends one frame over the limit', async () => {
    const socket = await connect(await start());
    const closed = disconnection(socket);
    socket.emit('command', { id: 'y', type: 'estop', note: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect(await closed).toBe('transport close');
  });

  it('reads the Bearer scheme in any case (RFC 7235), and the token as it is', async () => {
    const url = await start();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${url}/api/state`, { headers: { authorization: `${scheme} ${OPERATOR}` } });
      expect(response.status, scheme).toBe(200);
      expect(((await response.json()) as { stateHash: string }).stateHash).toMatch(/^[0-9a-f]{8}$/);
    }
    const wrongCase = await fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${OPERATOR.toUpperCase()}` } });
    expect(wrongCase.status).toBe(401);
  });
});
