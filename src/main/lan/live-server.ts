/**
 * Socket.IO on the LAN: the live state for phones and other PCs, and their commands. Every
 * connection needs a paired token; what it may do follows the token's role.
 *
 * A screen gets `initial_state` on connect, then its audience's numbered events (see
 * LiveFeed). Socket.IO's connection state recovery replays what a briefly dropped phone missed,
 * but only as a shortcut: the numbering is the guarantee, and `resync` is always there.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { describeIssue, type CommandAck } from '../../shared/commands';
import type { Viewer } from '../../shared/station';
import type { Principal } from '../control';
import { ALL, tankAudience, type LiveFeed } from '../live/feed';
import type { StationCore } from '../station';
import type { FailureLimiter, TokenStore } from './access';
import type { LanCommands } from './lan-commands';

/** A payload larger than this closes the connection that sent it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A phone that vanished (no pong) is noticed within ping interval + ping timeout: 25 s. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 15_000;
/** How long a dropped connection's missed events are kept for it. */
const RECOVERY_MS = 2 * 60_000;
/**
 * Presence is a list of everyone, sent to everyone: at most once a second, so a room full of
 * phones connecting at once costs a few lists, not one per phone.
 */
const PRESENCE_EVERY_MS = 1_000;

export interface LiveServerOptions {
  core: StationCore;
  /** The road commands take, shared with POST /api/command. */
  commands: LanCommands;
  feed: LiveFeed;
  tokens: TokenStore;
  limiter: FailureLimiter;
  /** Origins allowed besides the server's own, e.g. a reverse proxy's public address. */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
}

interface ScreenData {
  principal: Principal;
  audience: string;
  since: number;
  address: string;
}

type Events = Record<string, (...args: unknown[]) => void>;
type Screen = Socket<Events, Events, Events, ScreenData>;

const TANK_REQUEST = z.strictObject({ tankId: z.string({ error: 'tankId must be a tank id string' }).min(1).max(32) });

/** Why a connection was refused, as the client's `connect_error` carries it. */
function refusal(code: 'UNAUTHORIZED' | 'RATE_LIMITED', message: string, retryAfterMs?: number): Error {
  const error = new Error(message) as Error & { data: unknown };
  error.data = retryAfterMs === undefined ? { code } : { code, retryAfterMs };
  return error;
}

/**
 * Browsers say where a page came from. A page from anywhere but this server (or an origin the
 * grower allowed) may not open a connection, so a random web page can't reach the station
 * through a grower's browser. Clients that are not browsers send no Origin.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** A device name as shown in the viewer list: printable, short. */
export function cleanName(name: unknown): string {
  if (typeof name !== 'string') return 'unnamed screen';
  const clean = name.replace(/[\p{C}]/gu, '').trim().slice(0, 40);
  return clean || 'unnamed screen';
}

