/**
 * The one window onto the station: opened where it was last time, bridged to the station over
 * IPC, and hidden to the tray rather than closed while the grower keeps it that way.
 */
import { app, BrowserWindow, screen } from 'electron';
import appIcon from '../../../resources/icon.png?asset';
import type { Station } from '../app';
import type { AppPages } from '../desktop/app-pages';
import { stationWindowOptions } from '../desktop/window';
import { loadWindowState, placeWindow, saveWindowState, type Rect } from '../desktop/window-state';
import { bridgeStationToWindow } from './ipc-bridge';
import type { Quitting } from './quit';

export interface StationWindowOptions {
  station: Station;
  pages: AppPages;
  /** The built main bundle's folder, beside which the preload lives. */
  mainDir: string;
  dataDir: string;
  /** Closing the window hides it to the tray when this says so; it asks to quit otherwise. */
  closeToTray(): boolean;
  quitting: Quitting;
  log(line: string): void;
}

export interface StationWindow {
  /** Shows the window, making it again if it was closed. */
  show(): void;
  /** The window, when it is on screen. */
  visible(): BrowserWindow | null;
}

export function stationWindow({ station, pages, mainDir, dataDir, closeToTray, quitting, log }: StationWindowOptions): StationWindow {
  let window: BrowserWindow | null = null;
  const show = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const options = stationWindowOptions(mainDir, appIcon);
    const place = placeWindow(loadWindowState(dataDir), displayAreas(), options);
    const shown = new BrowserWindow({ ...options, ...place.bounds }); /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK: set in stationWindowOptions (desktop/window.ts) and tested there; app.enableSandbox() in index.ts forces the sandbox anyway */
    window = shown;
    shown.once('ready-to-show', () => {
      if (place.maximized) shown.maximize();
      shown.show();
    });
    const unbridge = bridgeStationToWindow(station.core, station.control, shown, pages, { history: station.history, records: station.records });
    shown.on('close', (event) => {
      rememberPlace(shown, dataDir, log);
      if (quitting.underway()) return;
      // Closing the window is not quitting: schedules and running jobs go on in the tray. When the
      // grower has turned that off, closing asks to quit, and the window stays if they say no.
      event.preventDefault();
      if (closeToTray()) shown.hide();
      else app.quit();
    });
    shown.on('session-end', () => quitting.unattended());
    shown.on('closed', () => {
      unbridge();
      if (window === shown) window = null;
    });
    void shown.loadURL(pages.entry);
  };
  return { show, visible: () => (window && !window.isDestroyed() && window.isVisible() ? window : null) };
}

function displayAreas(): Rect[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)].map((display) => display.workArea);
}

function rememberPlace(window: BrowserWindow, dataDir: string, log: (line: string) => void): void {
  try {
    saveWindowState(dataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  } catch (error) {
    log(`window: could not remember where the window was (${(error as Error).message})`);
  }
}
