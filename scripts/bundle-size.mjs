// What a phone downloads before the first screen appears: the built web UI's initial JavaScript
// (the entry script and every module it preloads), gzipped as the LAN server would send it over
// a slow grow-room Wi-Fi. Charts and other lazy chunks are left out; they load when opened.
// Prints the figure, and fails past the budget.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const root = join(import.meta.dirname, '..', 'out', 'renderer');
const html = readFileSync(join(root, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((match) => resolve(root, match[1]));
if (initial.length === 0) {
  console.error('bundle: no entry script found in out/renderer/index.html; run "npm run build" first');
  process.exit(1);
}
const kb = (bytes) => (bytes / 1024).toFixed(1);
let raw = 0;
let gzipped = 0;
for (const file of initial) {
  const bytes = readFileSync(file);
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const lazy = readdirSync(dirname(initial[0])).filter((name) => name.endsWith('.js') && !initial.some((file) => file.endsWith(name)));
console.log(`bundle: initial JavaScript ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw, ${initial.length} file${initial.length === 1 ? '' : 's'}); budget ${BUDGET_KB} KB; ${lazy.length} lazy chunk${lazy.length === 1 ? '' : 's'} (${lazy.join(', ') || 'none'})`);
if (gzipped / 1024 > BUDGET_KB) {
  console.error(`bundle: over budget by ${kb(gzipped - BUDGET_KB * 1024)} KB; load more of the UI lazily`);
  process.exit(1);
}
