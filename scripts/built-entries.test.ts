/**
 * A station runs the built entries with plain node after `npm ci --omit=dev`: no tsx, no build
 * tools. This builds the app as `npm run build` does (into a folder of its own, so a build in
 * out/ that other runs use is left alone), then checks that the headless server and the
 * simulator load only runtime dependencies, and that the server starts, serves the web UI and
 * stops cleanly, run as the systemd unit runs it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const runtime = new Set(Object.keys(packageJson.dependencies));
const builtins = new Set(builtinModules);

// Inside the repository, so the built files find node_modules as out/ does.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const outDir = mkdtempSync(join(root, 'node_modules/.cache/tendril-built-'));

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}${build.stderr}`);
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Every bare module the entry loads, following its own chunks. */
function bareImports(entry: string): string[] {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)) {
      if (specifier!.startsWith('.')) walk(resolve(dirname(file), specifier!));
      else bare.add(specifier!);
    }
  };
  walk(entry);
  return [...bare].sort();
}

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe.each(['headless', 'simulator'])('out/main/%s.js', (name) => {
  it('loads only node built-ins and runtime dependencies', () => {
    const imports = bareImports(join(outDir, 'main', `${name}.js`));
    expect(imports).toContain('serialport');
    const outside = imports.filter((specifier) => !builtins.has(specifier.replace(/^node:/, '')) && !runtime.has(packageOf(specifier)));
    expect(outside).toEqual([]);
  });

  it('runs with plain node', () => {
    const help = spawnSync(process.execPath, [join(outDir, 'main', `${name}.js`), '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(`${help.stdout}${help.stderr}`).toMatch(/usage/i);
  });
});

describe('the built headless server', () => {
  it('starts on the simulated station, serves the web UI and stops on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-built-'));
    const child = spawn(process.execPath, [join(outDir, 'main/headless.js'), '--simulate', '--host', '127.0.0.1', '--port', '0', '--data', data], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TENDRIL_VIEWER_TOKEN: '', TENDRIL_OPERATOR_TOKEN: '' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const listening = /Tendril is listening on (\S+)/.exec(line);
          if (listening) done(listening[1]!);
        });
        void exit.then((code) => fail(new Error(`exited with ${code} before listening:\n${stderr}`)));
      });
      const health = (await (await fetch(`${url}/api/health`)).json()) as { ok: boolean; simulated: boolean };
      expect(health).toMatchObject({ ok: true, simulated: true });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(stderr).toContain('stopped');
      expect(stderr).not.toContain('the web UI is not built');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  });
});
