/**
 * Socket.IO's connection state recovery, held behind the token check.
 *
 * Socket.IO 4.8 replays a dropped connection's missed events in the socket's constructor, as
 * soon as the client presents the session's `{pid, offset}`: before any middleware has looked
 * at its token. Anyone holding those two strings (or a screen whose token was revoked while it
 * was away) would be sent up to two minutes of the station's events, presence with names and
 * addresses included, and only then be refused. Here the adapter hands Socket.IO the session
 * with nothing to replay and keeps the missed events aside; the live server sends them only to a
 * connection its token check admitted, with the token the session was made with.
 */
import type { Namespace, Socket } from 'socket.io';

/** Socket.IO's EVENT packet type. */
const EVENT = 2;

/** The part of Socket.IO's adapter this wraps (the in-memory adapter's session store). */
interface SessionStore {
  restoreSession(pid: string, offset: string): Promise<{ sid: string; missedPackets: unknown[][] } | null> | null;
  /** The dropped connections' sessions by pid, each with the `data` its connection had. */
  sessions?: Map<string, { data?: unknown }>;
}

/** Sending a packet to one socket without storing it again: how Socket.IO itself replays. */
interface PacketWriter {
  packet(packet: { type: number; data: unknown[] }): void;
}

export interface RecoveryGuard {
  /**
   * The missed events of a connection Socket.IO just recovered, taken out of the guard: call it
   * once, in the token check, whether or not the connection is admitted, so nothing is kept for
   * a refused one. Null when the connection was not recovered.
   */
  take(socket: Socket): unknown[][] | null;
  /** Sends the missed events to an admitted connection, as Socket.IO would have. */
  replay(socket: Socket, missed: readonly unknown[][]): void;
  /**
   * Drops the kept sessions whose connection data `belongsTo` picks (a revoked token's): they
   * would be refused anyway, and need not be kept until they expire.
   */
  forget(belongsTo: (data: unknown) => boolean): void;
}

export function guardRecovery(namespace: Namespace): RecoveryGuard {
  const adapter = namespace.adapter as unknown as SessionStore;
  const restore = adapter.restoreSession.bind(adapter);
  /** By the recovered connection's id; emptied within the tick the session is restored in. */
  const held = new Map<string, unknown[][]>();
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return null;
    held.set(session.sid, session.missedPackets);
    return { ...session, missedPackets: [] };
  };
  return {
    take(socket) {
      const missed = held.get(socket.id);
      held.delete(socket.id);
      return socket.recovered ? (missed ?? []) : null;
    },
    replay(socket, missed) {
      const writer = socket as unknown as PacketWriter;
      for (const data of missed) writer.packet({ type: EVENT, data });
    },
    forget(belongsTo) {
      const sessions = adapter.sessions;
      if (!(sessions instanceof Map)) return;
      for (const [pid, session] of sessions) if (belongsTo(session.data)) sessions.delete(pid);
    },
  };
}
