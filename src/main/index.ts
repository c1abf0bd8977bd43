/**
 * The Electron entry: the station core plus one window onto it. Everything that is not window
 * or IPC wiring lives in the plain Node core (see headless.ts for the same core without Electron).
 */
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, protocol, session } from 'electron';
import { APP_SCHEME, appPages, rendererDir, type AppPages } from './desktop/app-pages';
import { appPageResponse } from './desktop/app-protocol';
import { bridgeStationToWindow } from './desktop/ipc-bridge';
import { stationWindowOptions } from './desktop/window';
import { contentSecurityPolicy } from '../shared/csp';
import { loadLanSettings } from './desktop/lan-settings';
import { createStationControl, type StationControl } from './control';
import { DATABASE_FILE, openStationDatabase, type StationDatabase } from './db';
import { pairingUrl, reachableOrigins } from './headless/pairing';
import { createLanServer, findWebRoot } from './lan';
import { TokenStore } from './lan/access';
import type { StationRecords } from './lan/records';
import { createStationCore, loadStationSource } from './station';
import type { StationCore } from './station/types';

/** The device's watchdog turns outputs off anyway; this only bounds how long quitting can hang. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

const dataDirArg = argValue('--data');
// Tests and side-by-side installs point the app at their own data folder.
if (dataDirArg) app.setPath('userData', resolve(dataDirArg));

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Two apps on one serial port would fight over the controller.
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  const log = (line: string): void => console.log(line);
  const dataDir = app.getPath('userData');
  const { warning, ...source } = loadStationSource(dataDir);
  if (warning) log(`settings: ${warning}`);
  const databaseFile = join(dataDir, DATABASE_FILE);
  let database: StationDatabase;
  try {
    database = openStationDatabase(databaseFile, { sensorHistory: { log } });
  } catch (error) {
    // Running without the record of doses and jobs would hide what the station did: say so, stop.
    await app.whenReady();
    dialog.showErrorBox('Tendril cannot open its database', `${(error as Error).message}\n\nThe file is ${databaseFile}. Move it aside to start with an empty one, or install the Tendril that wrote it.`);
    app.exit(1);
    return;
  }
  const records: StationRecords = { recentJobs: (limit) => database.jobs.recent(limit), doses: (range) => database.doseAudit.list(range) };
  const core = createStationCore({ source, dataDir, log, database });
  const control = createStationControl(core, { log });
  quitAfterShutdown(core, log, () => database.close());

  await app.whenReady();
  void serveLan(core, control, database, records, dataDir, log);

  const pages = appPages(process.env['ELECTRON_RENDERER_URL']);
  hardenWebContents(pages);
  if (!pages.dev) {
    const dir = rendererDir(__dirname);
    protocol.handle(APP_SCHEME, (request) => appPageResponse(dir, request.url));
  }

  let window: BrowserWindow | null = null;
  const showWindow = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
      return;
    }
    window = new BrowserWindow(stationWindowOptions(__dirname));
    const shown = window;
    shown.once('ready-to-show', () => shown.show());
    const unbridge = bridgeStationToWindow(core, control, window, pages, { history: database.sensorHistory, records });
    window.on('closed', () => {
      unbridge();
      window = null;
    });
    void window.loadURL(pages.entry);
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // Until the tray exists, closing the window quits (and so switches every output off).
  app.on('window-all-closed', () => app.quit());

  showWindow();
  try {
    await core.start();
  } catch (error) {
    log(`Tendril could not start the station link: ${String(error)}`);
  }
}

/**
 * Hardening that applies to every web contents the app ever creates, not just the main window:
 * no navigation away from our pages, no new windows, no <webview>, no permission prompts.
 */
function hardenWebContents(pages: AppPages): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // Production pages get their CSP from the app:// handler; dev pages come from the Vite server,
  // so add it to those responses here.
  if (pages.dev) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (!pages.isAppPage(details.url)) return callback({});
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(true)] },
      });
    });
  }
}

/** Phones and other PCs in the room: the same LAN server headless runs, unless switched off. */
async function serveLan(core: StationCore, control: StationControl, database: StationDatabase, records: StationRecords, dataDir: string, log: (line: string) => void): Promise<void> {
  const lan = loadLanSettings(dataDir);
  if (lan.warning) log(`settings: ${lan.warning}`);
  if (!lan.enabled) return;
  try {
    const tokens = await TokenStore.open(join(dataDir, 'tokens.json'));
    const server = createLanServer({ core, control, tokens, host: lan.host, port: lan.port, webRoot: findWebRoot(__dirname), log, history: database.sensorHistory, records });
    const url = await server.listen();
    app.on('will-quit', () => void server.close());
    const start = tokens.renewStartTokens();
    for (const origin of reachableOrigins(url, lan.host)) {
      log(`lan: pair a screen to watch:   ${pairingUrl(origin, start.viewer)}`);
      log(`lan: pair a screen to control: ${pairingUrl(origin, start.operator)}`);
    }
  } catch (error) {
    log(`lan: the LAN server could not start on ${lan.host}:${lan.port} (${(error as Error).message}); set another "lan.port" in settings.json`);
  }
}

function quitAfterShutdown(core: StationCore, log: (line: string) => void, closeDatabase: () => void): void {
  let outputsOff = false;
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (outputsOff) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    const timeout = new Promise<void>((done) => setTimeout(done, SHUTDOWN_TIMEOUT_MS));
    Promise.race([core.shutdown(), timeout])
      .catch((error: unknown) => log(`Tendril could not shut the station down cleanly: ${String(error)}`))
      .finally(() => {
        closeDatabase();
        outputsOff = true;
        app.quit();
      });
  });
  // A service manager or a terminal stops us with a signal; go through the same shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
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
