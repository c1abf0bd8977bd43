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
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { setupWorker } from '@socket.io/sticky';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { describeIssue, type CommandAck } from '../../../shared/commands';
import type { Principal } from '../../control';
import { ALL } from '../../live/feed';
import { HostNames } from '../host-names';
import { sendJson } from '../http-answers';
import type { LanCommands } from '../lan-commands';
import { bearerToken, refuseToken, routeLanRequest, type LanRoutes } from '../lan-routes';
import { MAX_MESSAGE_BYTES, originAllowed } from '../live-server';
import { reachableOrigins } from '../pairing';
import { guardRecovery } from '../recovery-guard';
import { onRequest, SnapshotRation } from '../snapshot-ration';
import { asker, HEARTBEAT_MS, NO_ANSWER } from './desk-wire';
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
      routeLanRequest(req, res, routes);
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

    const snapshots = new SnapshotRation();
    const follow = (tankId: string | null, ack: (answer: CommandAck) => void): void => {
      const refused = snapshots.follow();
      if (refused) {
        ack(refused);
        return;
      }
      void desk.ask('follow', { id: socket.id, tankId }).then((answer) => ack(answer ?? NO_ANSWER));
    };
    onRequest(socket, 'subscribe_tank', (payload, ack) => {
      const parsed = TANK_REQUEST.safeParse(payload);
      if (!parsed.success) {
        ack({ ok: false, error: { code: 'INVALID', message: `subscribe_tank needs {"tankId": "…"}: ${describeIssue(parsed.error.issues[0])}` } });
        return;
      }
      follow(parsed.data.tankId, ack);
    });
    onRequest(socket, 'unsubscribe_tank', (_payload, ack) => follow(null, ack));
    onRequest(socket, 'resync', (_payload, ack) => {
      ack({ ok: true });
      snapshots.resync(() => desk.tell('resync', { id: socket.id }));
    });
    onRequest(socket, 'command', (payload, ack) => void desk.ask('command', { principal: socket.data.principal, payload }).then((answer) => ack(answer ?? NO_ANSWER)));
    socket.on('disconnect', (reason) => {
      snapshots.stop();
      desk.tell('left', { id: socket.id, ticket: socket.data.ticket });
      if (reason === 'transport error' || reason === 'parse error') log(`lan: ${principal.name} at ${socket.data.address} dropped (${reason})`);
    });
  });

  const commands: LanCommands = {
    send: (principal, payload) => desk.ask('command', { principal, payload }).then((answer) => answer ?? NO_ANSWER),
  };

  const routes: LanRoutes = {
    hostNames,
    webRoot: config.webRoot,
    allowedOrigins: config.allowedOrigins,
    commands,
    // The REST API's token check, made by the station's process.
    async authorize(req, res) {
      const address = req.socket.remoteAddress ?? 'unknown';
      const answer = await desk.ask('authorize', { address, token: bearerToken(req.headers.authorization) });
      if (answer === null) {
        sendJson(res, 503, { ok: false, error: { code: 'UNAVAILABLE', message: STATION_SILENT } });
        return null;
      }
      if (answer.ok) return answer.token;
      refuseToken(res, address, answer.code === 'RATE_LIMITED' ? { code: 'RATE_LIMITED', retryAfterMs: answer.retryAfterMs ?? 1000 } : { code: 'UNAUTHORIZED', missing: 'missing' in answer && answer.missing === true });
      return null;
    },
    health: () => desk.ask('health', null),
    state: () => desk.ask('state', null),
    record: (path) => desk.ask('record', { path }),
    silent: STATION_SILENT,
  };

  // The station counts this worker's screens only while it hears from it (desk-wire.ts).
  const beat = (): void =>
    void desk.ask('alive', { worker: config.id }).then((answer) => {
      if (!answer?.recount) return;
      log(`lan: the station had given this screens' worker up while it could not be reached; its ${io.of('/').sockets.size} screens connect again to be counted`);
      io.local.disconnectSockets(true);
    });
  let heartbeat: ReturnType<typeof setInterval> | null = null;

  return {
    // Connections come from the pool's process, which listens (worker-pool.ts).
    listen: () => {
      setupWorker(io);
      listeningAt = config.url;
      beat();
      heartbeat = setInterval(beat, HEARTBEAT_MS);
      return Promise.resolve(listeningAt);
    },
    forget: (worker) => desk.tell('gone', { worker }),
    async close() {
      if (heartbeat) clearInterval(heartbeat);
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
