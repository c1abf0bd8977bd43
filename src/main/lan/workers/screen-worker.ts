/**
 * One worker process that serves screens (`--workers N`): the web UI, the REST API and the live
 * connection, on the port every worker shares. It holds no station: whatever needs one (a
 * token check, a command, a snapshot, a record) it asks of the station's process (desk-wire.ts),
 * and the feed reaches its screens' rooms through the Redis Streams adapter.
 *
 * What is rationed per connection (snapshots, resyncs folded into one) is rationed here, where
 * the connection is; what is rationed per token or per address is rationed by the station's
 * process, which sees every worker's screens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { setupWorker } from '@socket.io/sticky';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { describeIssue, type CommandAck } from '../../../shared/commands';
import { RECORD_PATHS } from '../../../shared/records';
import type { Principal } from '../../control';
import { ALL } from '../../live/feed';
import type { TokenInfo } from '../access';
import { Allowance } from '../allowance';
import { answerCommand } from '../command-route';
import { HostNames } from '../host-names';
import { sendJson } from '../http-answers';
import type { LanCommands } from '../lan-commands';
import { MAX_MESSAGE_BYTES, originAllowed, SNAPSHOT_BURST, SNAPSHOTS_PER_SECOND } from '../live-server';
import { reachableOrigins } from '../pairing';
import { guardRecovery } from '../recovery-guard';
import { serveStatic } from '../static-files';
import { asker, NO_ANSWER } from './desk-wire';
import type { RedisClient } from './redis-link';
import type { WorkerConfig } from './worker-config';

/** As with one process (live-server.ts). */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 15_000;
const RECOVERY_MS = 2 * 60_000;

const TANK_REQUEST = z.strictObject({ tankId: z.string({ error: 'tankId must be a tank id string' }).min(1).max(32) });

interface ScreenData {
  principal: Principal;
  /** The station's number for this admission (desk-wire.ts). */
  ticket: number;
  since: number;
  address: string;
}

type Events = Record<string, (...args: unknown[]) => void>;
type Screen = Socket<Events, Events, Events, ScreenData>;

function refusal(code: string, message: string, extra: Record<string, number | undefined> = {}): Error {
  const error = new Error(message) as Error & { data: unknown };
  error.data = { code, ...extra };
  return error;
}

const STATION_SILENT = 'the station did not answer (the link between this server and the station was interrupted); try again in a moment';

export interface ScreenWorker {
  listen(): Promise<string>;
  /** Tells the station a worker it counted screens on has stopped. */
  forget(worker: string): void;
  close(): Promise<void>;
}

