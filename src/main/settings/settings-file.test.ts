import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveStationSource } from '../station/settings-file';
import { loadSettings } from './load';
import { updateSettingsFile, updateSettingsSection } from './settings-file';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-settings-'));
  folders.push(dir);
  if (text !== undefined) writeFileSync(join(dir, 'settings.json'), text);
  return dir;
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));

describe('settings.json written by the app', () => {
  it('creates the file on a fresh install', () => {
    const dir = folder();
    updateSettingsSection(dir, 'lan', { enabled: false, port: 4600 });
    expect(read(dir)).toEqual({ lan: { enabled: false, port: 4600 } });
  });

  it('is 0600 after every save, even when the grower had left it readable by all', () => {
    const dir = folder('{"units": "metric"}');
    chmodSync(join(dir, 'settings.json'), 0o644);
    updateSettingsSection(dir, 'lan', { enabled: true, port: 4545 });
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(read(dir)).toEqual({ units: 'metric', lan: { enabled: true, port: 4545 } });
  });

  it("changes only its own section and keeps the grower's other keys", () => {
    const dir = folder(JSON.stringify({ tanks: [{ id: 'a' }], lan: { host: '0.0.0.0', port: 4545 }, safety: { dose: { maxMlPerDose: 20 } } }));
    updateSettingsSection(dir, 'lan', { port: 4600 });
    expect(read(dir)).toEqual({ tanks: [{ id: 'a' }], lan: { host: '0.0.0.0', port: 4600 }, safety: { dose: { maxMlPerDose: 20 } } });
  });

  it('saves each controller choice the way the loader reads it', () => {
    const dir = folder(JSON.stringify({ station: { serialPath: '/dev/ttyUSB0', baud: 115200 } }));
    saveStationSource(dir, { kind: 'auto', baud: 57600 });
    expect(read(dir).station).toEqual({ serialPath: 'auto', baud: 57600 });
    saveStationSource(dir, { kind: 'simulated' });
    expect(read(dir).station).toEqual({ baud: 57600 });
    saveStationSource(dir, { kind: 'serial', path: 'COM3', baud: 9600 });
    expect(read(dir).station).toEqual({ serialPath: 'COM3', baud: 9600 });
  });

  it('refuses to overwrite a file that is not a JSON object, and leaves it as it was', () => {
    for (const text of ['{ "lan": ', '[1, 2]']) {
      const dir = folder(text);
      expect(() => updateSettingsSection(dir, 'lan', { port: 4600 })).toThrow(/fix it or move it aside, then try again\. Nothing was changed/);
      expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(text);
    }
  });

  it('replaces the file in one step, two-space indented, leaving no temporary file beside it', () => {
    const dir = folder('{"desktop":{"closeToTray":true}}');
    updateSettingsSection(dir, 'desktop', { startAtLogin: true });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{\n  "desktop": {\n    "closeToTray": true,\n    "startAtLogin": true\n  }\n}\n');
  });

  it('keeps keys it does not know, inside and outside its section, as the grower wrote them', () => {
    const dir = folder(JSON.stringify({ station: { serialPath: 'auto', note: 'USB hub port 2' }, futureSection: { a: 1 } }));
    saveStationSource(dir, { kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
    expect(read(dir)).toEqual({ station: { serialPath: '/dev/ttyACM0', baud: 115200, note: 'USB hub port 2' }, futureSection: { a: 1 } });
    expect(loadSettings(dir).station).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
  });

  it('writes nothing when the change itself fails', () => {
    const dir = folder('{"lan":{"port":4545}}');
    expect(() =>
      updateSettingsFile(dir, () => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"lan":{"port":4545}}');
  });
});
