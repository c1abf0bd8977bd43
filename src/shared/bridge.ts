import type { StationState } from './station';

/** IPC channel names between the preload bridge and main. */
export const IPC = {
  getState: 'station:get-state',
  state: 'station:state',
} as const;

/**
 * What the preload script exposes to the renderer as `window.tendril`. Deliberately small:
 * the renderer never sees `ipcRenderer` itself.
 */
export interface TendrilBridge {
  getState(): Promise<StationState>;
  /** Subscribes to state pushes from main; returns the unsubscribe function. */
  onState(listener: (state: StationState) => void): () => void;
}
