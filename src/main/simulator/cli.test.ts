import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { decodeDeviceLine, encodeCommand, StationLineParser, type DeviceMessage } from '../protocol';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const hasSocat = spawnSync('which', ['socat']).status === 0;
if (!hasSocat) console.log('skipping the --pty test: socat is not installed (apt-get install -y socat)');

/** Lines from a stream, awaited one by one with a deadline instead of sleeps. */
function lineQueue(onLine: (listener: (line: string) => void) => void) {
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  onLine((line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) w();
  });
  return async (match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = lines.findIndex(match);
      if (i >= 0) return lines.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching line within ${timeoutMs} ms; got ${JSON.stringify(lines)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
}

function runCli(args: string[], nodeArgs: string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, CLI, ...args], { cwd: ROOT, stdio: 'pipe' });
}

/**
 * A module to load into the CLI process: SIGUSR2 becomes an uncaught exception, a crash on
 * demand. A file, not a data: URL, because tsx's resolver takes those for relative paths.
 */
function crashOnSigusr2(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-sim-test-'));
  const path = join(dir, 'crash-on-sigusr2.mjs');
  writeFileSync(path, `process.on('SIGUSR2', () => { throw new Error('crash for a test'); });\n`);
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return pathToFileURL(path).href;
}

/** True once no socat with a pty in `dir` is left running. */
async function socatGone(dir: string, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (spawnSync('pgrep', ['-f', dir]).status === 1) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function openHost(path: string) {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 115200 }, (err) => (err ? reject(err) : resolve(p)));
  });
  const parser = new StationLineParser();
  port.on('data', (chunk: Buffer) => parser.write(chunk));
  const next = lineQueue((emit) => parser.on('data', emit));
  const answer = async (seq: number): Promise<DeviceMessage> => {
    const line = await next((l) => {
      const d = decodeDeviceLine(l);
      return typeof d !== 'string' && (d.type === 'ack' || d.type === 'nak') && d.seq === seq;
    });
    const decoded = decodeDeviceLine(line);
    if (typeof decoded === 'string') throw new Error('unreachable');
    return decoded;
  };
  return { port, answer };
}

function closeHost(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

/** Opens the pty path as the app would and checks that a handshake gets an answer. */
async function expectHandshake(serial: string): Promise<void> {
  const host = await openHost(serial);
  host.port.write(encodeCommand(1, 'HELLO', { proto: '1.0' }));
  expect(await host.answer(1)).toMatchObject({ type: 'ack' });
  await closeHost(host.port);
}

describe('CLI flags', () => {
  it('exits 2 with a one-line error on a bad flag', async () => {
    const child = runCli(['--frobnicate']);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exitOf(child)).toBe(2);
    expect(stderr.split('\n')[0]).toBe('error: unknown flag "--frobnicate"');
  });
});

describe.skipIf(!hasSocat)('CLI --pty', () => {
  let child: ChildProcessWithoutNullStreams | null = null;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  /** Starts the CLI on a fresh pty pair and waits for the path it offers. */
  async function startPtyCli(args: string[], nodeArgs: string[] = []) {
    const cli = runCli(['--pty', ...args], nodeArgs);
    child = cli;
    cli.stderr.resume();
    const stdout = lineQueue((emit) => createInterface({ input: cli.stdout }).on('line', emit));
    const serial = (await stdout((l) => l.startsWith('serial: '), 20_000)).slice('serial: '.length);
    return { cli, stdout, serial };
  }

  it('offers a pty the app can open, takes stdin commands, and exits 0 on SIGTERM', async () => {
    const { cli, stdout, serial } = await startPtyCli([]);

    const host = await openHost(serial);
    host.port.write(encodeCommand(1, 'HELLO', { proto: '1.0' }));
    expect(await host.answer(1)).toMatchObject({ type: 'ack', fields: { device: 'tendril-sim', serial: 'SIM-0001' } });

    cli.stdin.write('snapshot\n');
    const snap = JSON.parse((await stdout((l) => l.startsWith('snapshot: '))).slice('snapshot: '.length));
    expect(snap).toMatchObject({ attached: true, linesIn: 1, estopLatched: false });
    cli.stdin.write('stuck ec9 1\n');
    expect(await stdout((l) => l.startsWith('error'))).toMatch(/ec9/);

    // Unplug makes the pty vanish under the app; replug brings the same path back.
    const closed = new Promise<void>((resolve) => host.port.once('close', () => resolve()));
    cli.stdin.write('unplug\n');
    await stdout((l) => l === 'ok unplug');
    await closed;
    cli.stdin.write('replug\n');
    expect(await stdout((l) => l.startsWith('serial: '))).toBe(`serial: ${serial}`);
    await stdout((l) => l === 'ok replug');
    await expectHandshake(serial);

    cli.kill('SIGTERM');
    expect(await exitOf(cli)).toBe(0);
  });

  it.each([
    ['SIGHUP', 0],
    ['an uncaught exception', 1],
  ] as const)('kills socat and removes its directory on %s', async (how, code) => {
    const { cli, serial } = await startPtyCli([], how === 'SIGHUP' ? [] : ['--import', crashOnSigusr2()]);
    const dir = dirname(serial);
    expect(existsSync(serial)).toBe(true);
    expect(await socatGone(dir, 0)).toBe(false);

    cli.kill(how === 'SIGHUP' ? 'SIGHUP' : 'SIGUSR2');
    expect(await exitOf(cli)).toBe(code);
    expect(existsSync(dir)).toBe(false);
    expect(await socatGone(dir)).toBe(true);
  });

  it('--drop-after makes the pty vanish under the app, --replug-after brings it back', async () => {
    const { cli, stdout, serial } = await startPtyCli(['--drop-after', '600', '--replug-after', '300']);
    const host = await openHost(serial);
    const closed = new Promise<void>((resolve) => host.port.once('close', () => resolve()));
    await closed;
    expect(await stdout((l) => l.startsWith('serial: '))).toBe(`serial: ${serial}`);
    await expectHandshake(serial);
    cli.kill('SIGTERM');
    expect(await exitOf(cli)).toBe(0);
  });
});
