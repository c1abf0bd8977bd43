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
import { PRESENCE_CHANGES_LISTED } from '../../shared/events';
import type { ScreenCount, Viewer } from '../../shared/station';
import type { Principal } from '../control';
import { ALL, tankAudience, type LiveFeed } from '../live/feed';
import type { StationCore } from '../station';
import { admit, type FailureLimiter, type TokenStore } from './access';
import { Allowance } from './allowance';
import type { HostNames } from './host-names';
import type { LanCommands } from './lan-commands';
import { guardRecovery } from './recovery-guard';

/** A payload larger than this closes the connection that sent it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** A phone that vanished (no pong) is noticed within ping interval + ping timeout: 25 s. */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 15_000;
/** How long a dropped connection's missed events are kept for it. */
const RECOVERY_MS = 2 * 60_000;
/**
 * Presence (the count, and a few of the latest comings and goings) goes out at most once a
 * second, so a room full of phones connecting at once costs a few messages, not one per phone.
 */
const PRESENCE_EVERY_MS = 1_000;
/**
 * Snapshots per connection (`subscribe_tank`, `unsubscribe_tank`, `resync`): a burst of this
 * many, refilled at this rate per second. A snapshot is the whole state, hundreds of times the
 * request that asks for it; a screen needs one when it starts following something or falls
 * behind, never many a second.
 */
export const SNAPSHOT_BURST = 10;
export const SNAPSHOTS_PER_SECOND = 2;

/** How many live connections one token, and one address, may hold at once. */
export interface ScreenCaps {
  perToken: number;
  perAddress: number;
}

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

  /**
   * Who is connected, in the order they connected: kept here beside the station, which holds
   * only the count. Counted as they come and go, so a connection costs the same whether it is
   * the first or the five-thousandth.
   */
  const connected = new Map<string, Viewer>();
  const count: ScreenCount = { operator: 0, viewer: 0 };
  const byToken = new Map<string, number>();
  const byAddress = new Map<string, number>();
  const bump = (counts: Map<string, number>, key: string, by: 1 | -1): void => {
    const next = (counts.get(key) ?? 0) + by;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };

  /** Live connections held now by this token and from this address. */
  const held = (tokenId: string, address: string): { token: number; address: number } => ({
    token: byToken.get(tokenId) ?? 0,
    address: byAddress.get(address) ?? 0,
  });

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
    const count = held(token.id, address);
    if (count.token >= caps.perToken) {
      next(refusal('TOO_MANY_SCREENS', `this token already has ${count.token} live connections, the most one token may hold; close a tab or a screen using it, or pair this screen with a token of its own`, { limit: caps.perToken }));
      return;
    }
    if (count.address >= caps.perAddress) {
      next(refusal('TOO_MANY_SCREENS', `${address} already has ${count.address} live connections, the most one address may hold; close some, or raise lan.maxScreensPerAddress in settings.json`, { limit: caps.perAddress }));
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

  /** Comings and goings since the last presence, by screen id: a screen that came and went is in neither. */
  const joined = new Map<string, Viewer>();
  const left = new Set<string>();
  let presenceTimer: ReturnType<typeof setTimeout> | null = null;
  const sendPresence = (): void => {
    presenceTimer = null;
    const changes = joined.size + left.size;
    const named = { joined: [...joined.values()].slice(-PRESENCE_CHANGES_LISTED), left: [...left].slice(-PRESENCE_CHANGES_LISTED) };
    joined.clear();
    left.clear();
    core.setPresence({ screens: { ...count }, ...named, unlisted: changes - named.joined.length - named.left.length });
  };
  const arrived = (socket: Screen): void => {
    const { principal, address, since } = socket.data;
    const viewer: Viewer = { id: socket.id, name: principal.name, role: principal.role, address, since };
    connected.set(socket.id, viewer);
    count[principal.role]++;
    bump(byToken, principal.id, 1);
    bump(byAddress, address, 1);
    joined.set(socket.id, viewer);
    presenceTimer ??= setTimeout(sendPresence, PRESENCE_EVERY_MS);
  };
  const departed = (socket: Screen): void => {
    const viewer = connected.get(socket.id);
    if (!viewer) return;
    connected.delete(socket.id);
    count[viewer.role]--;
    bump(byToken, socket.data.principal.id, -1);
    bump(byAddress, viewer.address, -1);
    if (!joined.delete(socket.id)) left.add(socket.id);
    presenceTimer ??= setTimeout(sendPresence, PRESENCE_EVERY_MS);
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
    const snapshots = new Allowance(SNAPSHOT_BURST, SNAPSHOTS_PER_SECOND, now);
    /** A resync asked for and not yet sent: every later one is answered by the same snapshot. */
    let resync: ReturnType<typeof setTimeout> | null = null;
    const tooManySnapshots = (): CommandAck => ({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: `too many snapshots asked for by this connection (subscribe_tank, unsubscribe_tank and resync together: at most ${SNAPSHOT_BURST} at once, then ${SNAPSHOTS_PER_SECOND} per second); wait ${Math.ceil(snapshots.msUntilNext() / 1000)} s and try again`,
      },
    });

    const on = (event: string, handler: (payload: unknown, ack: (answer: CommandAck) => void) => void): void => {
      socket.on(event, (...args: unknown[]) => {
        // The ack is the last argument when the client asked for one; payloads are optional.
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (last as (answer: CommandAck) => void) : () => {};
        handler(typeof args[0] === 'function' ? undefined : args[0], ack);
      });
    };

    const follow = (audience: string, ack: (answer: CommandAck) => void): void => {
      if (!snapshots.take()) {
        ack(tooManySnapshots());
        return;
      }
      // The snapshot that follows answers a resync still waiting too.
      if (resync) clearTimeout(resync);
      resync = null;
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

    // Never refused, since a screen that fell behind needs one, but folded together: resyncs
    // asked for while one waits are answered by it, and it waits for the allowance. It goes out
    // on a later turn even when allowed now, so a flood read in one go costs one snapshot.
    on('resync', (_payload, ack) => {
      ack({ ok: true });
      resync ??= setTimeout(() => {
        resync = null;
        snapshots.take();
        socket.emit('status_update', feed.snapshot(socket.data.audience));
      }, snapshots.msUntilNext());
    });

    on('command', (payload, ack) => void commands.send(socket.data.principal, payload).then(ack));

    socket.on('disconnect', (reason) => {
      if (resync) clearTimeout(resync);
      resync = null;
      departed(socket);
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
    screens: (offset, limit) => {
      const page: Viewer[] = [];
      // Map order is connection order; a page is read without copying the whole list.
      let index = 0;
      for (const viewer of connected.values()) {
        if (index >= offset + limit) break;
        if (index >= offset) page.push(viewer);
        index++;
      }
      return { total: connected.size, offset, screens: page };
    },
    close: () =>
      new Promise((resolve) => {
        stopRevoking();
        if (presenceTimer) clearTimeout(presenceTimer);
        presenceTimer = null;
        void io.close(() => resolve());
      }),
  };
}

