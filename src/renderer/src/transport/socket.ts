import { io } from 'socket.io-client';
import { STATION_EVENT_TYPES, type LiveMessage, type StationEvent } from '../../../shared/events';
import { FeedFollower } from '../../../shared/follow';
import { isObject, looksLikeLiveMessage, looksLikeSnapshot } from '../../../shared/station-shape';
import { AwaitedAcks } from './awaited-acks';
import { reconnectDelay } from './backoff';
import { NOT_PAIRED } from './pairing';
import { CommandNotDelivered, type ConnectionStatus, type ScreenRole, type StationTransport } from './types';

/** The part of a Socket.IO client socket this transport uses. */
export interface LiveSocket {
  readonly connected: boolean;
  /** True when Socket.IO resumed the last session: no initial_state comes, the copy still holds. */
  readonly recovered: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export interface LiveSocketOptions {
  auth: { token: string; name: string };
  /** Off: this transport drives reconnects itself, with the backoff every transport shares. */
  reconnection: false;
}

export interface SocketOptions {
  /** The LAN server's origin, e.g. http://10.0.0.5:4545. */
  origin: string;
  token: string | null;
  /** How this screen is listed to others (presence). */
  name: string;
  /** Takes over while no live connection works. */
  fallback: StationTransport;
  /** Failed connection attempts before the fallback starts. */
  attemptsBeforeFallback?: number;
  connect?: (origin: string, options: LiveSocketOptions) => LiveSocket;
  random?: () => number;
  ackTimeoutMs?: number;
}

interface Session {
  stop(): void;
  reconnect(): void;
  command: StationTransport['command'];
}

/**
 * Live over Socket.IO: a snapshot on connect, then numbered events applied with the shared
 * reducer; a gap or a new epoch asks for a fresh snapshot. Reconnects back off from 1 s to 30 s
 * with jitter, and while no live connection works the REST snapshot is polled instead (and
 * commands go by POST), with live attempts going on behind it.
 */
export function socketTransport(options: SocketOptions): StationTransport {
  let session: Session | null = null;
  return {
    mode: 'live',
    start(onState, onStatus) {
      session?.stop();
      session = startSession(options, onState, onStatus);
    },
    stop() {
      session?.stop();
      session = null;
    },
    command(command) {
      return session ? session.command(command) : Promise.reject(new CommandNotDelivered('this screen is not connected'));
    },
    reconnect() {
      session?.reconnect();
    },
  };
}

function startSession(options: SocketOptions, onState: Parameters<StationTransport['start']>[0], onStatus: Parameters<StationTransport['start']>[1]): Session {
  const random = options.random ?? Math.random;
  let polling = false;
  let stopped = false;
  const status = (state: ConnectionStatus['state'], detail: string | null = null): void => {
    // While polling, the fallback speaks for the connection; live attempts go on quietly.
    if (!polling) onStatus({ state, mode: 'live', detail });
  };
  if (options.token === null) {
    status('disconnected', NOT_PAIRED);
    return {
      stop: () => {},
      reconnect: () => {},
      command: () => Promise.reject(new CommandNotDelivered(NOT_PAIRED)),
    };
  }

  const follower = new FeedFollower();
  const acks = new AwaitedAcks(options.ackTimeoutMs);
  let epoch = '';
  let live = false;
  let everLive = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const publish = (role?: ScreenRole): void => {
    const replica = follower.current;
    if (replica) onState(role ? { state: replica.state, clockOffsetMs: 0, role } : { state: replica.state, clockOffsetMs: 0 });
  };
  const stopPolling = (): void => {
    if (!polling) return;
    polling = false;
    options.fallback.stop();
  };
  // Why the station refused this screen live, while polling stands in for it: said beside "connected".
  let refusedLive: string | null = null;
  const startPolling = (): void => {
    if (polling) return;
    polling = true;
    options.fallback.start(onState, (next) => onStatus(next.state === 'connected' && refusedLive ? { ...next, detail: refusedLive } : next));
  };
  const goLive = (): void => {
    live = true;
    everLive = true;
    stopPolling();
    status('connected');
  };

  const connect = options.connect ?? ((origin, socketOptions) => io(origin, socketOptions));
  const socket = connect(options.origin, { auth: { token: options.token, name: options.name }, reconnection: false });
  const retryIn = (delayMs: number): void => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!stopped && !socket.connected) socket.connect();
    }, delayMs);
  };

  const fresh = (snapshot: unknown, role?: ScreenRole): void => {
    if (!looksLikeSnapshot(snapshot)) return;
    follower.start(snapshot);
    epoch = snapshot.epoch;
    publish(role);
  };
  socket.on('initial_state', (snapshot: unknown) => {
    fresh(snapshot, readRole(snapshot));
    // A fresh connection counts as live once its copy is in: commands flushed before that
    // would not know which run of the server they are talking to.
    if (follower.current) goLive();
  });
  socket.on('status_update', (snapshot: unknown) => fresh(snapshot));
  for (const name of STATION_EVENT_TYPES) {
    socket.on(name, (payload: StationEvent) => {
      const message = { name, payload } as LiveMessage;
      if (!looksLikeLiveMessage(message)) return;
      const outcome = follower.take([message]);
      if (outcome === 'changed') publish();
      else if (outcome === 'resync') socket.emit('resync');
    });
  }
  socket.on('connect', () => {
    failures = 0;
    refusedLive = null;
    if (!socket.recovered) return;
    // The same run of the server, replaying what was missed: the copy and its epoch still hold.
    if (!follower.current) socket.emit('resync');
    goLive();
  });
  socket.on('disconnect', (reason: string) => {
    live = false;
    if (reason === 'io client disconnect') {
      acks.loseAll();
      return;
    }
    if (reason === 'io server disconnect') {
      // The server let go on purpose: the token was revoked.
      status('disconnected', `The station ended this connection. ${NOT_PAIRED}`);
    } else {
      status('reconnecting', 'the connection to the station dropped; reconnecting');
      retryIn(reconnectDelay(1, random));
    }
    // After the status, so the commands whose answers were lost wait for the reconnect.
    acks.loseAll();
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string; retryAfterMs?: number } }) => {
    if (stopped) return;
    const code = error.data?.code;
    if (code === 'UNAUTHORIZED') {
      // Retrying a refused token only earns a lockout; a new pairing link is the way on.
      socket.disconnect();
      stopPolling();
      status('disconnected', `The station refused this screen: ${error.message}. ${NOT_PAIRED}`);
      return;
    }
    failures += 1;
    if (code === 'RATE_LIMITED') {
      status(everLive ? 'reconnecting' : 'connecting', error.message);
      retryIn(Math.max(reconnectDelay(failures, random), error.data?.retryAfterMs ?? 0));
      return;
    }
    if (code === 'TOO_MANY_SCREENS') {
      // The token or the address holds all the live connections it may; the REST snapshot is not
      // capped, so the screen polls at once, says why it is not live, and tries live again later.
      refusedLive = `live updates refused: ${error.message}; polling meanwhile`;
      startPolling();
      retryIn(reconnectDelay(failures, random));
      return;
    }
    if (failures >= (options.attemptsBeforeFallback ?? 3)) startPolling();
    else status(everLive ? 'reconnecting' : 'connecting', 'the station server cannot be reached live; retrying');
    retryIn(reconnectDelay(failures, random));
  });
  status('connecting');

  return {
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      socket.disconnect();
      stopPolling();
      acks.loseAll();
    },
    reconnect() {
      if (stopped) return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (!socket.connected) socket.connect();
      if (polling) options.fallback.reconnect();
    },
    command(command) {
      // While only polling works, commands go as POSTs; the emergency stop must not wait for live.
      if (polling) return options.fallback.command(command);
      if (!live || !socket.connected) return Promise.reject(new CommandNotDelivered('there is no live connection to the station'));
      return acks.send(command, epoch, (sent, onAck) => socket.emit('command', sent, onAck));
    },
  };
}

/** initial_state says who this screen is; a role this client does not know is not trusted. */
function readRole(snapshot: unknown): ScreenRole | undefined {
  if (!isObject(snapshot) || !isObject(snapshot['you'])) return undefined;
  const role = snapshot['you']['role'];
  return role === 'operator' || role === 'viewer' ? role : undefined;
}
