import type { StationState } from '../../../shared/station';

/**
 * How this screen reaches the station. Inside Electron that is IPC; in a LAN browser it is
 * the network (polling today, Socket.IO later). Everything above this interface is the same.
 */
export interface StationTransport {
  readonly mode: TransportMode;
  /** Begins delivering state and status. Events may arrive until `stop` is called. */
  start(onState: (update: StationUpdate) => void, onStatus: (status: ConnectionStatus) => void): void;
  stop(): void;
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

export interface StationUpdate {
  state: StationState;
  /**
   * The station's clock minus this device's clock, in ms. Reading ages are judged on the
   * station's clock, and a phone's clock may be minutes off.
   */
  clockOffsetMs: number;
}

export function sameStatus(a: ConnectionStatus | null, b: ConnectionStatus): boolean {
  return a !== null && a.state === b.state && a.mode === b.mode && a.detail === b.detail;
}
