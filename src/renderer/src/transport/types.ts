import type { Command, CommandAck } from '../../../shared/commands';
import type { StationState } from '../../../shared/station';

/**
 * How this screen reaches the station. Inside Electron that is IPC; in a LAN browser it is
 * Socket.IO, with the REST API (snapshot polled, commands posted) while no live connection works. Everything above
 * this interface is the same.
 */
export interface StationTransport {
  readonly mode: TransportMode;
  /** Begins delivering state and status. Events may arrive until `stop` is called. */
  start(onState: (update: StationUpdate) => void, onStatus: (status: ConnectionStatus) => void): void;
  stop(): void;
  /**
   * Carries one command to the station and resolves with its ack. Rejects with
   * CommandNotDelivered when the command cannot go out now or its answer was lost with the
   * connection; the same command (same id) may then be sent again, and the station acts once.
   */
  command(command: Command): Promise<CommandAck>;
  /** Tries the station again now instead of waiting out the backoff (the "Reconnect" button). */
  reconnect(): void;
}

/** desktop: IPC inside Electron; live: a push connection; polling: the REST snapshot. */
export type TransportMode = 'desktop' | 'live' | 'polling';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  mode: TransportMode;
  /** Why it is not connected, in words a grower can act on. */
  detail: string | null;
}

/**
 * What this screen may do: the desktop app and operator tokens control the station, a viewer
 * token only watches (and may still press the emergency stop).
 */
export type ScreenRole = 'desktop' | 'operator' | 'viewer';

export interface StationUpdate {
  state: StationState;
  /**
   * The station's clock minus this device's clock, in ms. Reading ages are judged on the
   * station's clock, and a phone's clock may be minutes off.
   */
  clockOffsetMs: number;
  /** Set when the transport learned this screen's role; absent means "as before". */
  role?: ScreenRole;
}

/**
 * A command that did not reach the station, or whose answer was lost with the connection.
 * Whether it acted is unknown; sending it again with the same id is safe, because the station
 * answers a repeated id with its first answer instead of acting twice.
 */
export class CommandNotDelivered extends Error {
  override readonly name = 'CommandNotDelivered';
}

/** Every connected transport carries commands; polling sends them by POST /api/command. */
export function carriesCommands(status: ConnectionStatus): boolean {
  return status.state === 'connected';
}

export function sameStatus(a: ConnectionStatus | null, b: ConnectionStatus): boolean {
  return a !== null && a.state === b.state && a.mode === b.mode && a.detail === b.detail;
}
