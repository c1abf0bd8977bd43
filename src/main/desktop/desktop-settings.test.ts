import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP, loadDesktopSettings, saveDesktopSettings } from './desktop-settings';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folderWith(text: string | undefined): string {
  const folder = mkdtempSync(join(tmpdir(), 'tendril-desktop-'));
  folders.push(folder);
  if (text !== undefined) writeFileSync(join(folder, 'settings.json'), text);
  return folder;
}

const read = (folder: string): unknown => JSON.parse(readFileSync(join(folder, 'settings.json'), 'utf8'));

describe('reading the desktop settings', () => {
  it('keeps running in the tray and does not start at login unless told otherwise', () => {
    expect(DEFAULT_DESKTOP).toEqual({ closeToTray: true, startAtLogin: false });
    expect(loadDesktopSettings(folderWith(undefined))).toEqual(DEFAULT_DESKTOP);
    expect(loadDesktopSettings(folderWith('{"station":{"serialPath":"auto"}}'))).toEqual(DEFAULT_DESKTOP);
    // The station settings say what is wrong with a broken file; this one only falls back.
    expect(loadDesktopSettings(folderWith('{ "desktop": '))).toEqual(DEFAULT_DESKTOP);
  });

  it('takes the grower’s choices', () => {
    expect(loadDesktopSettings(folderWith('{"desktop":{"closeToTray":false}}'))).toEqual({ closeToTray: false, startAtLogin: false });
    expect(loadDesktopSettings(folderWith('{"desktop":{"startAtLogin":true}}'))).toEqual({ closeToTray: true, startAtLogin: true });
  });

  it('falls back to the defaults and says why when the section is wrong', () => {
    expect(loadDesktopSettings(folderWith('{"desktop":{"closeToTray":"yes"}}'))).toEqual({
      ...DEFAULT_DESKTOP,
      warning: expect.stringMatching(/settings\.json: desktop\.closeToTray must be true or false; the desktop app uses its defaults/),
    });
    expect(loadDesktopSettings(folderWith('{"desktop":{"closeToTry":false}}')).warning).toMatch(/desktop has an unknown field "closeToTry"; remove it/);
    expect(loadDesktopSettings(folderWith('{"desktop":true}')).warning).toMatch(/settings\.json: .+; the desktop app uses its defaults/);
  });
});

describe('saving the desktop settings', () => {
  it('creates the file when there is none', () => {
    const folder = folderWith(undefined);
    expect(saveDesktopSettings(folder, { startAtLogin: true })).toEqual({ ok: true, settings: { closeToTray: true, startAtLogin: true } });
    expect(read(folder)).toEqual({ desktop: { closeToTray: true, startAtLogin: true } });
  });

  it('changes only its own section and keeps the rest of the file', () => {
    const folder = folderWith(JSON.stringify({ station: { serialPath: '/dev/ttyACM0', baud: 115200 }, lan: { port: 8080 }, desktop: { startAtLogin: true }, tanks: [] }));
    expect(saveDesktopSettings(folder, { closeToTray: false })).toMatchObject({ ok: true });
    expect(read(folder)).toEqual({ station: { serialPath: '/dev/ttyACM0', baud: 115200 }, lan: { port: 8080 }, desktop: { closeToTray: false, startAtLogin: true }, tanks: [] });
    expect(loadDesktopSettings(folder)).toEqual({ closeToTray: false, startAtLogin: true });
    // Replaced in one step: no temporary file is left beside it.
    expect(readdirSync(folder)).toEqual(['settings.json']);
  });

  it('writes valid values over a section that did not validate, keeping what it does not know', () => {
    const folder = folderWith('{"desktop":{"closeToTray":"yes","note":"by the door"},"lan":{"enabled":false}}');
    expect(saveDesktopSettings(folder, { closeToTray: false })).toEqual({ ok: true, settings: { closeToTray: false, startAtLogin: false } });
    expect(read(folder)).toEqual({ desktop: { closeToTray: false, note: 'by the door', startAtLogin: false }, lan: { enabled: false } });
  });

  it('never overwrites a file that is not valid JSON, or not an object', () => {
    for (const text of ['{ "lan": { "port": 8080 }, ', '[1, 2]', 'null']) {
      const folder = folderWith(text);
      const result = saveDesktopSettings(folder, { closeToTray: false });
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/settings\.json (is not valid JSON|must hold a JSON object).+Nothing was changed/) });
      expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(text);
    }
  });
});
