/**
 * The renderer's only door into main. It exposes two functions, never `ipcRenderer` itself, and
 * drops anything from main that does not look like a station state (main is trusted; the check
 * only keeps a bad push from crashing the screen).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type TendrilBridge } from '../shared/bridge';
import { looksLikeStationState } from '../shared/station-shape';

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
