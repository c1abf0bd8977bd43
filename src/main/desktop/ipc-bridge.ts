import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC } from '../../shared/bridge';
import type { StationCore } from '../station/types';
import type { AppPages } from './app-pages';

/** One push per animation frame at most; telemetry bursts collapse into the latest state. */
const PUSH_INTERVAL_MS = 16;

/**
 * Connects the station to one window: answers `getState` and pushes every change. Returns the
 * function that undoes it.
 */
export function bridgeStationToWindow(core: StationCore, window: BrowserWindow, pages: AppPages): () => void {
  const contents = window.webContents;

  // Only our own page in our own window may read the station. The frame URL is checked, not
  // the window's, because a subframe shares the window's web contents.
  const isTrusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return event.sender === contents && frame !== null && frame.parent === null && pages.isAppPage(frame.url);
  };

  ipcMain.handle(IPC.getState, (event) => {
    if (!isTrusted(event)) throw new Error('Tendril refused a station request from an unknown page');
    return core.state();
  });

  let lastPushAt = 0;
  let pending: ReturnType<typeof setTimeout> | null = null;

  const push = (): void => {
    pending = null;
    lastPushAt = Date.now();
    if (contents.isDestroyed() || !pages.isAppPage(contents.getURL())) return;
    // Always the latest state, never a queued one: the state is a snapshot, not a delta.
    contents.send(IPC.state, core.state());
  };

  const unsubscribe = core.subscribe(() => {
    if (pending) return;
    const wait = Math.max(0, lastPushAt + PUSH_INTERVAL_MS - Date.now());
    pending = setTimeout(push, wait);
  });

  return () => {
    unsubscribe();
    if (pending) clearTimeout(pending);
    pending = null;
    ipcMain.removeHandler(IPC.getState);
  };
}
