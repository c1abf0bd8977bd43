#!/usr/bin/env node
/**
 * Builds the app with `electron-vite build` when what `npm run serve`, `npm run simulator` and the
 * Playwright runs start (the web UI in out/renderer, the plain-node entries in out/main) is
 * missing or older than its sources, so none of them runs stale code.
 * Messages go to stderr: the simulator's stdout carries only its `serial:` line.
 * Usage: node scripts/ensure-web-build.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/renderer/index.html', 'out/main/index.js', 'out/main/headless.js', 'out/main/simulator.js'];
const sources = ['src/renderer', 'src/shared', 'src/main', 'src/preload', 'electron.vite.config.ts'];
// Tests are not built into out/, so editing one needs no rebuild.
const isTest = (name) => /\.test\.tsx?$/.test(name);

function say(line) {
  process.stderr.write(`build: ${line}\n`);
}

function newestChange(path) {
  if (!existsSync(path)) return { path, mtime: 0 };
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtime: stat.mtimeMs };
  let newest = { path, mtime: 0 };
  for (const entry of readdirSync(path)) {
    if (isTest(entry)) continue;
    const candidate = newestChange(join(path, entry));
    if (candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

function whyRebuild() {
  if (process.argv.includes('--force')) return 'asked to with --force';
  const missing = outputs.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const builtAt = Math.min(...outputs.map((output) => statSync(join(root, output)).mtimeMs));
  for (const source of sources) {
    const newest = newestChange(join(root, source));
    if (newest.mtime > builtAt) return `${newest.path.slice(root.length + 1)} changed after the last build`;
  }
  return null;
}

const reason = whyRebuild();
if (!reason) {
  say('out/ is up to date');
  process.exit(0);
}
const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
if (!existsSync(cli)) {
  // A production install (npm ci --omit=dev) runs what was built; it cannot build.
  say(`out/ needs building, because ${reason}, but electron-vite is not installed`);
  say('run "npm ci" and "npm run build" (then "npm prune --omit=dev" if you want the dev tools gone)');
  process.exit(1);
}
say(`building, because ${reason}`);
const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
if (result.status !== 0) {
  say('electron-vite build failed');
  process.exit(result.status ?? 1);
}
