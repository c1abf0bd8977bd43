import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LAN, loadLanSettings } from './lan-settings';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function withSettings(settings: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'tendril-lan-'));
  folders.push(folder);
  if (settings !== undefined) writeFileSync(join(folder, 'settings.json'), JSON.stringify(settings));
  return folder;
}

describe('the desktop LAN settings', () => {
  it('serves the LAN on port 4545 when nothing says otherwise', () => {
    expect(loadLanSettings(withSettings(undefined))).toEqual(DEFAULT_LAN);
    expect(loadLanSettings(withSettings({ station: { serialPath: 'auto' } }))).toEqual(DEFAULT_LAN);
  });

  it('takes the grower\'s port, host and switch', () => {
    expect(loadLanSettings(withSettings({ lan: { port: 8080 } }))).toEqual({ ...DEFAULT_LAN, enabled: true, host: '0.0.0.0', port: 8080 });
    expect(loadLanSettings(withSettings({ lan: { enabled: false } }))).toMatchObject({ enabled: false });
  });

  it('takes the names it answers to and its caps on connections', () => {
    const lan = { hostNames: ['grow.example.com', 'tendril.local'], maxScreensPerToken: 20, maxScreensPerAddress: 400 };
    expect(loadLanSettings(withSettings({ lan }))).toEqual({ ...DEFAULT_LAN, ...lan });
  });

  it.each([
    [{ hostNames: ['https://grow.example.com'] }, /lan.hostNames must list bare names such as "grow.example.com", without http:\/\/ or a port/],
    [{ hostNames: ['grow.example.com:8443'] }, /without http:\/\/ or a port/],
    [{ hostNames: 'grow.example.com' }, /lan.hostNames must be a list of names/],
    [{ maxScreensPerToken: 0 }, /lan.maxScreensPerToken must be at least 1/],
    [{ maxScreensPerAddress: 2.5 }, /lan.maxScreensPerAddress must be a whole number of connections/],
  ])('keeps the server off and says what to fix for %j', (lan, problem) => {
    expect(loadLanSettings(withSettings({ lan }))).toMatchObject({ enabled: false, warning: expect.stringMatching(problem) });
  });

  it('keeps the server off and says why when the section is wrong', () => {
    expect(loadLanSettings(withSettings({ lan: { port: 70000 } }))).toMatchObject({ enabled: false, warning: expect.stringMatching(/lan.port must be 1 to 65535; the LAN server stays off/) });
  });
});
