/**
 * A burst to a room, through a real Socket.IO server and real clients on loopback: every screen
 * gets every message in order, a WebSocket screen gets them in one write, and a long-polling
 * screen still gets them the ordinary way.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { emitBurst, holdable } from './burst';

let http: HttpServer;
let server: Server;
const clients: ClientSocket[] = [];

async function start(): Promise<string> {
  http = createServer();
  server = new Server(http);
  server.on('connection', (socket) => void socket.join('veg'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A client in the room, and everything it received. */
async function screen(url: string, transport: 'websocket' | 'polling'): Promise<{ received: number[] }> {
  const client = connect(url, { transports: [transport], forceNew: true, reconnection: false });
  clients.push(client);
  const received: number[] = [];
  client.on('ecph_reading', (payload: { seq: number }) => received.push(payload.seq));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return { received };
}

/** Waits until `done` holds, checking each time the client side could have received more. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function burst(from: number, count: number): { name: string; payload: { seq: number } }[] {
  return Array.from({ length: count }, (_, i) => ({ name: 'ecph_reading', payload: { seq: from + i } }));
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server?.close();
});

describe('emitBurst', () => {
  it('delivers every message of a burst in order, to WebSocket and long-polling screens alike', async () => {
    const url = await start();
    const phone = await screen(url, 'websocket');
    const oldPhone = await screen(url, 'polling');
    await until(() => server.of('/').adapter.rooms.get('veg')?.size === 2);

    emitBurst(server, 'veg', burst(1, 50));
    emitBurst(server, 'veg', burst(51, 1));
    emitBurst(server, 'veg', burst(52, 8));

    const expected = Array.from({ length: 59 }, (_, i) => i + 1);
    await until(() => phone.received.length === 59 && oldPhone.received.length === 59);
    expect(phone.received).toEqual(expected);
    expect(oldPhone.received).toEqual(expected);
  });

  it('puts a burst on the wire as one write per WebSocket screen', async () => {
    const url = await start();
    const phone = await screen(url, 'websocket');
    await until(() => server.of('/').adapter.rooms.get('veg')?.size === 1);
    const [socket] = server.of('/').sockets.values();
    const conn: unknown = socket?.conn;
    // If a library update moves what this relies on, this fails instead of quietly slowing down.
    expect(holdable(conn)).toBe(true);

    const tcp = (conn as { transport: { socket: { _socket: { _write: unknown; _writev: unknown } } } }).transport.socket._socket;
    let writes = 0;
    for (const method of ['_write', '_writev'] as const) {
      const original = tcp[method] as (...args: unknown[]) => unknown;
      tcp[method] = (...args: unknown[]) => {
        writes++;
        return original.apply(tcp, args);
      };
    }
    emitBurst(server, 'veg', burst(1, 8));
    await until(() => phone.received.length === 8);
    expect(writes).toBe(1);
    expect(phone.received).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
