/**
 * The tray icon: the station's state at a glance, the emergency stop and the way back to the
 * window while it is hidden. Its words are decided in desktop/tray-status.ts.
 */
import { readFileSync } from 'node:fs';
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import trayIcon from '../../../resources/tray.png?asset';
import trayIcon2x from '../../../resources/tray@2x.png?asset';
import type { Principal, StationControl } from '../control';
import { sameTrayView, trayView, type TrayAction, type TrayMenuEntry, type TrayView } from '../desktop/tray-status';
import type { StationCore } from '../station/types';

/** The tray acts as the station's own computer, like the window does. */
const TRAY: Principal = { id: 'desktop', role: 'operator', name: 'this computer (tray)', local: true };
/** The tray follows the station at most this often; the state changes with every reading. */
const TRAY_REFRESH_MS = 200;

export interface TrayHandle {
  /** What the tray shows now. */
  view(): TrayView | null;
  /** Clicks an item of the tray's menu as built. */
  click(action: TrayAction): void;
}

export function showTray(core: StationCore, control: StationControl, showWindow: () => void): TrayHandle {
  const tray = new Tray(trayImage());
  let shown: TrayView | null = null;
  let menu: Menu | null = null;
  const actions: Record<TrayAction, () => void> = {
    estop: () => void control.handle(TRAY, { id: `tray-estop-${Date.now()}`, type: 'estop' }),
    open: showWindow,
    quit: () => app.quit(),
  };
  const item = (entry: TrayMenuEntry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'status':
        return { label: entry.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return { id: entry.action, label: entry.label, click: () => actions[entry.action]() };
    }
  };
  const refresh = (): void => {
    const view = trayView(core.state());
    if (sameTrayView(shown, view)) return;
    shown = view;
    menu = Menu.buildFromTemplate(view.menu.map(item));
    tray.setToolTip(view.tooltip);
    tray.setContextMenu(menu);
  };
  let pending: ReturnType<typeof setTimeout> | null = null;
  core.subscribe(() => {
    pending ??= setTimeout(() => {
      pending = null;
      refresh();
    }, TRAY_REFRESH_MS);
  });
  // On macOS a click opens the menu; elsewhere it is the quickest way back to the window.
  if (process.platform !== 'darwin') tray.on('click', showWindow);
  app.on('will-quit', () => tray.destroy());
  refresh();
  return { view: () => shown, click: (action) => menu?.getMenuItemById(action)?.click() };
}

function trayImage(): NativeImage {
  const image = nativeImage.createFromPath(trayIcon);
  // createFromPath picks up tray@2x.png beside tray.png by its name; add it by hand if it did not.
  if (!image.isEmpty() && !image.getScaleFactors().includes(2)) image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(trayIcon2x) });
  return image;
}
