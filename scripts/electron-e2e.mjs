#!/usr/bin/env node
/**
 * Runs the Electron end-to-end suite when the Electron binary is installed, and says loudly that
 * it skipped it when not. It never asks the `electron` package for its path: that lookup
 * downloads the binary, which cannot work on machines without access to GitHub releases.
 * The check mirrors e2e/electron/electron-binary.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, 'e2e/playwright.config.ts');
const playwrightCli = join(root, 'node_modules/@playwright/test/cli.js');

function findElectronBinary() {
  const packageDir = join(root, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, named || 'electron');
    return existsSync(binary)
      ? { path: binary }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH names ${binary}, which does not exist` };
  }
  if (!named) return { reason: 'node_modules/electron/path.txt is missing: the binary was never downloaded' };
  const binary = join(packageDir, 'dist', named);
  return existsSync(binary) ? { path: binary } : { reason: `${binary} does not exist` };
}

/**
 * How many tests the electron project holds, so a skip reports what it did not run. A suite that
 * cannot even be listed (a syntax error, a missing import) is a failure, not a skip.
 */
function countElectronTests() {
  const listed = spawnSync(process.execPath, [playwrightCli, 'test', '-c', config, '--project', 'electron', '--list'], {
    cwd: root,
    encoding: 'utf8',
  });
  const total = /^Total: (\d+) tests? in/m.exec(listed.stdout ?? '');
  if (listed.status === 0 && total) return Number(total[1]);
  process.stdout.write(listed.stdout ?? '');
  process.stderr.write(listed.stderr ?? '');
  console.log('electron: the suite could not be listed; see above');
  process.exit(1);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

const binary = findElectronBinary();
if (!binary.path) {
  console.log(`skipped: Electron binary not available (${binary.reason})`);
  console.log(`electron: 0 passed, 0 failed, ${countElectronTests()} skipped`);
  process.exit(0);
}

const reportDir = mkdtempSync(join(tmpdir(), 'tendril-electron-report-'));
const reportFile = join(reportDir, 'report.json');
let command = process.execPath;
let args = [playwrightCli, 'test', '-c', config, '--project', 'electron', '--reporter', 'list,json'];
if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (hasCommand('xvfb-run')) {
    // xvfb-run's own screen is 640×480, smaller than the window; give it a desktop's.
    args = ['-a', '-s', '-screen 0 1280x1024x24', command, ...args];
    command = 'xvfb-run';
  } else {
    console.log('electron: no display and no xvfb-run (apt-get install -y xvfb); Electron may fail to open a window');
  }
}
const run = spawnSync(command, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile },
});

let summary = 'no report written';
if (existsSync(reportFile)) {
  const { stats } = JSON.parse(readFileSync(reportFile, 'utf8'));
  summary = `${stats.expected + stats.flaky} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`;
}
rmSync(reportDir, { recursive: true, force: true });
console.log(`electron: ${summary}`);
process.exit(run.status ?? 1);
