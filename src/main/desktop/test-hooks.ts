/**
 * What the desktop app shows Playwright's `electronApp.evaluate` when started with
 * TENDRIL_TEST_HOOKS=1 (see exposeTestHooks in src/main/electron/test-hooks.ts): the station and
 * the tray live in closures, where code evaluated in the main process could not otherwise find them.
 */
import type { StationState } from '../../shared/station';
import type { AlertNotice } from './alert-notices';
import type { DesktopSettings } from './desktop-settings';
import type { TrayAction, TrayView } from './tray-status';

export interface TestHooks {
  /** Main's state of the station, the one every screen follows. */
  state(): StationState;
  /** What the tray shows now. */
  trayView(): TrayView | null;
  /** Clicks an item of the tray's menu, as built. */
  trayClick(action: TrayAction): void;
  desktop(): DesktopSettings;
  /** The notifications main decided to show, oldest first (the last few). */
  notices(): AlertNotice[];
  logFile: string;
}

/** The global the hooks are put on. */
export const TEST_HOOKS = 'tendrilTestHooks';
