import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import type { CommandAck } from '../../src/shared/commands';
import type { StationState } from '../../src/shared/station';
import type { AlertNotice } from '../../src/main/desktop/alert-notices';
import type { TestHooks } from '../../src/main/desktop/test-hooks';
import type { TrayAction, TrayView } from '../../src/main/desktop/tray-status';
import { startSimProcess, type SimProcess } from '../../src/test-support/main/sim-process';
import { findElectronBinary } from './electron-binary';

export const ROOT = join(__dirname, '../..');
export const binary = findElectronBinary(ROOT);

/** The LAN server's port in these tests: fixed, so a browser can be pointed at it. */
export const LAN_PORT = 47545;
export const VIEWER_TOKEN = 'e2e-desktop-viewer-0123456789abcdef';
export const OPERATOR_TOKEN = 'e2e-desktop-operator-0123456789abcdef';

export interface DesktopRun {
  app: ElectronApplication;
  /** The station window. */
  window: Page;
  dataDir: string;
  /** Where the app looks for XDG autostart entries on Linux; inside dataDir. */
  configDir: string;
  sim: SimProcess;
  lanUrl: string;
}

/**
 * A fresh data folder whose settings.json points the app at the simulator's pty, as a grower's
 * would point it at /dev/ttyACM0, with the LAN server on a fixed port of loopback only.
 */
export function dataFolder(sim: SimProcess): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-electron-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ station: { serialPath: sim.serialPath }, lan: { host: '127.0.0.1', port: LAN_PORT } }, null, 2));
  mkdirSync(join(dataDir, 'config'));
  return dataDir;
}

/** The environment the app runs in: the test hooks on, fixed LAN tokens, autostart kept inside dataDir. */
function appEnv(dataDir: string): Record<string, string> {
  // A leftover ELECTRON_RUN_AS_NODE would start Electron as plain Node, without a window.
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE'));
  return {
    ...env,
    TENDRIL_TEST_HOOKS: '1',
    TENDRIL_VIEWER_TOKEN: VIEWER_TOKEN,
    TENDRIL_OPERATOR_TOKEN: OPERATOR_TOKEN,
    // Electron's appData on Linux: "Start at login" writes its autostart entry below it.
    XDG_CONFIG_HOME: join(dataDir, 'config'),
  };
}

/** Chromium refuses to run its sandbox as root (CI containers); the page sandbox stays on. */
function appArgs(dataDir: string): string[] {
  return [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT, `--data=${dataDir}`];
}

/** Starts the built app (out/main/index.js) on `dataDir` and waits for its window. */
export async function launchDesktop(sim: SimProcess, dataDir: string): Promise<DesktopRun> {
  const app = await electron.launch({ executablePath: binary.path!, args: appArgs(dataDir), env: appEnv(dataDir) });
  const window = await app.firstWindow();
  return { app, window, dataDir, configDir: join(dataDir, 'config'), sim, lanUrl: `http://127.0.0.1:${LAN_PORT}` };
}

/** The simulator on its pty, a data folder for it, and the app on both. */
export async function startDesktop(): Promise<DesktopRun> {
  const sim = await startSimProcess();
  const dataDir = dataFolder(sim);
  try {
    return await launchDesktop(sim, dataDir);
  } catch (error) {
    await sim.kill();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Quits the app if it still runs (no jobs may be running), then stops the simulator. */
export async function stopDesktop(run: DesktopRun): Promise<void> {
  try {
    if (isRunning(run.app)) await run.app.close();
  } finally {
    await run.sim.kill();
    rmSync(run.dataDir, { recursive: true, force: true });
  }
}

export function isRunning(app: ElectronApplication): boolean {
  const child = app.process();
  return child.exitCode === null && child.signalCode === null;
}

/** Resolves with the exit code once the app's process has ended. */
export function exited(app: ElectronApplication): Promise<number | null> {
  const child = app.process();
  if (!isRunning(app)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts a second copy on the same data folder, as a grower double-clicking the icon again would,
 * and resolves with its exit code.
 */
export function launchSecondCopy(run: DesktopRun): Promise<number | null> {
  const second = spawn(binary.path!, appArgs(run.dataDir), { env: appEnv(run.dataDir), stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    second.once('error', reject);
    second.once('exit', (code) => resolve(code));
  });
}

// The test hooks (src/main/desktop/test-hooks.ts). Each call is spelled out: evaluate sends the
// function's source to main, so it cannot reach helpers defined here.
type WithHooks = { tendrilTestHooks: TestHooks };

/** Main's station state. */
export function mainState(app: ElectronApplication): Promise<StationState> {
  return app.evaluate(() => (globalThis as unknown as WithHooks).tendrilTestHooks.state());
}

export function trayView(app: ElectronApplication): Promise<TrayView | null> {
  return app.evaluate(() => (globalThis as unknown as WithHooks).tendrilTestHooks.trayView());
}

/** Clicks an item of the tray's menu. */
export function trayClick(app: ElectronApplication, action: TrayAction): Promise<void> {
  return app.evaluate((_electron, action) => (globalThis as unknown as WithHooks).tendrilTestHooks.trayClick(action), action);
}

/** The notifications main decided to show. */
export function notices(app: ElectronApplication): Promise<AlertNotice[]> {
  return app.evaluate(() => (globalThis as unknown as WithHooks).tendrilTestHooks.notices());
}

export function logFile(app: ElectronApplication): Promise<string> {
  return app.evaluate(() => (globalThis as unknown as WithHooks).tendrilTestHooks.logFile);
}

/** A command through the window's own bridge, as the UI sends them. */
export function command(window: Page, input: Record<string, unknown>): Promise<CommandAck> {
  return window.evaluate((command) => (globalThis as unknown as { tendril: { command(input: unknown): Promise<CommandAck> } }).tendril.command(command), input);
}

/** Whether the station window is on screen. */
export function windowVisible(app: ElectronApplication): Promise<boolean> {
  return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().some((window) => window.isVisible()));
}
