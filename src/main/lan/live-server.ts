/**
 * Socket.IO on the LAN: the live state for phones and other PCs, and their commands. Every
 * connection needs a paired token; what it may do follows the token's role.
 *
 * A screen gets `initial_state` on connect, then its audience's numbered events (see
 * LiveFeed). Socket.IO's connection state recovery replays what a briefly dropped phone missed,
 * but only as a shortcut, and only once its token is checked: the numbering is the guarantee,
 * and `resync` is always there.
 *
 * Nothing a screen can send costs the station much: snapshots are rationed per connection and
 * resyncs folded together, connections are capped per token and per address, and a request must
 * name this station (see HostNames) before anything else is looked at.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { describeIssue, type CommandAck } from '../../shared/commands';
import type { ScreenPage } from '../../shared/admin';
import type { Principal } from '../control';
import { ALL, tankAudience, type LiveFeed } from '../live/feed';
import type { StationCore } from '../station';
import { admit, type FailureLimiter, type TokenStore } from './access';
import type { HostNames } from './host-names';
import type { LanCommands } from './lan-commands';
import { guardRecovery } from './recovery-guard';
import { ScreenRoll, type ScreenCaps } from './screen-roll';
import { onRequest, SnapshotRation } from './snapshot-ration';

/** A payload larger than this closes the connection that sent it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A phone that vanished (no pong) is noticed within ping interval + ping timeout: 25 s. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 15_000;
/** How long a dropped connection's missed events are kept for it. */
const RECOVERY_MS = 2 * 60_000;

export interface LiveServerOptions {
  core: StationCore;
  /** The road commands take, shared with POST /api/command. */
  commands: LanCommands;
  feed: LiveFeed;
  tokens: TokenStore;
  limiter: FailureLimiter;
  /** The names requests must use to reach this station. */
  hostNames: HostNames;
  caps: ScreenCaps;
  /** Origins allowed besides the server's own, e.g. a reverse proxy's public address. */
  allowedOrigins?: readonly string[];
  /** The clock for the snapshot allowance; tests fix it. */
  now?: () => number;
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
function refusal(code: 'UNAUTHORIZED' | 'RATE_LIMITED' | 'TOO_MANY_SCREENS', message: string, extra: Record<string, number> = {}): Error {
  const error = new Error(message) as Error & { data: unknown };
  error.data = { code, ...extra };
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

export interface LiveServer {
  io: Server;
  /** The screens connected now, a page of them in the order they connected. */
  screens(offset: number, limit: number): ScreenPage;
  close(): Promise<void>;
}

export function attachLiveServer(http: HttpServer, options: LiveServerOptions): LiveServer {
  const { core, commands, feed, tokens, limiter, hostNames, caps } = options;
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const allowedOrigins = options.allowedOrigins ?? [];

  const io = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
    allowRequest: (req, callback) => {
      // The name first: a rebound page passes the origin rule, since its origin is its name.
      if (!hostNames.allowsRequest(req)) callback(hostNames.refusal(req.headers.host), false);
      else if (originAllowed(req, allowedOrigins)) callback(null, true);
      else callback('origin not allowed', false);
    },
  });
  const recovery = guardRecovery(io.of('/'));
  /** The missed events of recovered connections that were admitted, until they are connected. */
  const replays = new WeakMap<Screen, unknown[][]>();

  const roll = new ScreenRoll((presence) => core.setPresence(presence));

