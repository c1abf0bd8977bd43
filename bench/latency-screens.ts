/**
 * The other screens of the latency bench, in a process of their own so that their decoding
 * does not run on the station's or the page's cores' clock: N Socket.IO clients on the LAN API,
 * WebSocket only as phones connect, each taking the live feed and doing nothing with it.
 */
import { io, type Socket } from 'socket.io-client';
import type { FromScreens, ToScreens } from './latency-shared';

const BATCH = 25;
const CONNECT_TIMEOUT_MS = 60_000;
const sockets: Socket[] = [];

function tell(message: FromScreens): void {
  process.send?.(message);
}

function connectOne(url: string, token: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token, name }, transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    const timer = setTimeout(() => reject(new Error(`${name} had no snapshot within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    socket.once('initial_state', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name} was refused: ${err.message}`));
    });
  });
}

process.on('message', (message: ToScreens) => {
  if (message.kind === 'stop') {
    for (const socket of sockets) socket.disconnect();
    process.exit(0);
  }
  void (async () => {
    try {
      for (let i = 0; i < message.count; i += BATCH) {
        const batch = [];
        for (let j = i; j < Math.min(message.count, i + BATCH); j++) batch.push(connectOne(message.url, message.token, `bench screen ${j + 1}`));
        await Promise.all(batch);
      }
      tell({ kind: 'connected', count: sockets.length });
    } catch (err) {
      tell({ kind: 'failed', why: (err as Error).message });
    }
  })();
});
