/**
 * The words growers and integrators copy from the docs must be the ones Tendril prints: every
 * message in docs/deployment.md's troubleshooting table is produced by the headless entry run
 * as the grower runs it, the settings.json example loads, the reference table lists exactly the
 * keys the settings schema has, with its defaults, the systemd unit runs what
 * `npm run serve` runs, and docs/lan-api.md's malformed-command examples get those answers.
 * A `…` in a quoted message stands for a part that depends on the machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseCommand } from '../src/shared/commands';
import { SERVE_USAGE } from '../src/main/headless/serve-args';
import { loadSettings, SETTINGS_DEFAULTS, SETTINGS_SCHEMA, warningOf } from '../src/main/settings';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deployment = readFileSync(join(root, 'docs/deployment.md'), 'utf8');
const lanApi = readFileSync(join(root, 'docs/lan-api.md'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** A quoted message as a pattern for one whole line: `…` matches anything. */
function messagePattern(quoted: string): RegExp {
  const escaped = quoted.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** The quoted messages in the troubleshooting table, by the prefix they start with. */
const troubleshooting = [...deployment.slice(deployment.indexOf('## 7. Troubleshooting')).matchAll(/^\| `([a-z]+: [^`]*)` \|/gm)].map((m) => m[1]!);
const quoted = (prefix: string) => troubleshooting.filter((message) => message.startsWith(prefix));

interface Run {
  code: number | null;
  /** Standard error, one entry a line, log timestamps removed. */
  lines: string[];
}

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Runs the headless entry from source until it exits, or until it is listening, then stops it
 * as systemd would (SIGTERM).
 */
function serve(args: string[], options: { data?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const data = options.data ?? mkdtempSync(join(tmpdir(), 'tendril-docs-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/headless.ts'), '--data', data, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TENDRIL_VIEWER_TOKEN: '', TENDRIL_OPERATOR_TOKEN: '', ...options.env },
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('Tendril is listening on')) child.kill('SIGTERM');
  });
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      const lines = stderr
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
      resolve({ code, lines });
    });
  });
}

function takePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) && !name.includes('.test.') ? [path] : [];
  });
}

describe('docs/deployment.md', () => {
  it('quotes the messages growers look up', () => {
    expect(quoted('tendril: ').length).toBeGreaterThanOrEqual(4);
    expect(quoted('settings: ')).toHaveLength(1);
  });

  it('quotes the port-in-use message as Tendril prints it', async () => {
    const [message] = quoted('tendril: cannot listen on ');
    expect(message).toContain('0.0.0.0:4545');
    const { server, port } = await takePort();
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const run = await serve(['--simulate', '--host', '127.0.0.1', '--port', String(port)]);
    expect(run.code).toBe(2);
    expect(run.lines).toContain(message!.replaceAll('0.0.0.0', '127.0.0.1').replaceAll('4545', String(port)));
  });

  it('quotes the message for a serial port that cannot be opened', async () => {
    const [message] = quoted('tendril: cannot open ');
    const run = await serve(['--serial', '/dev/serial/by-id/usb-no-such-controller', '--port', '0']);
    expect(run.code).toBe(2);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
  });

  it('quotes the message for an environment token that is too short', async () => {
    const [message] = quoted('tendril: TENDRIL_OPERATOR_TOKEN');
    expect(message).toContain('8 characters long');
    const run = await serve(['--simulate', '--port', '0'], { env: { TENDRIL_OPERATOR_TOKEN: 'x'.repeat(8) } });
    expect(run.code).toBe(2);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
  });

  it('quotes the message for a tokens.json it cannot read', async () => {
    const [message] = quoted('tendril: …/tokens.json');
    const data = mkdtempSync(join(tmpdir(), 'tendril-docs-'));
    writeFileSync(join(data, 'tokens.json'), '{"tokens": "not a list"}');
    const run = await serve(['--simulate', '--port', '0'], { data });
    expect(run.code).toBe(2);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
    expect(readFileSync(join(data, 'tokens.json'), 'utf8')).toBe('{"tokens": "not a list"}');
  });

  it('quotes the message for tanks it cannot use, and starts anyway', async () => {
    const [message] = quoted('settings: ');
    const data = mkdtempSync(join(tmpdir(), 'tendril-docs-'));
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ tanks: [{ id: 'veg', name: 'Veg', capacityL: -1, channelIds: [] }] }));
    const run = await serve(['--simulate', '--port', '0'], { data });
    expect(run.code).toBe(0);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
  });

  it('quotes the message for a Redis that cannot be reached', async () => {
    const [message] = quoted('tendril: Redis at ');
    const { server, port } = await takePort();
    // A port nothing listens on: taken, then given back.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await serve(['--simulate', '--port', '0', '--workers', '1', '--redis', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(2);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
  });

  it('quotes the message for a private redis-server that cannot be started', async () => {
    const [message] = quoted('tendril: redis-server could not be started');
    // A PATH with node and no redis-server on it.
    const bin = mkdtempSync(join(tmpdir(), 'tendril-docs-bin-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const run = await serve(['--simulate', '--port', '0', '--workers', '1'], { env: { PATH: bin } });
    expect(run.code).toBe(2);
    expect(run.lines).toContainEqual(expect.stringMatching(messagePattern(message!)));
  });

  it('quotes the build and web messages as the code words them', () => {
    const sources = [...sourceFiles(join(root, 'src/main')), join(root, 'scripts/ensure-web-build.mjs')].map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const message of [...quoted('web: '), ...quoted('build: ')]) {
      // The code builds them from pieces: look for each fixed part, prefix dropped.
      for (const part of message.replace(/^[a-z]+: /, '').split('…')) expect(sources).toContain(part.trim());
    }
  });

  it('has every troubleshooting message checked above', () => {
    const checked = ['tendril: cannot listen on ', 'tendril: cannot open ', 'tendril: TENDRIL_OPERATOR_TOKEN', 'tendril: …/tokens.json', 'tendril: Redis at ', 'tendril: redis-server could not be started', 'settings: ', 'web: ', 'build: '];
    for (const message of troubleshooting) expect(checked.some((prefix) => message.startsWith(prefix)), message).toBe(true);
  });

  it('shows a settings.json example that loads without a warning', () => {
    const example = /### `settings\.json`\n\n```json\n([\s\S]*?)\n```/.exec(deployment);
    expect(example).not.toBeNull();
    const data = mkdtempSync(join(tmpdir(), 'tendril-docs-'));
    writeFileSync(join(data, 'settings.json'), example![1]!);
    const settings = loadSettings(data);
    const layout = settings.layout;
    expect(warningOf(settings, 'layout')).toBeUndefined();
    expect(settings.warnings).toEqual([]);
    expect(layout.tanks?.map((tank) => tank.id)).toEqual(['veg', 'bloom']);
    expect(layout.tanks?.[0]?.plumbing?.nutrients).toEqual(['nut_a', 'nut_b']);
  });

  it('documents every flag the headless entry takes', () => {
    const flags = [...SERVE_USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(5);
    for (const flag of flags) expect(deployment).toContain(`| \`${flag}`);
  });

  it('has the systemd unit run the built entry that npm run serve runs, with plain node', () => {
    const serveEntry = /&& node (\S+)$/.exec(packageJson.scripts['serve']!)?.[1];
    expect(serveEntry).toBe('out/main/headless.js');
    const execStart = /^ExecStart=(\S+) (\S+) /m.exec(deployment);
    expect(execStart?.[1]).toBe('/usr/bin/node');
    expect(execStart?.[2]).toBe(serveEntry);
    // tsx is a devDependency: a production install (npm ci --omit=dev) has no tsx.
    expect(deployment).not.toMatch(/^ExecStart=.*tsx/m);
    expect(packageJson.scripts['serve']).not.toContain('tsx');
    expect(packageJson.scripts['simulator']).not.toContain('tsx');
  });
});

