import { io, type Socket } from 'socket.io-client';
import { STATION_EVENT_TYPES, type LiveMessage, type StationEvent, type StationSnapshot } from '../../../shared/events';
import { FeedFollower } from '../../../shared/follow';
import { looksLikeLiveMessage, looksLikeSnapshot } from '../../../shared/station-shape';
import { NOT_PAIRED } from './pairing';
import type { ConnectionStatus, StationTransport, StationUpdate } from './types';

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
  connect?: typeof io;
}

/**
 * Live over Socket.IO: a snapshot on connect, then numbered events applied with the shared
 * reducer; a gap asks for a fresh snapshot. Reconnects back off from 1 s to 30 s with jitter,
 * and while no live connection works the REST snapshot is polled instead.
 */
export function socketTransport(options: SocketOptions): StationTransport {
  const connect = options.connect ?? io;
  let socket: Socket | null = null;
  let polling = false;

  return {
    mode: 'live',
    start(onState, onStatus) {
      const status = (state: ConnectionStatus['state'], detail: string | null = null): void => onStatus({ state, mode: 'live', detail });
      if (options.token === null) {
        status('disconnected', NOT_PAIRED);
        return;
      }
      const follower = new FeedFollower();
      let everConnected = false;
      let failures = 0;
      const publish = (): void => {
        const replica = follower.current;
        if (replica) onState({ state: replica.state, clockOffsetMs: 0 });
      };
      const startPolling = (): void => {
        if (polling) return;
        polling = true;
        options.fallback.start((update: StationUpdate) => onState(update), onStatus);
      };
      const stopPolling = (): void => {
        if (!polling) return;
        polling = false;
        options.fallback.stop();
      };

      const live = connect(options.origin, {
        auth: { token: options.token, name: options.name },
        reconnectionDelay: 1_000,
        reconnectionDelayMax: 30_000,
        randomizationFactor: 0.5,
      });
      socket = live;
      status('connecting');

      const fresh = (snapshot: unknown): void => {
        if (!looksLikeSnapshot(snapshot)) return;
        follower.start(snapshot as StationSnapshot);
        publish();
      };
      live.on('initial_state', fresh);
      live.on('status_update', fresh);
      for (const name of STATION_EVENT_TYPES) {
        live.on(name, (payload: StationEvent) => {
          const message = { name, payload } as LiveMessage;
          if (!looksLikeLiveMessage(message)) return;
          const outcome = follower.take([message]);
          if (outcome === 'changed') publish();
          else if (outcome === 'resync') live.emit('resync');
        });
      }
      live.on('connect', () => {
        everConnected = true;
        failures = 0;
        stopPolling();
        status('connected');
      });
      live.on('disconnect', (reason) => {
        if (reason === 'io server disconnect') {
          // The server let go on purpose: the token was revoked.
          status('disconnected', `The station ended this connection. ${NOT_PAIRED}`);
          return;
        }
        status('reconnecting', 'the connection to the station dropped; reconnecting');
      });
      live.on('connect_error', (error: Error & { data?: { code?: string } }) => {
        const code = error.data?.code;
        if (code === 'UNAUTHORIZED') {
          live.disconnect();
          status('disconnected', `The station refused this screen: ${error.message}. ${NOT_PAIRED}`);
          return;
        }
        if (code === 'RATE_LIMITED') {
          status('reconnecting', error.message);
          return;
        }
        failures += 1;
        if (failures >= (options.attemptsBeforeFallback ?? 3)) startPolling();
        else status(everConnected ? 'reconnecting' : 'connecting', 'the station server cannot be reached live; retrying');
      });
    },
    stop() {
      socket?.disconnect();
      socket = null;
      if (polling) options.fallback.stop();
      polling = false;
    },
  };
}
