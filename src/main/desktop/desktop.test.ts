/**
 * The Electron-free parts of the desktop shell, in plain Node: which pages count as the app's,
 * how app:// requests are answered, and the window's security settings.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPages } from './app-pages';
import { appPageResponse } from './app-protocol';
import { stationWindowOptions } from './window';

describe('app pages', () => {
  it('recognises only the app’s own pages in production', () => {
    const pages = appPages(undefined);
    expect(pages.entry).toBe('app://tendril/index.html');
    expect(pages.isAppPage('app://tendril/index.html')).toBe(true);
    expect(pages.isAppPage('app://other/index.html')).toBe(false);
    expect(pages.isAppPage('https://example.com/')).toBe(false);
    expect(pages.isAppPage('not a url')).toBe(false);
  });

  it('recognises the dev server’s origin in development', () => {
    const pages = appPages('http://localhost:5173/');
    expect(pages.isAppPage('http://localhost:5173/index.html')).toBe(true);
    expect(pages.isAppPage('http://localhost:5174/')).toBe(false);
  });
});

describe('app:// responses', () => {
  const root = mkdtempSync(join(tmpdir(), 'tendril-app-'));
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<title>Tendril</title>');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  const dir = join(root, 'renderer');

  it('serves the build output with the CSP header', async () => {
    const res = await appPageResponse(dir, 'app://tendril/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await res.text()).toContain('Tendril');
  });

  it('refuses other hosts, missing files and anything outside the build output', async () => {
    for (const url of ['app://other/index.html', 'app://tendril/missing.js', 'app://tendril/../secret.txt', 'app://tendril/%2e%2e/secret.txt', 'app://tendril/%E0%A4%A']) {
      const res = await appPageResponse(dir, url);
      expect(res.status, url).toBe(404);
    }
  });
});

describe('the station window', () => {
  it('isolates the page from Node and loads the bridge from the build', () => {
    const options = stationWindowOptions('/app/out/main');
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(options.webPreferences.preload).toBe('/app/out/preload/index.js');
  });
});
