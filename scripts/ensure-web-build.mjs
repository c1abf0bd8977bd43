#!/usr/bin/env node
/**
 * Builds the app with `electron-vite build` when the web UI in out/renderer is missing or older
 * than its sources, so `npm run serve` and the Playwright runs never show a stale screen.
 * Usage: node scripts/ensure-web-build.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtPage = join(root, 'out/renderer/index.html');
const sources = ['src/renderer', 'src/shared', 'electron.vite.config.ts'].map((path) => join(root, path));

function newestChange(path) {
  if (!existsSync(path)) return { path, mtime: 0 };
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtime: stat.mtimeMs };
  let newest = { path, mtime: 0 };
  for (const entry of readdirSync(path)) {
    const candidate = newestChange(join(path, entry));
    if (candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

function whyRebuild() {
  if (process.argv.includes('--force')) return 'asked to with --force';
  if (!existsSync(builtPage)) return 'out/renderer/index.html is missing';
  const builtAt = statSync(builtPage).mtimeMs;
  for (const source of sources) {
    const newest = newestChange(source);
    if (newest.mtime > builtAt) return `${newest.path.slice(root.length + 1)} changed after the last build`;
  }
  return null;
}

const reason = whyRebuild();
if (!reason) {
  console.log('web build: out/renderer is up to date');
  process.exit(0);
}
console.log(`web build: building, because ${reason}`);
const cli = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('web build: electron-vite build failed');
  process.exit(result.status ?? 1);
}
