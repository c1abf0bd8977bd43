/**
 * One flush of the live feed, put on the wire as one write per screen.
 *
 * Engine.IO sends a packet at once when a connection is idle and holds the rest until that
 * write completes; each packet is its own WebSocket frame and its own system call. A read
 * cycle of eight sensors sent to a thousand phones is then eight thousand writes, and the
 * phone served last waits for all of them. Here the WebSocket connections of the room are held
 * for the length of the burst, so Engine.IO queues every packet, and each is then flushed once
 * with its TCP socket corked: the same frames in the same order, in one write.
 *
 * This leans on Engine.IO's transport (`writable`, the socket's `flush`) and `ws`'s TCP socket.
 * Where any of them is not as expected (a long-polling screen, a later library version), that
 * screen simply gets the packets the ordinary way.
 */
import type { Server } from 'socket.io';

/** The parts of an Engine.IO connection this relies on. */
interface HeldConnection {
  transport: { name: string; writable: boolean; socket?: { _socket?: TcpSocket } };
  flush(): void;
}

interface TcpSocket {
  cork(): void;
  uncork(): void;
}

export function holdable(conn: unknown): conn is HeldConnection {
  const candidate = conn as Partial<HeldConnection> | undefined;
  return (
    typeof candidate?.flush === 'function' &&
    candidate.transport?.name === 'websocket' &&
    typeof candidate.transport.writable === 'boolean' &&
    typeof candidate.transport.socket?._socket?.cork === 'function'
  );
}

/** Emits `messages` to everyone in `room`, in order, with one write per WebSocket screen. */
export function emitBurst(io: Server, room: string, messages: readonly { name: string; payload: unknown }[]): void {
  if (messages.length === 0) return;
  const namespace = io.of('/');
  const held: HeldConnection[] = [];
  if (messages.length > 1) {
    for (const id of namespace.adapter.rooms.get(room) ?? []) {
      const conn: unknown = namespace.sockets.get(id)?.conn;
      // A connection already mid-write queues the burst by itself and flushes it when done.
      if (holdable(conn) && conn.transport.writable) {
        conn.transport.writable = false;
        held.push(conn);
      }
    }
  }
  try {
    const target = io.to(room);
    for (const message of messages) target.emit(message.name, message.payload);
  } finally {
    for (const conn of held) {
      const tcp = conn.transport.socket?._socket;
      tcp?.cork();
      conn.transport.writable = true;
      conn.flush();
      tcp?.uncork();
    }
  }
}
