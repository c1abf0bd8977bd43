/**
 * The LAN server when screens are served by worker processes (`--workers N`): this is its half
 * in the station's process. It holds no connection to any screen. It is a node of the workers'
 * Socket.IO cluster (the Redis Streams adapter), so the feed it emits to a room reaches that
 * room's screens on every worker, and it answers what the workers ask (desk-wire.ts): token
 * checks, commands, snapshots, records.
 *
 * Everything that must be the same for every screen stays here, as with one process: the
 * tokens and the lockout for wrong ones, the caps per token and per address, the command
 * allowance per token and the station's one door, and the count of screens.
 *
 * A screen's first state and every snapshot it asks for are sent by this process through the
 * same Redis stream as the feed, right after the feed's pending messages and after the screen
 * has been put in its audience's room: each worker reads the stream in order, so the screen
 * gets the snapshot, then exactly the messages that follow it, as with one process.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server } from 'socket.io';
import type { Principal } from '../../control';
import { answerRecord, StationHistory, type HistorySource } from '../../history';
import { ALL, LiveFeed, tankAudience } from '../../live/feed';
import { DEFAULT_LAN } from '../../settings';
import { admit, FailureLimiter } from '../access';
import { emitBurst } from '../burst';
import { LAN_HASH_EVERY, LAN_WINDOW_MS, type LanServer, type LanServerOptions } from '../http-server';
import { lanCommands } from '../lan-commands';
import { cleanName } from '../live-server';
import { ScreenRoll, type RollEntry } from '../screen-roll';
import { answerer, HEARTBEAT_MS, WORKER_SILENT_MS, type AskMessage, type Questions } from './desk-wire';
import { describeRedis, type RedisAddress, type RedisClient } from './redis-link';
import { workerPool } from './worker-pool';


export interface WorkerLanOptions extends LanServerOptions {
  workers: number;
  /** The station's connection to Redis, connected already. */
  redis: RedisClient;
  /** Where the workers find the same Redis. */
  redisAddress: RedisAddress;
}

interface Held extends RollEntry {
  worker: string;
  audience: string;
  /** Which admission of this id is counted (desk-wire.ts). */
  ticket: number;
}

