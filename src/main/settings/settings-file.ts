/**
 * Writing to settings.json from the app. The grower may also edit the file by hand, so a change
 * touches only its own section, keeps every other key as written, and replaces the file in one
 * step (a crash mid-write leaves the old file, never half of a new one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceJsonFile } from '../files/json-file';

export const SETTINGS_FILE = 'settings.json';

export class SettingsFileError extends Error {}

export type Settings = Record<string, unknown>;

/**
 * Reads settings.json, lets `change` edit the parsed object, and writes it back. A file that is
 * not a JSON object is left alone: overwriting it would lose whatever the grower wrote there.
 */
export function updateSettingsFile(dataDir: string, change: (settings: Settings) => void): void {
  const file = join(dataDir, SETTINGS_FILE);
  let settings: Settings = {};
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SettingsFileError(`${file} cannot be read (${(err as Error).message}); nothing was changed`);
    }
  }
  if (text !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new SettingsFileError(`${file} is not valid JSON (${(err as Error).message}); fix it or move it aside, then try again. Nothing was changed`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new SettingsFileError(`${file} must hold a JSON object such as {"station": {…}}; fix it or move it aside, then try again. Nothing was changed`);
    }
    settings = parsed as Settings;
  }
  change(settings);
  try {
    replaceJsonFile(file, settings);
  } catch (err) {
    throw new SettingsFileError(`${file} could not be written (${(err as Error).message}); nothing was changed`);
  }
}

/** A copy of the object at `key`, or an empty one when there is none. */
export function sectionOf(settings: Settings, key: string): Settings {
  const current = settings[key];
  return current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Settings) } : {};
}

/** Merges `values` into the object at `key`, creating it when missing. */
export function updateSettingsSection(dataDir: string, key: string, values: Settings): void {
  updateSettingsFile(dataDir, (settings) => {
    settings[key] = { ...sectionOf(settings, key), ...values };
  });
}

