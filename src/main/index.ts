/**
 * The Electron entry: the station core plus one window onto it, a tray icon, a menu and desktop
 * notifications. Everything that is not window or IPC wiring lives in the plain Node core (see
 * headless.ts for the same core without Electron); what the shell decides (the tray's words, the
 * quit question, where the window opens, which alerts notify) lives in plain modules in desktop/,
 * and this file hands their answers to Electron.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import appIcon from '../../resources/icon.png?asset';
import trayIcon from '../../resources/tray.png?asset';
import trayIcon2x from '../../resources/tray@2x.png?asset';
import { APP_SCHEME, appPages, rendererDir, type AppPages } from './desktop/app-pages';
import { appPageResponse } from './desktop/app-protocol';
import { bridgeStationToWindow } from './desktop/ipc-bridge';
import { stationWindowOptions } from './desktop/window';
import { AlertNotices, type AlertNotice } from './desktop/alert-notices';
import { appMenu, type MenuAction, type MenuNode } from './desktop/app-menu';
import { loadDesktopSettings, saveDesktopSettings, type DesktopSettings } from './desktop/desktop-settings';
import { isAutostartOn, launchCommand, setAutostart, type Launch } from './desktop/login-item';
import { quitQuestion, type QuitQuestion } from './desktop/quit-guard';
import { isAllowedRequest } from './desktop/request-filter';
import { openStationLog } from './desktop/station-log';
import { sameTrayView, trayView, type TrayAction, type TrayMenuEntry, type TrayView } from './desktop/tray-status';
import { TEST_HOOKS, type TestHooks } from './desktop/test-hooks';
import { loadWindowState, placeWindow, saveWindowState, type Rect } from './desktop/window-state';
import { contentSecurityPolicy } from '../shared/csp';
import { loadLanSettings } from './desktop/lan-settings';
import { createStationControl, type Principal, type StationControl } from './control';
import { DATABASE_FILE, openStationDatabase, type StationDatabase } from './db';
import { pairingUrl, presetTokensFromEnv } from './lan/pairing';
import { createLanServer, findWebRoot, LanService, type LanServer } from './lan';
import { accessDesk, TokenStore } from './lan/access';
import type { StationRecords } from './lan/records';
import { createStationCore, loadStationSource, updateSettingsSection } from './station';
import type { StationCore } from './station/types';
import type { Alert } from '../shared/station';

/** The device's watchdog turns outputs off anyway; this only bounds how long quitting can hang. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

const dataDirArg = argValue('--data');
// Tests and side-by-side installs point the app at their own data folder.
if (dataDirArg) app.setPath('userData', resolve(dataDirArg));

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
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
  const tokens = await openTokens(dataDir, log);
  const lan = desktopLan(dataDir, tokens, log, (port, host) =>
    createLanServer({ core, control, tokens: tokens!, host, port, webRoot: findWebRoot(__dirname), log, history: database.sensorHistory, records }),
  );
  const control = createStationControl(core, { log, lan, ...(tokens ? { access: accessDesk(tokens, () => lan.origins()) } : {}) });
  const desktop = { settings: readDesktopSettings(dataDir, log) };
  let window: BrowserWindow | null = null;
  const quitting = quitAfterShutdown(core, log, () => database.close(), {
    question: () => quitQuestion(core.state(), desktop.settings.closeToTray),
    parent: () => (window && !window.isDestroyed() && window.isVisible() ? window : null),
  });

  await app.whenReady();
  void serveLan(lan, tokens, log);

  const pages = appPages(process.env['ELECTRON_RENDERER_URL']);
  hardenWebContents(pages);
  if (!pages.dev) {
    const dir = rendererDir(__dirname);
    protocol.handle(APP_SCHEME, (request) => appPageResponse(dir, request.url));
  }

  const showWindow = (): void => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const options = stationWindowOptions(__dirname, appIcon);
    const place = placeWindow(loadWindowState(dataDir), displayAreas(), options);
    const shown = new BrowserWindow({ ...options, ...place.bounds }); /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK: set in stationWindowOptions (desktop/window.ts) and tested there; app.enableSandbox() above forces the sandbox anyway */
    window = shown;
    shown.once('ready-to-show', () => {
      if (place.maximized) shown.maximize();
      shown.show();
    });
    const unbridge = bridgeStationToWindow(core, control, shown, pages, { history: database.sensorHistory, records });
    shown.on('close', (event) => {
      rememberPlace(shown, dataDir, log);
      if (quitting.underway()) return;
      // Closing the window is not quitting: schedules and running jobs go on in the tray. When the
      // grower has turned that off, closing asks to quit, and the window stays if they say no.
      event.preventDefault();
      if (desktop.settings.closeToTray) shown.hide();
      else app.quit();
    });
    shown.on('session-end', () => quitting.unattended());
    shown.on('closed', () => {
      unbridge();
      if (window === shown) window = null;
    });
    void shown.loadURL(pages.entry);
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // Windows close only when quitting; the tray keeps the app otherwise.
  app.on('window-all-closed', () => {});
  // The system is going down: no one is there to answer a question about running jobs.
  powerMonitor.on('shutdown', () => {
    quitting.unattended();
    app.quit();
  });

  const tray = showTray(core, control, showWindow);
  showAppMenu(desktop, dataDir, app.getPath('logs'), log);
  const notices = notifyAlerts(core, showWindow);
  if (process.env['TENDRIL_TEST_HOOKS'] === '1') {
    exposeTestHooks({ state: () => core.state(), trayView: tray.view, trayClick: tray.click, desktop: () => desktop.settings, notices, logFile: stationLog.file });
  }

  showWindow();
  try {
    await core.start();
  } catch (error) {
    log(`Tendril could not start the station link: ${String(error)}`);
  }
}