export function createWorkerLanServer(options: WorkerLanOptions): LanServer {
  const { core, tokens } = options;
  const log = options.log ?? (() => {});
  const limiter = options.limiter ?? new FailureLimiter();
  const recording = options.history ? null : new StationHistory({ changes: (listener) => core.onEvent(listener) });
  recording?.start();
  const history: HistorySource = options.history ?? recording!;
  const commands = lanCommands(options.control, options.now);
  const caps = { perToken: options.maxScreensPerToken ?? DEFAULT_LAN.maxScreensPerToken, perAddress: options.maxScreensPerAddress ?? DEFAULT_LAN.maxScreensPerAddress };

  // No HTTP server: this node only publishes, and answers the workers.
  const io = new Server({ adapter: createAdapter(options.redis) });
  const feed = new LiveFeed(
    { state: () => core.state(), onChange: (listener) => core.onEvent(listener) },
    { windowMs: options.windowMs ?? LAN_WINDOW_MS, hashEvery: LAN_HASH_EVERY, deliver: (audience, messages) => emitBurst(io, audience, messages) },
  );

  // The screens on every worker, in the order they were admitted.
  const screens = new ScreenRoll<Held>((presence) => core.setPresence(presence));
  let tickets = 0;

  /** When each worker that beats was last heard. */
  const heard = new Map<string, number>();
  /** Workers given up for dead that may yet beat again, the newest last. */
  const givenUp = new Set<string>();

  /** A worker stopped: its screens are no longer connected, wherever they went. */
  const departWorker = (worker: string): number => {
    heard.delete(worker);
    let departed = 0;
    for (const held of [...screens.all()]) {
      if (held.worker !== worker) continue;
      screens.depart(held.viewer.id);
      departed++;
    }
    return departed;
  };

  // A worker on a host that vanished never says its screens left; its silence says it.
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const [worker, at] of heard) {
      if (now - at <= WORKER_SILENT_MS) continue;
      const departed = departWorker(worker);
      givenUp.add(worker);
      if (givenUp.size > 100) givenUp.delete(givenUp.values().next().value!);
      log(`lan: a screens' worker (${worker}) has not been heard for ${Math.round((now - at) / 1000)} s; its ${departed} screens are no longer counted`);
    }
  }, HEARTBEAT_MS);
  watchdog.unref();

  const you = (held: Held) => ({ id: held.viewer.id, name: held.viewer.name, role: held.viewer.role });

  type Handler = { [Q in keyof Questions]: (payload: Questions[Q]['ask']) => Questions[Q]['answer'] | Promise<Questions[Q]['answer']> };
  const handlers: Handler = {
    admit: ({ worker, address, token, screen }) => {
      const admission = admit(tokens, limiter, address, token);
      if (!admission.admitted) {
        if (admission.code === 'RATE_LIMITED') {
          const seconds = Math.ceil(admission.retryAfterMs / 1000);
          return { ok: false, code: 'RATE_LIMITED', message: `too many wrong tokens from ${address}; wait ${seconds} s and try again`, retryAfterMs: admission.retryAfterMs };
        }
        if (admission.missing) return { ok: false, code: 'UNAUTHORIZED', message: 'no token: open the pairing link shown by Tendril (http://HOST:PORT/?token=…), or pass auth.token' };
        return { ok: false, code: 'UNAUTHORIZED', message: 'this token is not valid (mistyped, or revoked); pair this screen again with a current link' };
      }
      const info = admission.token;
      // A connection that resumes keeps its place: it is not counted against itself.
      const tooMany = screens.refusal(info.id, address, caps, screen.id);
      if (tooMany) return { ok: false, ...tooMany };
      const principal: Principal = { id: info.id, role: info.role, name: cleanName(screen.name) };
      const ticket = ++tickets;
      // Counted at once, before the screen is connected, so two workers cannot both let in the last one.
      screens.arrive({
        viewer: { id: screen.id, name: principal.name, role: principal.role, address, since: screen.since },
        tokenId: info.id,
        worker,
        audience: screen.audience ?? ALL,
        ticket,
      });
      return { ok: true, principal, ticket };
    },
    authorize: ({ address, token }) => {
      const admission = admit(tokens, limiter, address, token);
      if (admission.admitted) return { ok: true, token: admission.token };
      if (admission.code === 'RATE_LIMITED') return { ok: false, code: 'RATE_LIMITED', message: '', retryAfterMs: admission.retryAfterMs };
      return { ok: false, code: 'UNAUTHORIZED', message: '', missing: admission.missing };
    },
    connected: ({ id, ticket, recovered }) => {
      const held = screens.get(id);
      // An older connection of a screen admitted again since: the newer one is the screen.
      if (held && held.ticket !== ticket) return true;
      if (!held) {
        // Revoked, or its worker was given up for dead, between its admission and now.
        io.in(id).disconnectSockets(true);
        return true;
      }
      // A recovered connection is back in its rooms and has been sent what it missed. One told
      // twice (an answer lost) is sent its first state twice: the second replaces the first.
      if (recovered) return true;
      const snapshot = feed.snapshot(held.audience);
      io.in(id).socketsJoin(held.audience);
      io.to(id).emit('initial_state', { ...snapshot, you: you(held) });
      return true;
    },
    gone: ({ worker }) => {
      departWorker(worker);
      return true;
    },
    alive: ({ worker }) => {
      heard.set(worker, Date.now());
      return { recount: givenUp.delete(worker) };
    },
    left: ({ id, ticket }) => {
      if (screens.get(id)?.ticket === ticket) screens.depart(id);
      return true;
    },
    follow: ({ id, tankId }) => {
      const held = screens.get(id);
      if (!held) return { ok: false, error: { code: 'INVALID', message: 'this connection is no longer counted by the station; reconnect' } };
      if (tankId !== null) {
        const tanks = core.state().tanks;
        if (!tanks.some((tank) => tank.id === tankId)) {
          const known = tanks.map((tank) => tank.id).join(', ') || 'none configured';
          return { ok: false, error: { code: 'INVALID', message: `there is no tank "${tankId}"; the tanks are: ${known}` } };
        }
      }
      const audience = tankId === null ? ALL : tankAudience(tankId);
      io.in(id).socketsLeave(held.audience);
      const snapshot = feed.snapshot(audience);
      held.audience = audience;
      io.in(id).socketsJoin(audience);
      io.to(id).emit('status_update', snapshot);
      return { ok: true };
    },
    resync: ({ id }) => {
      const held = screens.get(id);
      if (held) io.to(id).emit('status_update', feed.snapshot(held.audience));
      return true;
    },
    command: ({ principal, payload }) => commands.send(principal, payload),
    state: () => feed.snapshot(ALL),
    health: () => {
      const state = core.state();
      return { ok: true, link: state.link.status, reason: state.link.reason, simulated: state.link.simulated, device: state.device, estop: state.estop.latched };
    },
    record: ({ path }) => answerRecord(path, { station: core, records: options.records ?? null, history }, Date.now()),
  };
  answerer(io, (message: AskMessage) => (handlers[message.question] as (payload: unknown) => unknown)?.(message.payload));

  // A revoked token loses its live connections on every worker at once.
  const stopRevoking = tokens.onRevoke((info) => {
    io.in(`token:${info.id}`).disconnectSockets(true);
    for (const held of [...screens.all()]) if (held.tokenId === info.id) screens.depart(held.viewer.id);
  });

  const pool = workerPool({
    count: options.workers,
    config: {
      host: options.host,
      port: options.port,
      webRoot: options.webRoot,
      hostNames: [...(options.hostNames ?? DEFAULT_LAN.hostNames)],
      allowedOrigins: [...(options.allowedOrigins ?? [])],
      redis: options.redisAddress,
    },
    log,
    // Its screens are gone with it; they reconnect to the other workers.
    onExit: (worker) => void departWorker(worker),
  });

  return {
    async listen() {
      const url = await pool.listen();
      log(`lan: ${options.workers} workers serve the screens, through Redis at ${describeRedis(options.redisAddress)}`);
      return url;
    },
    screens: (offset, limit) => screens.page(offset, limit),
    async close() {
      stopRevoking();
      clearInterval(watchdog);
      recording?.stop();
      feed.close();
      screens.close();
      await pool.close();
      // Not io.close(): with no HTTP server there is no engine to close. The adapter's own Redis
      // readers stop with it; the station's client is the caller's.
      await io.of('/').adapter.close();
    },
  };
}
