/**
 * How the desktop app behaves around its window, from `desktop` in settings.json:
 *
 *   "desktop": { "closeToTray": true, "startAtLogin": false }
 *
 * Closing the window keeps the station running in the tray unless the grower says otherwise:
 * schedules and light timers must go on when nobody is looking. The menu's checkboxes write this
 * section back, leaving the rest of the file as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import { SettingsFileError, updateSettingsSection } from '../station';

export interface DesktopSettings {
  closeToTray: boolean;
  startAtLogin: boolean;
}

export const DEFAULT_DESKTOP: DesktopSettings = { closeToTray: true, startAtLogin: false };

const DESKTOP_SCHEMA = z.strictObject({
  closeToTray: z.boolean({ error: 'closeToTray must be true or false' }).optional(),
  startAtLogin: z.boolean({ error: 'startAtLogin must be true or false' }).optional(),
});

export function loadDesktopSettings(dataDir: string): DesktopSettings & { warning?: string } {
  const file = join(dataDir, 'settings.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No file yet, or one the station settings already complain about.
    return { ...DEFAULT_DESKTOP };
  }
  return readSection(file, isRecord(raw) ? raw['desktop'] : undefined);
}

function readSection(file: string, section: unknown): DesktopSettings & { warning?: string } {
  if (section === undefined) return { ...DEFAULT_DESKTOP };
  const parsed = DESKTOP_SCHEMA.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const what =
      issue?.code === 'unrecognized_keys'
        ? `desktop has an ${describeIssue(issue)}`
        : issue && issue.path.length > 0
          ? `desktop.${describeIssue(issue)}`
          : 'desktop must be an object such as { "closeToTray": true }';
    return { ...DEFAULT_DESKTOP, warning: `${file}: ${what}; the desktop app uses its defaults (keep running in the tray, do not start at login) until it is fixed` };
  }
  return { ...DEFAULT_DESKTOP, ...parsed.data };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