export function attachLiveServer(http: HttpServer, options: LiveServerOptions): { io: Server; close(): Promise<void> } {
  const { core, commands, feed, tokens, limiter } = options;
  const log = options.log ?? (() => {});
  const allowedOrigins = options.allowedOrigins ?? [];

  const io = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
    allowRequest: (req, callback) => {
      if (originAllowed(req, allowedOrigins)) callback(null, true);
      else callback('origin not allowed', false);
    },
  });

  io.use((raw, next) => {
    const socket = raw as Screen;
    const address = socket.handshake.address;
    const gate = limiter.check(address);
    if (!gate.allowed) {
      const seconds = Math.ceil(gate.retryAfterMs / 1000);
      next(refusal('RATE_LIMITED', `too many failed pairing attempts from ${address}; wait ${seconds} s and try again`, gate.retryAfterMs));
      return;
    }
    const auth = socket.handshake.auth as { token?: unknown; name?: unknown } | undefined;
    const token = tokens.verify(auth?.token);
    if (!token) {
      // Only a wrong token is a guess; a screen that sent none was never paired.
      if (auth?.token !== undefined) limiter.fail(address);
      const message =
        auth?.token === undefined
          ? 'no token: open the pairing link shown by Tendril (http://HOST:PORT/?token=…), or pass auth.token'
          : 'this token is not valid (mistyped, or revoked); pair this screen again with a current link';
      next(refusal('UNAUTHORIZED', message));
      return;
    }
    // A success does not wipe the count (see the REST side).
    const previous = socket.data as Partial<ScreenData>;
    socket.data = {
      principal: { id: token.id, role: token.role, name: cleanName(auth?.name) },
      // A recovered connection keeps where it was and what it followed.
      audience: previous.audience ?? ALL,
      since: previous.since ?? Date.now(),
      address,
    };
    next();
  });

  let presenceTimer: ReturnType<typeof setTimeout> | null = null;
  const updatePresence = (): void => {
    presenceTimer ??= setTimeout(() => {
      presenceTimer = null;
      const viewers: Viewer[] = [];
      for (const socket of io.of('/').sockets.values() as Iterable<Screen>) {
        const { principal, address, since } = socket.data;
        viewers.push({ id: socket.id, name: principal.name, role: principal.role, address, since });
      }
      core.setViewers(viewers);
    }, PRESENCE_EVERY_MS);
  };

  io.on('connection', (raw) => {
    const socket = raw as Screen;
    const { principal } = socket.data;
    if (!socket.recovered) {
      // Snapshot first: taking it flushes what is pending to the rooms, and this screen must
      // not get any of that before the snapshot that already holds it.
      const snapshot = feed.snapshot(socket.data.audience);
      void socket.join(socket.data.audience);
      socket.emit('initial_state', { ...snapshot, you: { id: socket.id, name: principal.name, role: principal.role } });
    }
    updatePresence();

    const on = (event: string, handler: (payload: unknown, ack: (answer: CommandAck) => void) => void): void => {
      socket.on(event, (...args: unknown[]) => {
        // The ack is the last argument when the client asked for one; payloads are optional.
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (last as (answer: CommandAck) => void) : () => {};
        handler(typeof args[0] === 'function' ? undefined : args[0], ack);
      });
    };

    const follow = (audience: string, ack: (answer: CommandAck) => void): void => {
      void socket.leave(socket.data.audience);
      const snapshot = feed.snapshot(audience);
      socket.data.audience = audience;
      void socket.join(audience);
      ack({ ok: true });
      socket.emit('status_update', snapshot);
    };

    on('subscribe_tank', (payload, ack) => {
      const parsed = TANK_REQUEST.safeParse(payload);
      if (!parsed.success) {
        ack({ ok: false, error: { code: 'INVALID', message: `subscribe_tank needs {"tankId": "…"}: ${describeIssue(parsed.error.issues[0])}` } });
        return;
      }
      const tanks = core.state().tanks;
      if (!tanks.some((tank) => tank.id === parsed.data.tankId)) {
        const known = tanks.map((tank) => tank.id).join(', ') || 'none configured';
        ack({ ok: false, error: { code: 'INVALID', message: `there is no tank "${parsed.data.tankId}"; the tanks are: ${known}` } });
        return;
      }
      follow(tankAudience(parsed.data.tankId), ack);
    });

    on('unsubscribe_tank', (_payload, ack) => follow(ALL, ack));

    on('resync', (_payload, ack) => {
      ack({ ok: true });
      socket.emit('status_update', feed.snapshot(socket.data.audience));
    });

    on('command', (payload, ack) => void commands.send(socket.data.principal, payload).then(ack));

    socket.on('disconnect', (reason) => {
      updatePresence();
      if (reason === 'transport error' || reason === 'parse error') log(`lan: ${principal.name} at ${socket.data.address} dropped (${reason})`);
    });
  });

  // A revoked token loses its live connections at once, not at its next reconnect.
  const stopRevoking = tokens.onRevoke((info) => {
    for (const socket of io.of('/').sockets.values() as Iterable<Screen>) {
      if (socket.data.principal.id === info.id) socket.disconnect(true);
    }
  });

  return {
    io,
    close: () =>
      new Promise((resolve) => {
        stopRevoking();
        if (presenceTimer) clearTimeout(presenceTimer);
        presenceTimer = null;
        void io.close(() => resolve());
      }),
  };
}

