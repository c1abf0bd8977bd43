/**
 * The application menu as plain data: Electron's standard menus by role, plus Tendril's own
 * items. The entry turns it into a real menu and wires each item's id to what it does, so the
 * menu's shape is tested here without Electron.
 */
import type { DesktopSettings } from './desktop-settings';

/** The roles used below: Electron fills these menus and items in, in each platform's way. */
export type MenuRole =
  | 'appMenu'
  | 'fileMenu'
  | 'editMenu'
  | 'viewMenu'
  | 'windowMenu'
  | 'help'
  | 'close'
  | 'quit'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

/** Tendril's own items; also their menu item ids. */
export type MenuAction = 'start-at-login' | 'close-to-tray' | 'open-logs';

export type MenuNode =
  | { kind: 'role'; role: MenuRole }
  | { kind: 'submenu'; label: string; role: MenuRole; submenu: MenuNode[] }
  | { kind: 'action'; action: MenuAction; label: string }
  | { kind: 'checkbox'; action: MenuAction; label: string; checked: boolean }
  | { kind: 'separator' };

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools only where the app runs from source. */
  packaged: boolean;
  settings: DesktopSettings;
}

export function appMenu({ platform, packaged, settings }: AppMenuOptions): MenuNode[] {
  const mac = platform === 'darwin';
  const separator: MenuNode = { kind: 'separator' };
  return [
    ...(mac ? [{ kind: 'role', role: 'appMenu' } as const] : []),
    {
      kind: 'submenu',
      label: 'File',
      role: 'fileMenu',
      submenu: [
        { kind: 'checkbox', action: 'start-at-login', label: 'Start at login', checked: settings.startAtLogin },
        { kind: 'checkbox', action: 'close-to-tray', label: 'Keep running in the tray when the window is closed', checked: settings.closeToTray },
        separator,
        // On macOS Quit lives in the app menu; elsewhere it ends the File menu.
        { kind: 'role', role: mac ? 'close' : 'quit' },
      ],
    },
    { kind: 'role', role: 'editMenu' },
    {
      kind: 'submenu',
      label: 'View',
      role: 'viewMenu',
      submenu: [
        { kind: 'role', role: 'reload' },
        { kind: 'role', role: 'forceReload' },
        ...(packaged ? [] : [{ kind: 'role', role: 'toggleDevTools' } as const]),
        separator,
        { kind: 'role', role: 'resetZoom' },
        { kind: 'role', role: 'zoomIn' },
        { kind: 'role', role: 'zoomOut' },
        separator,
        { kind: 'role', role: 'togglefullscreen' },
      ],
    },
    { kind: 'role', role: 'windowMenu' },
    { kind: 'submenu', label: 'Help', role: 'help', submenu: [{ kind: 'action', action: 'open-logs', label: 'Open logs folder' }] },
  ];
}
