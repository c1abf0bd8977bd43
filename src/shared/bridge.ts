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
}
