import type { CommandAck } from './commands';
import type { LiveMessage, StationSnapshot } from './events';

/** IPC channel names between the preload bridge and main. */
export const IPC = {
  /** invoke: the whole-station snapshot the events follow on from. */
  snapshot: 'station:snapshot',
  /** main → renderer: one frame's events, in order. */
  events: 'station:events',
  /** invoke: a command, with the LAN's schema; answered with its ack. */
  command: 'station:command',
  /** invoke: one of the LAN's record requests (history, jobs, CSV exports), by path and query. */
  record: 'station:record',
} as const;

/**
 * What the preload script exposes to the renderer as `window.tendril`. Deliberately small:
 * the renderer never sees `ipcRenderer` itself.
 */
export interface TendrilBridge {
  /** A fresh snapshot: at start, and whenever the events show a gap. */
  snapshot(): Promise<StationSnapshot>;
  /** Subscribes to main's event batches; returns the unsubscribe function. */
  onEvents(listener: (messages: LiveMessage[]) => void): () => void;
  command(command: unknown): Promise<CommandAck>;
  /**
   * The LAN API's records (`/api/history?…`, `/api/jobs?…`, `/api/export/*.csv`) for the
   * desktop window, which has no token and no HTTP server of its own to ask.
   */
  record(pathAndQuery: string): Promise<RecordResponse>;
}

/** A record request's answer, as the HTTP server would give it. */
export interface RecordResponse {
  status: number;
  contentType: string;
  body: string;
}