/**
 * Every key a settings schema allows, written as the reference table writes it: `tanks[].id` for
 * a key of every tank, `pumps.<id>.mlPerSecond` for a key of every pump.
 */
function settingsKeys(schema: z.ZodType, path = '', keys: string[] = []): string[] {
  const def = unwrap(schema)._zod.def;
  if (def.type === 'object') {
    for (const [key, child] of Object.entries((def as z.core.$ZodObjectDef).shape)) settingsKeys(child as z.ZodType, path ? `${path}.${key}` : key, keys);
  } else if (def.type === 'array' && unwrap((def as z.core.$ZodArrayDef).element as z.ZodType)._zod.def.type === 'object') {
    settingsKeys((def as z.core.$ZodArrayDef).element as z.ZodType, `${path}[]`, keys);
  } else if (def.type === 'record' && unwrap((def as z.core.$ZodRecordDef).valueType as z.ZodType)._zod.def.type === 'object') {
    settingsKeys((def as z.core.$ZodRecordDef).valueType as z.ZodType, `${path}.<id>`, keys);
  } else {
    keys.push(path);
  }
  return keys;
}

/** The schema a value is checked with, past `.optional()` and the like. */
function unwrap(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return unwrap((def as z.core.$ZodOptionalDef).innerType as z.ZodType);
  if (def.type === 'pipe') return unwrap((def as z.core.$ZodPipeDef).in as z.ZodType);
  return schema;
}