export function createScreenWorker(config: WorkerConfig, redis: RedisClient, log: (line: string) => void): ScreenWorker {
  let listeningAt: string | null = null;
  const hostNames = new HostNames(config.hostNames, () =>
    listeningAt ? [listeningAt, ...reachableOrigins(listeningAt, config.host), `http://${hostname()}`, `http://${hostname()}.local`] : [],
  );
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (err as Error).message } });
      else res.destroy();
    }
  });
  const io = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
    adapter: createAdapter(redis),
    allowRequest: (req, callback) => {
      if (!hostNames.allowsRequest(req)) callback(hostNames.refusal(req.headers.host), false);
      else if (originAllowed(req, config.allowedOrigins)) callback(null, true);
      else callback('origin not allowed', false);
    },
  });
  const desk = asker(io, config.id);
  const recovery = guardRecovery(io.of('/'));
  const replays = new WeakMap<Screen, unknown[][]>();

  io.use((raw, next) => {
    const socket = raw as Screen;
    const missed = recovery.take(socket);
    const previous = socket.data as Partial<ScreenData> & { audience?: string };
    const address = socket.handshake.address;
    const auth = socket.handshake.auth as { token?: unknown; name?: unknown } | undefined;
    const since = previous.since ?? Date.now();
    void desk
      .ask('admit', { worker: config.id, address, token: auth?.token, screen: { id: socket.id, address, name: typeof auth?.name === 'string' ? auth.name : '', since, ...(missed !== null ? { audience: audienceOf(socket) } : {}) } })
      .then((answer) => {
        if (answer === null) return next(refusal('UNAVAILABLE', STATION_SILENT));
        if (!answer.ok) return next(refusal(answer.code, answer.message, { retryAfterMs: answer.retryAfterMs, limit: answer.limit }));
        if (missed !== null) {
          if (previous.principal?.id !== answer.principal.id) {
            desk.tell('left', { id: socket.id, ticket: answer.ticket });
            return next(refusal('UNAUTHORIZED', 'this connection asked to resume a session that another token made; connect again without "pid" and "offset"'));
          }
          replays.set(socket, missed);
        }
        socket.data = { principal: answer.principal, ticket: answer.ticket, since, address };
        next();
        // Admitted and counted; a screen that hung up meanwhile is never connected, and never
        // says goodbye: Socket.IO decides that on the next tick.
        setImmediate(() => {
          if (!socket.connected) desk.tell('left', { id: socket.id, ticket: answer.ticket });
        });
      });
  });

  io.on('connection', (raw) => {
    const socket = raw as Screen;
    const { principal } = socket.data;
    const missed = replays.get(socket);
    replays.delete(socket);
    // Its token's room: a revoked token's screens are dropped by name, on every worker.
    void socket.join(`token:${principal.id}`);
    desk.tell('connected', { id: socket.id, ticket: socket.data.ticket, recovered: missed !== undefined });
    if (missed) recovery.replay(socket, missed);

    const snapshots = new Allowance(SNAPSHOT_BURST, SNAPSHOTS_PER_SECOND);
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
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (last as (answer: CommandAck) => void) : () => {};
        handler(typeof args[0] === 'function' ? undefined : args[0], ack);
      });
    };
    const follow = (tankId: string | null, ack: (answer: CommandAck) => void): void => {
      if (!snapshots.take()) {
        ack(tooManySnapshots());
        return;
      }
      if (resync) clearTimeout(resync);
      resync = null;
      void desk.ask('follow', { id: socket.id, tankId }).then((answer) => ack(answer ?? NO_ANSWER));
    };
    on('subscribe_tank', (payload, ack) => {
      const parsed = TANK_REQUEST.safeParse(payload);
      if (!parsed.success) {
        ack({ ok: false, error: { code: 'INVALID', message: `subscribe_tank needs {"tankId": "…"}: ${describeIssue(parsed.error.issues[0])}` } });
        return;
      }
      follow(parsed.data.tankId, ack);
    });
    on('unsubscribe_tank', (_payload, ack) => follow(null, ack));
    on('resync', (_payload, ack) => {
      ack({ ok: true });
      resync ??= setTimeout(() => {
        resync = null;
        snapshots.take();
        desk.tell('resync', { id: socket.id });
      }, snapshots.msUntilNext());
    });
    on('command', (payload, ack) => void desk.ask('command', { principal: socket.data.principal, payload }).then((answer) => ack(answer ?? NO_ANSWER)));
    socket.on('disconnect', (reason) => {
      if (resync) clearTimeout(resync);
      resync = null;
      desk.tell('left', { id: socket.id, ticket: socket.data.ticket });
      if (reason === 'transport error' || reason === 'parse error') log(`lan: ${principal.name} at ${socket.data.address} dropped (${reason})`);
    });
  });

  /** The REST API's token check, made by the station's process. */
  async function authorize(req: IncomingMessage, res: ServerResponse): Promise<TokenInfo | null> {
    const address = req.socket.remoteAddress ?? 'unknown';
    const answer = await desk.ask('authorize', { address, token: bearerToken(req.headers.authorization) });
    if (answer === null) {
      sendJson(res, 503, { ok: false, error: { code: 'UNAVAILABLE', message: STATION_SILENT } });
      return null;
    }
    if (answer.ok) return answer.token;
    if (answer.code === 'RATE_LIMITED') {
      const seconds = Math.ceil((answer.retryAfterMs ?? 1000) / 1000);
      res.setHeader('retry-after', String(seconds));
      sendJson(res, 429, { ok: false, error: { code: 'RATE_LIMITED', message: `too many wrong tokens from ${address}; wait ${seconds} s and try again` } });
      return null;
    }
    res.setHeader('www-authenticate', 'Bearer');
    const message = 'missing' in answer && answer.missing
      ? 'send the pairing token as "Authorization: Bearer <token>"; the pairing link shown by Tendril carries it'
      : 'this token is not valid (mistyped, or revoked); pair again with a current link';
    sendJson(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message } });
    return null;
  }

  const commands: LanCommands = {
    send: (principal, payload) => desk.ask('command', { principal, payload }).then((answer) => answer ?? NO_ANSWER),
  };

  const answerWith = (res: ServerResponse, status: number, body: unknown): void => {
    if (body === null) sendJson(res, 503, { ok: false, error: { code: 'UNAVAILABLE', message: STATION_SILENT } });
    else sendJson(res, status, body);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hostNames.allowsRequest(req)) {
      sendJson(res, 421, { ok: false, error: { code: 'UNKNOWN_HOST', message: hostNames.refusal(req.headers.host) } });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://station');
    if (url.pathname === '/api/command') {
      answerCommand(req, res, { commands, authorize, allowedOrigins: config.allowedOrigins });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { ok: false, error: { code: 'METHOD', message: `${req.method} is not supported here; use GET` } });
      return;
    }
    if (url.pathname === '/api/health') {
      void desk.ask('health', null).then((answer) => answerWith(res, 200, answer));
      return;
    }
    if (url.pathname === '/api/state') {
      void authorize(req, res).then((token) => token && desk.ask('state', null).then((answer) => answerWith(res, 200, answer)));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (RECORD_PATHS.has(url.pathname)) {
        void authorize(req, res).then(
          (token) =>
            token &&
            desk.ask('record', { path: `${url.pathname}${url.search}` }).then((answer) => {
              if (answer === null) return answerWith(res, 503, null);
              res.writeHead(answer.status, {
                'content-type': answer.contentType,
                ...(answer.filename === undefined ? {} : { 'content-disposition': `attachment; filename="${answer.filename}"` }),
                'cache-control': 'no-store',
                'x-content-type-options': 'nosniff',
              });
              res.end(answer.body);
            }),
        );
        return;
      }
      sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API at ${url.pathname}; see docs for the available endpoints` } });
      return;
    }
    serveStatic(config.webRoot, req, res, url.pathname);
  }

  return {
    // Connections come from the pool's process, which listens (worker-pool.ts).
    listen: () => {
      setupWorker(io);
      listeningAt = config.url;
      return Promise.resolve(listeningAt);
    },
    forget: (worker) => desk.tell('gone', { worker }),
    async close() {
      desk.close();
      const closed = io.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The audience a recovered connection was following: the room that is not its own or its token's. */
function audienceOf(socket: Socket): string {
  for (const room of socket.rooms) if (room === ALL || room.startsWith('tank:')) return room;
  return ALL;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer(?:\s+(.*))?$/i.exec(header);
  return match ? (match[1] ?? '').trim() : undefined;
}
