/**
 * The Electron entry: the station (put together in app/start-station.ts, as headless does) plus
 * one window onto it, a tray icon, a menu and desktop notifications. Everything that imports
 * Electron lives in electron/; what the shell decides (the tray's words, the quit question, where
 * the window opens, which alerts notify) lives in plain modules in desktop/.
 */
import { join, resolve } from 'node:path';
import { app, powerMonitor } from 'electron';
import { appPages } from './desktop/app-pages';
import { quitQuestion } from './desktop/quit-guard';
import { openStationLog } from './desktop/station-log';
import { readDesktopSettings, showAppMenu } from './electron/app-menu';
import { startDesktopStation } from './electron/desktop-station';
import { notifyAlerts } from './electron/notifications';
import { quitAfterShutdown } from './electron/quit';
import { stationWindow, type StationWindow } from './electron/station-window';
import { exposeTestHooks } from './electron/test-hooks';
import { showTray } from './electron/tray';
import { hardenWebContents, registerAppScheme, serveAppPages } from './electron/web-contents';

const dataDirArg = argValue('--data');
// Tests and side-by-side installs point the app at their own data folder.
if (dataDirArg) app.setPath('userData', resolve(dataDirArg));

// Must happen before the app is ready.
registerAppScheme();
// Every renderer the app ever makes is sandboxed, whatever its own options say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Two apps on one serial port would fight over the controller.
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  const dataDir = app.getPath('userData');
  // One folder holds everything the station keeps, its logs too, on every system.
  app.setAppLogsPath(join(dataDir, 'logs'));
  const stationLog = openStationLog(app.getPath('logs'));
  const log = stationLog.write;
  // Windows shows notifications only for an app with an id; the installer registers this one.
  if (process.platform === 'win32') app.setAppUserModelId('org.tendril.station');
  const station = await startDesktopStation(dataDir, __dirname, log);
  if (!station) return;
  const desktop = { settings: readDesktopSettings(dataDir, log) };
  // A quit can be asked for before the window exists; the question then has no window to attach to.
  let window: StationWindow | null = null;
  const quitting = quitAfterShutdown(station.close, log, {
    question: () => quitQuestion(station.core.state(), desktop.settings.closeToTray),
    parent: () => window?.visible() ?? null,
  });

  await app.whenReady();
  const pages = appPages(process.env['ELECTRON_RENDERER_URL']);
  hardenWebContents(pages);
  serveAppPages(pages, __dirname);
  const { show } = (window = stationWindow({ station, pages, mainDir: __dirname, dataDir, closeToTray: () => desktop.settings.closeToTray, quitting, log }));

  app.on('second-instance', show);
  app.on('activate', show);
  // Windows close only when quitting; the tray keeps the app otherwise.
  app.on('window-all-closed', () => {});
  // The system is going down: no one is there to answer a question about running jobs.
  powerMonitor.on('shutdown', () => {
    quitting.unattended();
    app.quit();
  });

  const tray = showTray(station.core, station.control, show);
  showAppMenu({ desktop, dataDir, logsDir: app.getPath('logs'), loginDataDir: dataDirArg ? resolve(dataDirArg) : undefined, log });
  const notices = notifyAlerts(station.core, show);
  exposeTestHooks({ state: () => station.core.state(), trayView: tray.view, trayClick: tray.click, desktop: () => desktop.settings, notices, logFile: stationLog.file });
  show();
}

function argValue(name: string): string | undefined {
  const args = process.argv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}
