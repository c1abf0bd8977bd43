/**
 * Starting Tendril at login: Electron keeps login items on macOS and Windows; Linux desktops read
 * XDG autostart entries (desktop/login-item.ts writes them).
 */
import { app } from 'electron';
import { isAutostartOn, launchCommand, setAutostart, type Launch } from '../desktop/login-item';

/** What starts this copy of Tendril again at login; `dataDir` when it was given on the command line. */
function launch(dataDir: string | undefined): Launch {
  return launchCommand({ execPath: process.execPath, appImage: process.env['APPIMAGE'], packaged: app.isPackaged, appPath: app.getAppPath(), dataDir });
}

export function startsAtLogin(dataDir: string | undefined): boolean {
  if (process.platform === 'linux') return isAutostartOn(app.getPath('appData'));
  const { command, args } = launch(dataDir);
  return app.getLoginItemSettings({ path: command, args }).openAtLogin;
}

export function setStartAtLogin(on: boolean, dataDir: string | undefined, log: (line: string) => void): void {
  const { command, args } = launch(dataDir);
  try {
    if (process.platform === 'linux') setAutostart(app.getPath('appData'), on, { command, args });
    else app.setLoginItemSettings({ openAtLogin: on, path: command, args });
  } catch (error) {
    log(`settings: could not ${on ? 'add Tendril to' : 'remove Tendril from'} the programs started at login (${(error as Error).message})`);
  }
}
