/**
 * The desktop app as a grower meets it: the built app (out/main/index.js) in Electron, on the
 * simulated controller over a real serial pty, with the LAN server on a fixed port. What only
 * Electron can show is tested here: the window, the tray, closing to the tray, the quit question,
 * one instance, the window's place, the menu, notifications. The pure logic behind each is tested
 * in src/main/desktop/*.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import {
  binary,
  command,
  exited,
  isRunning,
  launchDesktop,
  launchSecondCopy,
  logFile,
  mainState,
  notices,
  OPERATOR_TOKEN,
  startDesktop,
  stopDesktop,
  trayClick,
  trayView,
  VIEWER_TOKEN,
  windowVisible,
  type DesktopRun,
} from './desktop-app';

// Skipped, never silently passed: the reason shows up in every report.
test.skip(binary.path === null, `Electron binary not available (${binary.reason})`);

const NUMBER = /^-?\d+\.\d{1,2}$/;
const SENSOR_KINDS = ['ec', 'ph', 'temp', 'level'];
const MIX = { kind: 'mix', relayId: 'mixer', seconds: 600 };

const linkStatus = (page: Page) => page.getByRole('status', { name: 'Controller link' });
const relaySwitch = (page: Page, name: string) => page.getByRole('region', { name: 'Relays' }).getByRole('switch', { name, exact: true });
const settingsFile = (run: DesktopRun): Record<string, Record<string, unknown>> => JSON.parse(readFileSync(join(run.dataDir, 'settings.json'), 'utf8'));
const closeWindow = (app: ElectronApplication) => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());

/** Starts the app and waits until the window shows the controller ready. */
async function ready(): Promise<DesktopRun> {
  const run = await startDesktop();
  await expect(linkStatus(run.window)).toContainText('ready');
  return run;
}

test('the first window shows live readings from the controller on its serial port', async () => {
  const run = await ready();
  try {
    const { window } = run;
    await expect(window).toHaveTitle('Tendril');
    await expect(window.getByLabel('Controller', { exact: true })).toContainText('SIM-0001');

    const sensors = (await mainState(run.app)).channels.filter((channel) => SENSOR_KINDS.includes(channel.kind));
    expect(sensors.map((channel) => channel.kind).sort()).toEqual([...SENSOR_KINDS].sort());
    const values = sensors.map((channel) => window.getByRole('group', { name: channel.name, exact: true }).locator('data'));
    for (const value of values) await expect(value).toHaveText(NUMBER);
    const readAll = async (): Promise<string> => (await Promise.all(values.map((value) => value.textContent()))).join(' | ');
    const first = await readAll();
    await expect.poll(readAll, { message: 'a sensor reading should change', timeout: 20_000 }).not.toBe(first);

    // The page sees the bridge and nothing of Node, and may not show notifications of its own.
    const page = await window.evaluate(() => {
      const scope = globalThis as { tendril?: { snapshot?: unknown }; require?: unknown; process?: unknown; Notification?: { permission: string } };
      return { bridge: typeof scope.tendril?.snapshot, require: typeof scope.require, process: typeof scope.process, notifications: scope.Notification?.permission };
    });
    expect(page).toMatchObject({ bridge: 'function', require: 'undefined', process: 'undefined' });
    expect(page.notifications).not.toBe('granted');
  } finally {
    await stopDesktop(run);
  }
});

test('a relay switched in the window switches on the simulated controller', async () => {
  const run = await ready();
  try {
    const air = relaySwitch(run.window, 'Air pump');
    await expect(air).toHaveAttribute('aria-checked', 'false');
    await air.click();
    await expect(air).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await run.sim.snapshot()).relays['air'], { message: 'the simulator switches the air pump on' }).toBe(true);
    await air.click();
    await expect(air).toHaveAttribute('aria-checked', 'false');
    await expect.poll(async () => (await run.sim.snapshot()).relays['air']).toBe(false);
  } finally {
    await stopDesktop(run);
  }
});

test('main holds the state the window shows', async () => {
  const run = await ready();
  try {
    await relaySwitch(run.window, 'Lights').click();
    await expect.poll(async () => (await mainState(run.app)).relays['lights']?.on).toBe(true);
    const state = await mainState(run.app);
    expect(state.link.status).toBe('ready');
    await expect(run.window.getByLabel('Controller', { exact: true })).toContainText(state.device!.serial);
    const relays = state.channels.filter((channel) => channel.kind === 'relay');
    expect(relays.length).toBeGreaterThan(0);
    for (const relay of relays) {
      await expect(relaySwitch(run.window, relay.name), relay.name).toHaveAttribute('aria-checked', String(state.relays[relay.id]?.on ?? false));
    }
    await relaySwitch(run.window, 'Lights').click();
    await expect.poll(async () => (await run.sim.snapshot()).relays['lights']).toBe(false);
  } finally {
    await stopDesktop(run);
  }
});

