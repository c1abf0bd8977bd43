import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveStationSource, updateSettingsSection } from './settings-file';

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

  it("changes only its own section and keeps the grower's other keys", () => {
    const dir = folder(JSON.stringify({ tanks: [{ id: 'a' }], lan: { host: '0.0.0.0', port: 4545 }, safety: { dose: { maxMlPerDose: 20 } } }));
    updateSettingsSection(dir, 'lan', { port: 4600 });
    expect(read(dir)).toEqual({ tanks: [{ id: 'a' }], lan: { host: '0.0.0.0', port: 4600 }, safety: { dose: { maxMlPerDose: 20 } } });
  });

  it('saves each controller choice the way settings.ts reads it', () => {
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
});
