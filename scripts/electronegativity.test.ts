/**
 * The security scan's wrapper on small apps made for the purpose: it fails on a HIGH finding, and
 * passes once that finding is justified where it is made.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), 'electronegativity.mjs');
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** An app whose main process opens one window with `webPreferences`, hardened otherwise. */
function appWith(windowLine: string): string {
  const app = mkdtempSync(join(tmpdir(), 'tendril-scan-'));
  folders.push(app);
  mkdirSync(join(app, 'src'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scanned', devDependencies: { electron: '^45.4.1' } }));
  writeFileSync(
    join(app, 'src', 'main.js'),
    [
      "const { app, BrowserWindow, session } = require('electron');",
      'app.whenReady().then(() => {',
      '  session.defaultSession.setPermissionRequestHandler((_c, _p, callback) => callback(false));',
      "  app.on('web-contents-created', (_e, contents) => {",
      "    contents.on('will-navigate', (event) => event.preventDefault());",
      "    contents.setWindowOpenHandler(() => ({ action: 'deny' }));",
      '  });',
      `  ${windowLine}`,
      "  win.loadURL('app://scanned/index.html');",
      '});',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(app, 'src', 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'none'"></head><body></body></html>\n`,
  );
  return app;
}

function scan(app: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [script, '--app', app], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const SAFE = 'contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: "Auxclick"';

describe('the security scan', () => {
  it('fails on a HIGH finding and says where it is', () => {
    const { status, output } = scan(appWith(`const win = new BrowserWindow({ webPreferences: { ${SAFE.replace('contextIsolation: true', 'contextIsolation: false')} } });`));
    expect(output).toMatch(/^HIGH \(FIRM\) CONTEXT_ISOLATION_JS_CHECK at src\/main\.js:8:/m);
    expect(output).toMatch(/^electronegativity: 1 high, /m);
    expect(status).toBe(1);
  });

  it('passes when each finding is fixed or justified where it is made', () => {
    const { status, output } = scan(
      appWith(`const win = new BrowserWindow({ webPreferences: { ${SAFE.replace('contextIsolation: true', 'contextIsolation: false')} } }); // eng-disable CONTEXT_ISOLATION_JS_CHECK: a test of the scan`),
    );
    expect(output).not.toMatch(/CONTEXT_ISOLATION_JS_CHECK/);
    expect(output).toMatch(/^electronegativity: 0 high, 0 medium, 0 low, \d+ informational$/m);
    expect(output).toMatch(/^not run: AvailableSecurityFixesGlobalCheck/m);
    expect(status).toBe(0);
  });
});