test('closing the window keeps the station running in the tray, and the tray opens it again', async ({ request }) => {
  const run = await ready();
  try {
    await closeWindow(run.app);
    await expect.poll(() => windowVisible(run.app)).toBe(false);
    expect(isRunning(run.app)).toBe(true);

    // The station still answers, and still obeys another screen.
    const health = await request.get(`${run.lanUrl}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, link: 'ready' });
    const operator = io(run.lanUrl, { auth: { token: OPERATOR_TOKEN, name: 'e2e operator' }, transports: ['websocket'] });
    try {
      expect(await operator.timeout(10_000).emitWithAck('command', { id: 'e2e-air-on', type: 'relay.set', relayId: 'air', on: true })).toMatchObject({ ok: true });
      await expect.poll(async () => (await run.sim.snapshot()).relays['air']).toBe(true);
      expect(await operator.timeout(10_000).emitWithAck('command', { id: 'e2e-air-off', type: 'relay.set', relayId: 'air', on: false })).toMatchObject({ ok: true });
    } finally {
      operator.disconnect();
    }
    expect((await trayView(run.app))?.tooltip).toBe('Tendril: controller ready, no jobs');

    await trayClick(run.app, 'open');
    await expect.poll(() => windowVisible(run.app)).toBe(true);
    await expect(linkStatus(run.window)).toContainText('ready');
  } finally {
    await stopDesktop(run);
  }
});

test('the tray shows the link and the jobs, and its emergency stop stops the station', async () => {
  const run = await ready();
  try {
    expect(await command(run.window, { id: 'e2e-mix', type: 'job.start', job: MIX })).toMatchObject({ ok: true });
    await expect.poll(async () => (await trayView(run.app))?.tooltip).toBe('Tendril: controller ready, 1 job running');
    const lines = (await trayView(run.app))!.menu.map((entry) => ('label' in entry ? entry.label : '---'));
    expect(lines).toEqual(['Controller: ready', 'Running: run Mixer for 10 min', '---', 'Emergency stop', 'Open Tendril', '---', 'Quit']);
    await expect.poll(async () => (await run.sim.snapshot()).relays['mixer']).toBe(true);

    await trayClick(run.app, 'estop');
    await expect.poll(async () => (await run.sim.snapshot()).estopLatched).toBe(true);
    expect((await run.sim.snapshot()).relays['mixer']).toBe(false);
    await expect.poll(async () => (await trayView(run.app))?.tooltip).toBe('Tendril: EMERGENCY STOP latched, controller ready, no jobs');
    await expect(run.window.getByRole('region', { name: 'Emergency stop latched' })).toBeVisible();
  } finally {
    await stopDesktop(run);
  }
});

test('an alert becomes one desktop notification, from main, and a toast in the window', async () => {
  const run = await ready();
  try {
    expect(await command(run.window, { id: 'e2e-mix', type: 'job.start', job: MIX })).toMatchObject({ ok: true });
    await expect.poll(async () => (await mainState(run.app)).jobs.some((job) => job.state === 'running')).toBe(true);
    // Pull the cable mid-job: the job fails, and the grower must hear of it.
    await run.sim.control('unplug');
    await expect.poll(() => notices(run.app)).toEqual([{ title: 'Tendril error: LINK_LOST', body: expect.stringMatching(/the link to the controller was lost/) }]);
    await expect(run.window.getByRole('status', { name: 'New alerts' })).toContainText('LINK_LOST');
    // The window showed it too by now; it did not make a second notification.
    expect(await notices(run.app)).toHaveLength(1);
    await run.sim.control('replug');
    await expect(linkStatus(run.window)).toContainText('ready', { timeout: 30_000 });
  } finally {
    await stopDesktop(run);
  }
});

test('quitting while a job runs asks first, naming the job; the station stops only on a yes', async () => {
  const run = await ready();
  try {
    expect(await command(run.window, { id: 'e2e-mix', type: 'job.start', job: MIX })).toMatchObject({ ok: true });
    await expect.poll(async () => (await run.sim.snapshot()).relays['mixer']).toBe(true);

    // Answer the question from the test: "Keep running" first.
    await run.app.evaluate(({ dialog }) => {
      const asked: Electron.MessageBoxOptions[] = [];
      Object.assign(globalThis, { quitQuestions: asked, quitAnswer: 0 });
      dialog.showMessageBox = (async (...args: unknown[]) => {
        asked.push(args.at(-1) as Electron.MessageBoxOptions);
        return { response: (globalThis as unknown as { quitAnswer: number }).quitAnswer, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    });
    const questions = () => run.app.evaluate(() => (globalThis as unknown as { quitQuestions: Electron.MessageBoxOptions[] }).quitQuestions);

    await trayClick(run.app, 'quit');
    await expect.poll(async () => (await questions()).length).toBe(1);
    const [question] = await questions();
    expect(question).toMatchObject({ message: 'Quit Tendril and stop a job?', buttons: ['Keep running', 'Stop the job and quit'], defaultId: 0, cancelId: 0 });
    expect(question!.detail).toContain('Running: run Mixer for 10 min');
    expect(isRunning(run.app)).toBe(true);
    expect((await run.sim.snapshot()).relays['mixer']).toBe(true);

    await run.app.evaluate(() => Object.assign(globalThis, { quitAnswer: 1 }));
    const exit = exited(run.app);
    // The app may be gone before evaluate hears back.
    await trayClick(run.app, 'quit').catch(() => {});
    expect(await exit).toBe(0);
    // Quitting switched the outputs off, as it always does.
    await expect.poll(async () => (await run.sim.snapshot()).relays['mixer']).toBe(false);
  } finally {
    await stopDesktop(run);
  }
});

test('a second launch brings the running window back instead of starting again', async () => {
  const run = await ready();
  try {
    await closeWindow(run.app);
    await expect.poll(() => windowVisible(run.app)).toBe(false);
    expect(await launchSecondCopy(run)).toBe(0);
    await expect.poll(() => windowVisible(run.app)).toBe(true);
    expect(isRunning(run.app)).toBe(true);
  } finally {
    await stopDesktop(run);
  }
});

test('the window opens where it was left, and on a display that exists', async () => {
  test.setTimeout(120_000);
  const run = await ready();
  const windowBounds = (app: ElectronApplication) => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
  try {
    // A place that fits whatever screen the test runs on, and is not the default one.
    const place = await run.app.evaluate(({ BrowserWindow, screen }) => {
      const area = screen.getPrimaryDisplay().workArea;
      const width = Math.min(800, area.width - 40);
      const height = Math.max(480, Math.min(600, area.height - 30));
      const bounds = { x: area.x + Math.min(40, area.width - width), y: area.y + Math.max(0, Math.min(30, area.height - height)), width, height };
      BrowserWindow.getAllWindows()[0]!.setBounds(bounds);
      return bounds;
    });
    await expect.poll(async () => (await windowBounds(run.app)).width).toBe(place.width);
    await run.app.close();
    const saved = JSON.parse(readFileSync(join(run.dataDir, 'window-state.json'), 'utf8'));
    expect(saved).toMatchObject({ bounds: { width: place.width, height: place.height }, maximized: false });

    let again = await launchDesktop(run.sim, run.dataDir);
    try {
      // A window manager may nudge the position; the size is the app's own.
      expect(await windowBounds(again.app)).toMatchObject({ width: place.width, height: place.height });
    } finally {
      await again.app.close();
    }

    // A monitor that was unplugged since: the window comes back to the primary display.
    writeFileSync(join(run.dataDir, 'window-state.json'), JSON.stringify({ bounds: { x: 20_000, y: 20_000, width: 800, height: 600 }, maximized: false }));
    again = await launchDesktop(run.sim, run.dataDir);
    try {
      const [bounds, area] = await again.app.evaluate(({ BrowserWindow, screen }) => [BrowserWindow.getAllWindows()[0]!.getBounds(), screen.getPrimaryDisplay().workArea]);
      expect(bounds!.x).toBeGreaterThanOrEqual(area!.x);
      expect(bounds!.y).toBeGreaterThanOrEqual(area!.y);
      expect(bounds!.x + bounds!.width).toBeLessThanOrEqual(area!.x + area!.width);
      expect(bounds!.y + bounds!.height).toBeLessThanOrEqual(area!.y + area!.height);
    } finally {
      await again.app.close();
    }
  } finally {
    await stopDesktop(run);
  }
});

test('the menu opens the logs, and its checkboxes save start at login and keep running in the tray', async () => {
  const run = await ready();
  const items = () =>
    run.app.evaluate(({ Menu }) =>
      ['start-at-login', 'close-to-tray', 'open-logs'].map((id) => {
        const item = Menu.getApplicationMenu()?.getMenuItemById(id);
        return item ? { label: item.label, type: item.type, checked: item.checked } : null;
      }),
    );
  const click = (id: string) => run.app.evaluate(({ Menu }, id) => Menu.getApplicationMenu()!.getMenuItemById(id)!.click(), id);
  try {
    expect(await items()).toEqual([
      { label: 'Start at login', type: 'checkbox', checked: false },
      { label: 'Keep running in the tray when the window is closed', type: 'checkbox', checked: true },
      { label: 'Open logs folder', type: 'normal', checked: false },
    ]);

    // Open logs folder: the folder the station's log is written to.
    await relaySwitch(run.window, 'Air pump').click();
    await expect.poll(async () => (await run.sim.snapshot()).relays['air']).toBe(true);
    await run.app.evaluate(({ shell }) => {
      const opened: string[] = [];
      Object.assign(globalThis, { openedPaths: opened });
      // Record instead of opening a file manager on the test machine.
      const record = async (path: string): Promise<string> => (opened.push(path), '');
      shell.openPath = record;
      if (shell.openPath !== record) throw new Error('shell.openPath could not be replaced');
    });
    await click('open-logs');
    const opened = await run.app.evaluate(() => (globalThis as unknown as { openedPaths: string[] }).openedPaths);
    const log = await logFile(run.app);
    expect(opened).toEqual([join(run.dataDir, 'logs')]);
    expect(log).toBe(join(run.dataDir, 'logs', 'main.log'));
    expect(readFileSync(log, 'utf8')).toContain('command: this computer (operator) relay.set air on: done');
    await relaySwitch(run.window, 'Air pump').click();

    // Start at login: an XDG autostart entry on Linux, a login item elsewhere.
    const autostart = join(run.configDir, 'autostart', 'tendril.desktop');
    if (process.platform !== 'linux') {
      await run.app.evaluate(({ app }) => {
        const calls: Electron.Settings[] = [];
        Object.assign(globalThis, { loginItemCalls: calls });
        app.setLoginItemSettings = (settings) => void calls.push(settings);
      });
    }
    const loginItems = () => run.app.evaluate(() => ((globalThis as unknown as { loginItemCalls?: Electron.Settings[] }).loginItemCalls ?? []).map((call) => call.openAtLogin));
    await click('start-at-login');
    expect(settingsFile(run)['desktop']).toEqual({ closeToTray: true, startAtLogin: true });
    expect((await items())[0]).toMatchObject({ checked: true });
    if (process.platform === 'linux') expect(readFileSync(autostart, 'utf8')).toContain(`--data=${run.dataDir}`);
    else expect(await loginItems()).toEqual([true]);
    await click('start-at-login');
    expect(settingsFile(run)['desktop']).toEqual({ closeToTray: true, startAtLogin: false });
    if (process.platform === 'linux') expect(existsSync(autostart)).toBe(false);
    else expect(await loginItems()).toEqual([true, false]);
    // The other sections of the file are as they were.
    expect(settingsFile(run)['lan']).toEqual({ host: '127.0.0.1', port: 47545 });

    // Keep running in the tray, off: closing the window now quits (no job is running to ask about).
    await click('close-to-tray');
    expect(settingsFile(run)['desktop']).toEqual({ closeToTray: false, startAtLogin: false });
    expect((await items())[1]).toMatchObject({ checked: false });
    const exit = exited(run.app);
    await closeWindow(run.app).catch(() => {});
    expect(await exit).toBe(0);
  } finally {
    await stopDesktop(run);
  }
});

test('a browser on the LAN sees the same station as the desktop window', async () => {
  const run = await ready();
  // Debian's Chromium, as in the web suite; never a downloaded one.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${run.lanUrl}/?token=${VIEWER_TOKEN}`);
    await expect(linkStatus(page)).toContainText('ready');
    await expect(page.getByText('View only', { exact: true })).toBeVisible();
    await expect(page.getByLabel('Controller', { exact: true })).toContainText('SIM-0001');

    await relaySwitch(run.window, 'Lights').click();
    await expect(relaySwitch(page, 'Lights')).toHaveAttribute('aria-checked', 'true');
    const state = await mainState(run.app);
    for (const relay of state.channels.filter((channel) => channel.kind === 'relay')) {
      const on = String(state.relays[relay.id]?.on ?? false);
      await expect(relaySwitch(run.window, relay.name), relay.name).toHaveAttribute('aria-checked', on);
      await expect(relaySwitch(page, relay.name), relay.name).toHaveAttribute('aria-checked', on);
    }
    await relaySwitch(run.window, 'Lights').click();
    await expect(relaySwitch(page, 'Lights')).toHaveAttribute('aria-checked', 'false');
  } finally {
    await browser.close();
    await stopDesktop(run);
  }
});
