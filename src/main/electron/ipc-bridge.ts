import { ipcMain, type BrowserWindow } from 'electron';
import type { StationControl } from '../control';
import type { StationCore } from '../station/types';
import type { AppPages } from '../desktop/app-pages';
import { bridgeStation, type StationBridgeOptions } from '../desktop/station-bridge';

/** The real `ipcMain` and window behind the plain bridge; returns the function that undoes it. */
export function bridgeStationToWindow(
  core: StationCore,
  control: StationControl,
  window: BrowserWindow,
  pages: AppPages,
  records: Pick<StationBridgeOptions, 'history' | 'records'> = {},
): () => void {
  return bridgeStation({ core, control, ipc: ipcMain, contents: window.webContents, isAppPage: (url) => pages.isAppPage(url), ...records });
}
