/**
 * How the desktop app behaves around its window, from `desktop` in settings.json (read in
 * settings/desktop.ts):
 *
 *   "desktop": { "closeToTray": true, "startAtLogin": false }
 *
 * Closing the window keeps the station running in the tray unless the grower says otherwise:
 * schedules and light timers must go on when nobody is looking. The menu's checkboxes write this
 * section back, leaving the rest of the file as it was.
 */
import { loadSettings, SettingsFileError, updateSettingsSection, warningOf, type DesktopSettings } from '../settings';

export { DEFAULT_DESKTOP, type DesktopSettings } from '../settings';

export function loadDesktopSettings(dataDir: string): DesktopSettings & { warning?: string } {
  const settings = loadSettings(dataDir);
  const warning = warningOf(settings, 'desktop');
  return warning ? { ...settings.desktop, warning } : { ...settings.desktop };
}

export type SaveResult = { ok: true; settings: DesktopSettings } | { ok: false; reason: string };

/**
 * Writes `change` into the `desktop` section, through the same writer as the other sections: a
 * settings.json that is not a JSON object is the grower's half-finished edit, and is never
 * overwritten; the reason then says what to fix.
 */
export function saveDesktopSettings(dataDir: string, change: Partial<DesktopSettings>): SaveResult {
  const { warning: _ignored, ...current } = loadDesktopSettings(dataDir);
  const settings: DesktopSettings = { ...current, ...change };
  try {
    updateSettingsSection(dataDir, 'desktop', { ...settings });
  } catch (err) {
    if (err instanceof SettingsFileError) return { ok: false, reason: err.message };
    throw err;
  }
  return { ok: true, settings };
}
