/**
 * The renderer's only door into main. It exposes three functions, never `ipcRenderer` itself,
 * and drops anything from main that does not look like what was promised (main is trusted; the
 * check only keeps a bad push from crashing the screen).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type TendrilBridge } from '../shared/bridge';
import type { CommandAck } from '../shared/commands';
import { isObject, looksLikeLiveMessage, looksLikeSnapshot } from '../shared/station-shape';

const bridge: TendrilBridge = {
  async snapshot() {
    const snapshot: unknown = await ipcRenderer.invoke(IPC.snapshot);
    if (!looksLikeSnapshot(snapshot)) throw new Error('Tendril received an unreadable station snapshot');
    return snapshot;
  },
  onEvents(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvents needs a listener function');
    const relay = (_event: IpcRendererEvent, messages: unknown): void => {
      if (Array.isArray(messages) && messages.every(looksLikeLiveMessage)) listener(messages);
    };
    ipcRenderer.on(IPC.events, relay);
    return () => {
      ipcRenderer.removeListener(IPC.events, relay);
    };
  },
  async command(command) {
    const ack: unknown = await ipcRenderer.invoke(IPC.command, command);
    if (!isObject(ack) || typeof ack['ok'] !== 'boolean') throw new Error('Tendril received an unreadable answer to a command');
    return ack as unknown as CommandAck;
  },
  async record(pathAndQuery) {
    if (typeof pathAndQuery !== 'string') throw new TypeError('record needs a path such as "/api/jobs"');
    const answer: unknown = await ipcRenderer.invoke(IPC.record, pathAndQuery);
    if (!isObject(answer) || typeof answer['status'] !== 'number' || typeof answer['body'] !== 'string' || typeof answer['contentType'] !== 'string') {
      throw new Error('Tendril received an unreadable record');
    }
    return { status: answer['status'], contentType: answer['contentType'], body: answer['body'] };
  },
};

contextBridge.exposeInMainWorld('tendril', bridge);
