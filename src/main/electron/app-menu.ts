/**
 * The application menu, rebuilt whenever one of its checkboxes changes a setting. A setting that
 * cannot be saved is not applied, and the grower is told why. What the menu holds is decided in
 * desktop/app-menu.ts; this hands it to Electron.
 */
import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { appMenu, type MenuAction, type MenuNode } from '../desktop/app-menu';
import { loadDesktopSettings, saveDesktopSettings, type DesktopSettings } from '../desktop/desktop-settings';
import { setStartAtLogin, startsAtLogin } from './login-item';

export interface AppMenuOptions {
  /** The desktop settings as they stand; the menu replaces them when one changes. */
  desktop: { settings: DesktopSettings };
  dataDir: string;
  logsDir: string;
  /** The data folder given on the command line, which starting at login must pass on too. */
  loginDataDir: string | undefined;
  log(line: string): void;
}

/** The desktop section of settings.json, saying so when it had to fall back. */
export function readDesktopSettings(dataDir: string, log: (line: string) => void): DesktopSettings {
  const { warning, ...settings } = loadDesktopSettings(dataDir);
  if (warning) log(`settings: ${warning}`);
  return settings;
}

export function showAppMenu({ desktop, dataDir, logsDir, loginDataDir, log }: AppMenuOptions): void {
  // The setting is what the grower chose; bring the system's list of login items in line with it.
  if (startsAtLogin(loginDataDir) !== desktop.settings.startAtLogin) setStartAtLogin(desktop.settings.startAtLogin, loginDataDir, log);
  const change = (update: Partial<DesktopSettings>): void => {
    const saved = saveDesktopSettings(dataDir, update);
    if (saved.ok) {
      desktop.settings = saved.settings;
      if (update.startAtLogin !== undefined) setStartAtLogin(saved.settings.startAtLogin, loginDataDir, log);
    } else {
      log(`settings: ${saved.reason}`);
      void dialog.showMessageBox({ type: 'warning', title: 'Tendril', message: 'Tendril could not save this setting', detail: saved.reason });
    }
    show();
  };
  const actions: Record<MenuAction, () => void> = {
    'start-at-login': () => change({ startAtLogin: !desktop.settings.startAtLogin }),
    'close-to-tray': () => change({ closeToTray: !desktop.settings.closeToTray }),
    'open-logs': () => {
      void shell.openPath(logsDir).then((problem) => {
        if (problem) log(`logs: could not open ${logsDir} (${problem})`);
      });
    },
  };
  const show = (): void => {
    const nodes = appMenu({ platform: process.platform, packaged: app.isPackaged, settings: desktop.settings });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(nodes, (action) => actions[action]())));
  };
  show();
}

function menuTemplate(nodes: MenuNode[], run: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  return nodes.map((node): MenuItemConstructorOptions => {
    switch (node.kind) {
      case 'role':
        return { role: node.role };
      case 'submenu':
        return { label: node.label, role: node.role, submenu: menuTemplate(node.submenu, run) };
      case 'action':
        return { id: node.action, label: node.label, click: () => run(node.action) };
      case 'checkbox':
        return { id: node.action, label: node.label, type: 'checkbox', checked: node.checked, click: () => run(node.action) };
      case 'separator':
        return { type: 'separator' };
    }
  });
}
