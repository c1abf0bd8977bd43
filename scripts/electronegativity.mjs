#!/usr/bin/env node
/**
 * Electronegativity, the Electron security scanner, without the network. Scans the sources (not
 * out/: the build drops the `eng-disable` comments that justify a finding where it is made) and
 * package.json, prints every finding, and exits 1 on any HIGH one or on a file it could not read.
 *
 *   node scripts/electronegativity.mjs [--releases FILE] [--app DIR]
 *
 * --app scans another folder laid out the same way (its tests use it); the default is this one.
 *
 * Electronegativity asks the network twice: for fresh translations of its messages, and for
 * Electron's release list (to tell whether a newer patch release fixes a security issue). Both
 * are optional to it, but it waits on them, and behind a firewall that drops packets the wait
 * has no end. So this script hands it a `got` (its HTTP client) that fails at once, and gives it
 * the release list the way it keeps one between runs: a file named releases.<etag>.json in its
 * temp folder. Without --releases that check is left out and the output says so; with a copy
 * of https://raw.githubusercontent.com/electron/releases/master/index.json it runs offline.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scannerDir = join(root, 'node_modules/@doyensec/electronegativity');
const INPUTS = ['src', 'package.json'];
const RELEASES_CHECK = 'AvailableSecurityFixesGlobalCheck';

let options;
try {
  ({ values: options } = parseArgs({ options: { releases: { type: 'string' }, app: { type: 'string' } } }));
} catch (error) {
  console.error(`${error.message}\nusage: node scripts/electronegativity.mjs [--releases electron-releases-index.json] [--app DIR]`);
  process.exit(2);
}
const releasesFile = options.releases;
const appDir = resolve(options.app ?? root);

// The version the app is built with, read from the package's manifest. (Requiring `electron`
// itself would try to download its binary.)
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

const scannerRequire = createRequire(join(scannerDir, 'package.json'));
const offline = () => Promise.reject(new Error('Tendril runs Electronegativity without the network'));
offline.head = offline;
const gotPath = scannerRequire.resolve('got');
const stub = new Module(gotPath);
stub.filename = gotPath;
stub.loaded = true;
stub.exports = offline;
scannerRequire.cache[gotPath] = stub;

// One scan sees everything, so its global checks (is there a CSP, a permission handler, limits on
// navigation anywhere?) judge the whole app; the repository's root would drag in node_modules.
const scratch = mkdtempSync(join(tmpdir(), 'tendril-electronegativity-'));
const stage = join(scratch, 'app');
for (const input of INPUTS) cpSync(join(appDir, input), join(stage, input), { recursive: true });
const fromStage = (file) => (file === 'N/A' ? 'the whole app' : relative(stage, file));

// The scanner looks for its release list in the OS temp folder, which it reads once, when loaded.
const releasesDir = join(scratch, 'tmp');
mkdirSync(releasesDir);
process.env.TMPDIR = releasesDir;
process.env.TMP = releasesDir;
process.env.TEMP = releasesDir;
if (releasesFile) copyFileSync(releasesFile, join(releasesDir, `releases.${'0'.repeat(40)}.json`));
// Its messages come from bundled translations; pick English whatever the shell's locale.
process.env.LANG = 'en-US';

const run = scannerRequire('./dist/runner.js');

// It reports its own progress and the failed downloads on the console; keep the output to findings.
const chatter = [];
const consoleLog = console.log;
console.log = (...line) => chatter.push(line.join(' '));

let findings;
let unread;
let checks;
try {
  const result = await run(
    {
      input: stage,
      electronVersionOverride: electronVersion,
      excludeFromScan: releasesFile ? [] : [RELEASES_CHECK],
      customScan: [],
      parserPlugins: [],
      isRelative: false,
    },
    false,
  );
  checks = result.globalChecks + result.atomicChecks;
  findings = result.issues;
  unread = result.errors.filter((error) => !error.tolerable);
} finally {
  console.log = consoleLog;
  rmSync(scratch, { recursive: true, force: true });
}

const order = (issue) => -issue.severity.value * 10 - issue.confidence.value;
findings.sort((a, b) => order(a) - order(b) || a.file.localeCompare(b.file) || a.location.line - b.location.line);

console.log(`electronegativity ${scannerRequire('./package.json').version}, ${checks} checks, Electron ${electronVersion}, on ${INPUTS.join(' and ')}`);
if (!releasesFile) {
  console.log(`not run: ${RELEASES_CHECK} (it needs Electron's release list; pass --releases FILE with a copy of it)`);
}
for (const issue of findings) {
  const where = `${fromStage(issue.file)}:${issue.location.line}:${issue.location.column}`;
  const review = issue.manualReview ? ', review' : '';
  console.log(`${issue.severity.name} (${issue.confidence.name}${review}) ${issue.id} at ${where}`);
  console.log(`    ${issue.description.replace(/\s+/g, ' ').trim()} ${issue.shortenedURL}`);
  if (issue.sample) console.log(`    > ${issue.sample.slice(0, 160)}`);
}
for (const error of unread) console.log(`could not scan ${fromStage(error.file)}: ${error.message}`);

const counts = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((name) => `${findings.filter((issue) => issue.severity.name === name).length} ${name.toLowerCase()}`);
console.log(`electronegativity: ${counts.join(', ')}${unread.length ? `, ${unread.length} unreadable` : ''}`);
const high = findings.some((issue) => issue.severity.name === 'HIGH');
if (high) console.log('electronegativity: fix each HIGH finding, or justify it where it is made with /* eng-disable CHECK_ID: why */');
if (process.env.ELECTRONEGATIVITY_DEBUG) for (const line of chatter) console.log(`(scanner) ${line}`);
process.exit(high || unread.length ? 1 : 0);