/**
 * Hardening that applies to every web contents the app ever creates, not just the main window:
 * no navigation away from our pages, no new windows, no <webview>, no permission prompts, and no
 * requests to anything but the app's own pages.
 */
function hardenWebContents(pages: AppPages): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    // will-navigate covers only the top frame; this one covers frames inside the page too.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // No remote content, ever: whatever a page asks for, only the app's own pages load.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, pages) }));

  // Production pages get their CSP from the app:// handler; dev pages come from the Vite server,
  // so add it to those responses here.
  if (pages.dev) {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      if (!pages.isAppPage(details.url)) return callback({});
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(true)] }, /* eng-disable CSP_GLOBAL_CHECK: the policy is built in src/shared/csp.ts, which the scanner cannot follow; the meta tag in index.html carries the production one */
      });
    });
  }
}

/** Who may use the station from other screens; null (and the LAN server off) if the file is unreadable. */
async function openTokens(dataDir: string, log: (line: string) => void): Promise<TokenStore | null> {
  try {
    const tokens = await TokenStore.open(join(dataDir, 'tokens.json'));
    const problem = presetTokensFromEnv(tokens, process.env);
    if (problem) log(`lan: ${problem}`);
    return tokens;
  } catch (error) {
    log(`lan: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Phones and other PCs in the room: the same LAN server headless runs, switched on or off and
 * moved to another port from Settings (or `lan` in settings.json).
 */
function desktopLan(dataDir: string, tokens: TokenStore | null, log: (line: string) => void, createServer: (port: number, host: string) => LanServer): LanService {
  const settings = loadLanSettings(dataDir);
  if (settings.warning) log(`settings: ${settings.warning}`);
  return new LanService({
    // Without its token file nobody could pair, so the server stays off until the file is fixed.
    settings: { enabled: settings.enabled && tokens !== null, host: settings.host, port: settings.port },
    createServer: (port) => createServer(port, settings.host),
    save: tokens ? ({ enabled, port }) => updateSettingsSection(dataDir, 'lan', { enabled, port }) : null,
    log,
  });
}

async function serveLan(lan: LanService, tokens: TokenStore | null, log: (line: string) => void): Promise<void> {
  app.on('will-quit', () => void lan.close());
  const status = await lan.start();
  if (!status.listening || !tokens) return;
  const start = tokens.renewStartTokens();
  for (const origin of status.origins) {
    log(`lan: pair a screen to watch:   ${pairingUrl(origin, start.viewer)}`);
    log(`lan: pair a screen to control: ${pairingUrl(origin, start.operator)}`);
  }
}

interface QuitAsk {
  /** What to ask before quitting, or null when nothing would be interrupted. */
  question(): QuitQuestion | null;
  /** The window to attach the question to, when it is on screen. */
  parent(): BrowserWindow | null;
}

interface Quitting {
  /** True once the station is being shut down: windows may close for good. */
  underway(): boolean;
  /** Quitting without a person to ask: a signal, a system shutdown, the session ending. */
  unattended(): void;
}

/**
 * Every way of quitting (the menu, the tray, Cmd+Q, a signal) goes through here: ask first while
 * jobs would be cut short, then switch the outputs off and close the database, then exit.
 */
function quitAfterShutdown(core: StationCore, log: (line: string) => void, closeDatabase: () => void, ask: QuitAsk): Quitting {
  let outputsOff = false;
  let shuttingDown = false;
  let asking = false;
  let unattended = false;
  const shutDown = (): void => {
    shuttingDown = true;
    const timeout = new Promise<void>((done) => setTimeout(done, SHUTDOWN_TIMEOUT_MS));
    Promise.race([core.shutdown(), timeout])
      .catch((error: unknown) => log(`Tendril could not shut the station down cleanly: ${String(error)}`))
      .finally(() => {
        closeDatabase();
        outputsOff = true;
        app.quit();
      });
  };
  app.on('before-quit', (event) => {
    if (outputsOff) return;
    event.preventDefault();
    if (shuttingDown) return;
    // A question left open does not hold up a shutdown nobody can answer.
    if (unattended) return shutDown();
    if (asking) return;
    const question = ask.question();
    if (!question) return shutDown();
    asking = true;
    const { quitId, ...options } = question;
    const parent = ask.parent();
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options)).then(
      ({ response }) => {
        asking = false;
        if (shuttingDown) return;
        if (response !== quitId) return log('quit: cancelled; the jobs go on');
        log('quit: confirmed; stopping the jobs and switching every output off');
        shutDown();
      },
      (error: unknown) => {
        asking = false;
        log(`quit: could not ask whether to stop the jobs (${String(error)}); Tendril keeps running`);
      },
    );
  });
  // A service manager or a terminal stops us with a signal; go through the same shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      unattended = true;
      app.quit();
    });
  }
  return {
    underway: () => shuttingDown || outputsOff,
    unattended: () => {
      unattended = true;
    },
  };
}

/** The desktop section of settings.json, saying so when it had to fall back. */
function readDesktopSettings(dataDir: string, log: (line: string) => void): DesktopSettings {
  const { warning, ...settings } = loadDesktopSettings(dataDir);
  if (warning) log(`settings: ${warning}`);
  return settings;
}

/** What starts this copy of Tendril again at login. */
function launch(): Launch {
  return launchCommand({ execPath: process.execPath, appImage: process.env['APPIMAGE'], packaged: app.isPackaged, appPath: app.getAppPath(), dataDir: dataDirArg ? resolve(dataDirArg) : undefined });
}

function startsAtLogin(): boolean {
  if (process.platform === 'linux') return isAutostartOn(app.getPath('appData'));
  const { command, args } = launch();
  return app.getLoginItemSettings({ path: command, args }).openAtLogin;
}

function setStartAtLogin(on: boolean, log: (line: string) => void): void {
  const { command, args } = launch();
  try {
    // Electron keeps login items on macOS and Windows; Linux desktops read XDG autostart entries.
    if (process.platform === 'linux') setAutostart(app.getPath('appData'), on, { command, args });
    else app.setLoginItemSettings({ openAtLogin: on, path: command, args });
  } catch (error) {
    log(`settings: could not ${on ? 'add Tendril to' : 'remove Tendril from'} the programs started at login (${(error as Error).message})`);
  }
}

/**
 * The application menu, rebuilt whenever one of its checkboxes changes a setting. A setting that
 * cannot be saved is not applied, and the grower is told why.
 */
function showAppMenu(desktop: { settings: DesktopSettings }, dataDir: string, logsDir: string, log: (line: string) => void): void {
  // The setting is what the grower chose; bring the system's list of login items in line with it.
  if (startsAtLogin() !== desktop.settings.startAtLogin) setStartAtLogin(desktop.settings.startAtLogin, log);
  const change = (update: Partial<DesktopSettings>): void => {
    const saved = saveDesktopSettings(dataDir, update);
    if (saved.ok) {
      desktop.settings = saved.settings;
      if (update.startAtLogin !== undefined) setStartAtLogin(saved.settings.startAtLogin, log);
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

/** The tray acts as the station's own computer, like the window does. */
const TRAY: Principal = { id: 'desktop', role: 'operator', name: 'this computer (tray)', local: true };
/** The tray follows the station at most this often; the state changes with every reading. */
const TRAY_REFRESH_MS = 200;

interface TrayHandle {
  /** What the tray shows now. */
  view(): TrayView | null;
  /** Clicks an item of the tray's menu as built. */
  click(action: TrayAction): void;
}

function showTray(core: StationCore, control: StationControl, showWindow: () => void): TrayHandle {
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

/** How many notifications are kept alive for their click; older ones are let go. */
const KEPT_NOTIFICATIONS = 20;

/**
 * Alerts as system notifications, from main: the window may be hidden in the tray when they
 * matter most. (The page cannot notify: the permission handler refuses it every permission.)
 * Returns the notices decided on lately.
 */
function notifyAlerts(core: StationCore, showWindow: () => void): () => AlertNotice[] {
  const notices = new AlertNotices();
  const recent: AlertNotice[] = [];
  // A notification that is garbage collected forgets its click handler; keep the recent ones.
  const kept: Notification[] = [];
  const notify = (alert: Alert): void => {
    const notice = notices.take(alert, Date.now());
    if (!notice) return;
    recent.push(notice);
    if (recent.length > KEPT_NOTIFICATIONS) recent.shift();
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: notice.title, body: notice.body, icon: appIcon });
    note.on('click', showWindow);
    kept.push(note);
    if (kept.length > KEPT_NOTIFICATIONS) kept.shift();
    note.show();
  };
  // The live state starts empty at each start, so what it holds now was raised since: a job
  // found interrupted by the last stop, above all, which matters most after a power cut.
  for (const alert of core.state().alerts) notify(alert);
  core.onEvent((event) => {
    if (event.type === 'alert') notify(event.alert);
  });
  return () => [...recent];
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

/**
 * For the end-to-end suite only (TENDRIL_TEST_HOOKS=1): Playwright's `electronApp.evaluate` runs
 * code in this process, and this is how that code finds the station and the tray, which live in
 * closures. It grants nothing new: evaluate works through the Node inspector, which can already
 * do anything here, and packaged builds have the inspector fuse off. It stays opt-in so that the
 * app's global scope holds nothing a grower's copy does not need.
 */
function exposeTestHooks(hooks: TestHooks): void {
  Object.assign(globalThis, { [TEST_HOOKS]: hooks });
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