  io.use((raw, next) => {
    const socket = raw as Screen;
    // Taken before anything can refuse, so a refused connection leaves nothing behind.
    const missed = recovery.take(socket);
    const address = socket.handshake.address;
    const auth = socket.handshake.auth as { token?: unknown; name?: unknown } | undefined;
    const admission = admit(tokens, limiter, address, auth?.token);
    if (!admission.admitted) {
      if (admission.code === 'RATE_LIMITED') {
        const seconds = Math.ceil(admission.retryAfterMs / 1000);
        next(refusal('RATE_LIMITED', `too many wrong tokens from ${address}; wait ${seconds} s and try again`, { retryAfterMs: admission.retryAfterMs }));
      } else if (admission.missing) {
        next(refusal('UNAUTHORIZED', 'no token: open the pairing link shown by Tendril (http://HOST:PORT/?token=…), or pass auth.token'));
      } else {
        next(refusal('UNAUTHORIZED', 'this token is not valid (mistyped, or revoked); pair this screen again with a current link'));
      }
      return;
    }
    const { token } = admission;
    // Counted among the connected: Socket.IO connects each admitted socket before it reads the
    // next handshake, so two cannot slip in side by side.
    const tooMany = roll.refusal(token.id, address, caps);
    if (tooMany) {
      next(refusal(tooMany.code, tooMany.message, { limit: tooMany.limit }));
      return;
    }
    const previous = socket.data as Partial<ScreenData>;
    if (missed !== null) {
      // A session goes on only with the token it was made with. Socket.IO has already given
      // this connection the session's id, which another screen's connection would share.
      if (previous.principal?.id !== token.id) {
        next(refusal('UNAUTHORIZED', 'this connection asked to resume a session that another token made; connect again without "pid" and "offset"'));
        return;
      }
      replays.set(socket, missed);
    }
    socket.data = {
      principal: { id: token.id, role: token.role, name: cleanName(auth?.name) },
      // A recovered connection keeps where it was and what it followed.
      audience: previous.audience ?? ALL,
      since: previous.since ?? Date.now(),
      address,
    };
    next();
  });

  const arrived = (socket: Screen): void => {
    const { principal, address, since } = socket.data;
    roll.arrive({ viewer: { id: socket.id, name: principal.name, role: principal.role, address, since }, tokenId: principal.id });
  };

  io.on('connection', (raw) => {
    const socket = raw as Screen;
    const { principal } = socket.data;
    const missed = replays.get(socket);
    replays.delete(socket);
    if (missed) {
      recovery.replay(socket, missed);
    } else {
      // Snapshot first: taking it flushes what is pending to the rooms, and this screen must
      // not get any of that before the snapshot that already holds it.
      const snapshot = feed.snapshot(socket.data.audience);
      void socket.join(socket.data.audience);
      socket.emit('initial_state', { ...snapshot, you: { id: socket.id, name: principal.name, role: principal.role } });
    }
    arrived(socket);
    const snapshots = new SnapshotRation(now);

    const follow = (audience: string, ack: (answer: CommandAck) => void): void => {
      const refused = snapshots.follow();
      if (refused) {
        ack(refused);
        return;
      }
      void socket.leave(socket.data.audience);
      const snapshot = feed.snapshot(audience);
      socket.data.audience = audience;
      void socket.join(audience);
      ack({ ok: true });
      socket.emit('status_update', snapshot);
    };

    onRequest(socket, 'subscribe_tank', (payload, ack) => {
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

    onRequest(socket, 'unsubscribe_tank', (_payload, ack) => follow(ALL, ack));

    onRequest(socket, 'resync', (_payload, ack) => {
      ack({ ok: true });
      snapshots.resync(() => socket.emit('status_update', feed.snapshot(socket.data.audience)));
    });

    onRequest(socket, 'command', (payload, ack) => void commands.send(socket.data.principal, payload).then(ack));

    socket.on('disconnect', (reason) => {
      snapshots.stop();
      roll.depart(socket.id);
      if (reason === 'transport error' || reason === 'parse error') log(`lan: ${principal.name} at ${socket.data.address} dropped (${reason})`);
    });
  });

  // A revoked token loses its live connections at once, not at its next reconnect, and the
  // sessions of its dropped ones with them.
  const stopRevoking = tokens.onRevoke((info) => {
    for (const socket of io.of('/').sockets.values() as Iterable<Screen>) {
      if (socket.data.principal.id === info.id) socket.disconnect(true);
    }
    recovery.forget((data) => (data as Partial<ScreenData> | undefined)?.principal?.id === info.id);
  });

  return {
    io,
    screens: (offset, limit) => roll.page(offset, limit),
    close: () =>
      new Promise((resolve) => {
        stopRevoking();
        roll.close();
        void io.close(() => resolve());
      }),
  };
}

