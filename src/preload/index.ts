/**
 * The renderer's only door into main. It exposes two functions, never `ipcRenderer` itself, and
 * drops anything from main that does not look like a station state.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type TendrilBridge } from '../shared/bridge';
import type { StationState } from '../shared/station';

// Kept to a shape check on purpose: main is trusted, this only stops a bad push from
// crashing the screen.
function looksLikeStationState(value: unknown): value is StationState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<Record<keyof StationState, unknown>>;
  const link = state.link as { status?: unknown } | undefined;
  return (
    typeof link === 'object' &&
    link !== null &&
    typeof link.status === 'string' &&
    Array.isArray(state.channels) &&
    typeof state.readings === 'object' &&
    state.readings !== null
  );
}

const bridge: TendrilBridge = {
  async getState() {
    const state: unknown = await ipcRenderer.invoke(IPC.getState);
    if (!looksLikeStationState(state)) throw new Error('Tendril received an unreadable station state');
    return state;
  },
  onState(listener) {
    if (typeof listener !== 'function') throw new TypeError('onState needs a listener function');
    const relay = (_event: IpcRendererEvent, state: unknown): void => {
      if (looksLikeStationState(state)) listener(state);
    };
    ipcRenderer.on(IPC.state, relay);
    return () => {
      ipcRenderer.removeListener(IPC.state, relay);
    };
  },
};

contextBridge.exposeInMainWorld('tendril', bridge);