function defaultOf(key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined), SETTINGS_DEFAULTS);
}

describe("docs/deployment.md's settings.json reference", () => {
  const table = /### Every key\n[\s\S]*?\| section \| key \| type \| default \| meaning \|\n\| --- .*\n((?:\|.*\n)+)/.exec(deployment)?.[1] ?? '';
  const rows = table
    .trim()
    .split('\n')
    .map((line) => {
      const [section = '', key = '', type = '', fallback = ''] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
      return { section, key: /^`([^`]+)`$/.exec(key)?.[1] ?? key, type, fallback };
    });
  const schemaKeys = settingsKeys(SETTINGS_SCHEMA);

  it('lists every key the schema has, and no other, once each', () => {
    expect(schemaKeys.length).toBeGreaterThan(50);
    const listed = rows.map((row) => row.key);
    expect(new Set(listed).size, 'a key listed twice').toBe(listed.length);
    expect([...listed].sort()).toEqual([...schemaKeys].sort());
  });

  it('files each key under its section, with a type', () => {
    for (const row of rows) {
      expect(row.section, row.key).toBe(/^[A-Za-z]+/.exec(row.key)?.[0]);
      expect(row.type, row.key).not.toBe('');
    }
  });

  it('gives the default Tendril uses wherever it has one, and none where it has none', () => {
    const keys = new Set(schemaKeys);
    for (const { key, fallback } of rows) {
      const literal = /^`([^`]+)`$/.exec(fallback)?.[1];
      if (literal !== undefined && !keys.has(literal)) {
        expect(JSON.parse(literal), key).toEqual(defaultOf(key));
      } else {
        // No default, one that depends on the tank, or another key's ("`safety.fill.defaultPulsesPerLiter`").
        expect(defaultOf(key), `${key}: the table should give its default, \`${JSON.stringify(defaultOf(key))}\``).toBeUndefined();
      }
    }
  });
});

describe('docs/lan-api.md', () => {
  const block = /Malformed commands name the first problem[\s\S]*?```json\n([\s\S]*?)\n```/.exec(lanApi)?.[1] ?? '';
  const examples = block.split('\n').map((line) => {
    const [input, answer] = line.split(' → ');
    const [, code, message] = /^([A-Z_]+) (".*")$/.exec(answer!.trim())!;
    return { input: input!.trim(), code: code!, message: JSON.parse(message!) as string };
  });

  it('has malformed-command examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)('$input', ({ input, code, message }) => {
    const answer = parseCommand(JSON.parse(input));
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).toMatch(messagePattern(message));
  });
});
