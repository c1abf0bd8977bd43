// The one test command: lint, types, the Electron security scan, unit and integration tests
// (vitest, with real ptys), the web UI end to end in real Chromium (Playwright), the Electron
// suite, which reports itself skipped where the Electron binary is not available, and the quick
// soak. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function step(name, command, args, env = {}) {
  console.log(`\n── ${name} ──`);
  const run = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  const ok = run.status === 0;
  if (!ok) failedSteps.push(name);
  return ok;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

step('lint', bin('eslint'), ['.']);
step('types (main, preload, shared)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
step('types (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
// Electron's security checklist, offline: prints every finding, fails on a HIGH one.
step('security scan (electronegativity)', process.execPath, [join(root, 'scripts/electronegativity.mjs')]);
// The controller firmware with Debian's avr-gcc, within its flash and RAM budget; the tests
// below run the binary it makes on an emulated ATmega2560.
step('controller firmware (avr-gcc)', process.execPath, [join(root, 'scripts/firmware-build.mjs')]);

const vitestJson = join(results, 'vitest.json');
const vitestOk = step('unit and integration (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
} else if (!vitestOk) totals.failed++;

if (step('build', bin('electron-vite'), ['build'])) {
  step('web UI bundle size', process.execPath, [join(root, 'scripts/bundle-size.mjs')]);
  const webJson = join(results, 'playwright-web.json');
  const webOk = step('web UI in Chromium (Playwright)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', '--project', 'web', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: webJson,
  });
  const web = readJson(webJson);
  if (web) {
    totals.passed += web.stats.expected;
    totals.failed += web.stats.unexpected + web.stats.flaky;
    totals.skipped += web.stats.skipped;
  } else if (!webOk) totals.failed++;

  // The Electron script prints "electron: N passed, N failed, N skipped" (or why it skipped).
  console.log('\n── desktop app in Electron (Playwright) ──');
  const electron = spawnSync(process.execPath, [join(root, 'scripts/electron-e2e.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(electron.stdout ?? '');
  const counts = /^electron: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(electron.stdout ?? '');
  if (counts) {
    totals.passed += Number(counts[1]);
    totals.failed += Number(counts[2]);
    totals.skipped += Number(counts[3]);
  }
  if (electron.status !== 0 || !counts) failedSteps.push('desktop app in Electron');
}

// The station under fire: headless Tendril and the simulator as two processes on a real pty, a
// grower's routine, 500 faults and 5 kills, judged against the simulator's ground truth
// (docs/reliability.md). It ends with its own one-line summary.
step('soak, quick (500 faults, 5 kills)', process.execPath, ['--import', 'tsx', join(root, 'soak/soak.ts'), '--quick']);

console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
