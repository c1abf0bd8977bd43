/**
 * The firmware twin CLI as a process: what it prints where, how it refuses, and that it leaves
 * nothing behind. The runs that need the harness skip, saying why, until it is built.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { firmwareTwinAvailable, waitFor } from '../../test-support/main/sim-process';
import { NOT_BUILT } from './build';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const twin = firmwareTwinAvailable();
if (!twin.ok) console.log(`skipped: the firmware twin CLI's runs need the firmware twin (${twin.why})`);

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, stdio: 'pipe' });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function finished(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** Starts the CLI and reads stdout line by line: the serial line, then one answer per command. */
async function startTwin() {
  const child = runCli(['--pty', '--no-build']);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  await waitFor(() => lines.length > 0 || child.exitCode !== null, 15_000, 'the serial line');
  const ask = async (command: string) => {
    const from = lines.length;
    child.stdin.write(`${command}\n`);
    await waitFor(() => lines.length > from, 5000, `an answer to ${command}`);
    return lines[from]!;
  };
  return { child, lines, ask, stderr: () => stderr };
}

const exitOf = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** The CLI's harness process (tsx has a child of its own, esbuild). */
const harnessOf = (child: ChildProcessWithoutNullStreams): number[] =>
  spawnSync('pgrep', ['-P', String(child.pid), 'tendril-twin'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run firmware:sim', () => {
  it('--help lists the options and commands on stderr, and nothing on stdout', async () => {
    const run = await finished(runCli(['--help']));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^usage: npm run firmware:sim/);
    expect(run.stderr).toContain('float on|off|auto');
  });

  it('says the twin is not built, and how to build it, when the harness is missing', async () => {
    const run = await finished(runCli(['--pty', '--harness', '/nonexistent/tendril-twin']));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(NOT_BUILT);
    expect(run.stderr).toContain('/nonexistent/tendril-twin (the harness)');
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const run = await finished(runCli(['--baud', '9600']));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/unknown flag "--baud"/);
  });

  describe.skipIf(!twin.ok)('with the twin built', () => {
    it('prints exactly one serial line, a tty-host link in a directory of its own, then answers commands', async () => {
      const t = await startTwin();
      expect(t.lines).toHaveLength(1);
      const path = /^serial: (\S+)$/.exec(t.lines[0]!)?.[1];
      expect(path, t.stderr()).toMatch(/\/tendril-twin-[^/]+\/tty-host$/);
      expect(lstatSync(path!).isSymbolicLink()).toBe(true);
      expect(readlinkSync(path!)).toMatch(/^\/dev\/pts\/\d+$/);
      expect(await t.ask('float on')).toBe('ok float on');
      expect(await t.ask('stack')).toMatch(/^ok stack \d+$/);
      expect(await t.ask('float sideways')).toBe('error: float needs on, off or auto');
      const snapshot = JSON.parse((await t.ask('snapshot')).replace(/^snapshot: /, ''));
      expect(snapshot).toMatchObject({ floatSwitch: { mode: 'on' }, waterSupply: true, resets: 0 });
      expect(Object.values(snapshot.relays)).toEqual([false, false, false, false, false, false]);
      const harness = harnessOf(t.child);
      expect(harness).toHaveLength(1);
      t.child.kill('SIGTERM');
      expect(await exitOf(t.child)).toBe(0);
      expect(existsSync(dirname(path!))).toBe(false);
      expect(harness.filter(alive)).toEqual([]);
    });

    it('pulls the cable and plugs it back in, printing the serial line again before ok replug', async () => {
      const t = await startTwin();
      const path = t.lines[0]!.replace(/^serial: /, '');
      expect(await t.ask('unplug')).toBe('ok unplug');
      expect(existsSync(path)).toBe(false);
      const from = t.lines.length;
      t.child.stdin.write('replug\n');
      await waitFor(() => t.lines.length >= from + 2, 5000, 'the answers to replug');
      expect(t.lines.slice(from)).toEqual([`serial: ${path}`, 'ok replug']);
      expect(readlinkSync(path)).toMatch(/^\/dev\/pts\/\d+$/);
      expect(existsSync(readlinkSync(path))).toBe(true);
      expect(await t.ask('replug')).toBe('error: already plugged in');
      expect(await t.ask('silent maybe')).toBe('error: expected on or off');
      expect(await t.ask('corrupt 2')).toBe('ok corrupt 2');
      t.child.kill('SIGTERM');
      expect(await exitOf(t.child)).toBe(0);
    });

    it('cleans up when its stdin closes', async () => {
      const t = await startTwin();
      const path = t.lines[0]!.replace(/^serial: /, '');
      const harness = harnessOf(t.child);
      t.child.stdin.end();
      expect(await exitOf(t.child)).toBe(0);
      expect(existsSync(dirname(path))).toBe(false);
      expect(harness.filter(alive)).toEqual([]);
    });

    it('runs several twins at once, each on its own pty', async () => {
      const [a, b] = await Promise.all([startTwin(), startTwin()]);
      expect(a.lines[0]).not.toBe(b.lines[0]);
      expect(readlinkSync(a.lines[0]!.replace(/^serial: /, ''))).not.toBe(readlinkSync(b.lines[0]!.replace(/^serial: /, '')));
      const harnesses = [...harnessOf(a.child), ...harnessOf(b.child)];
      expect(harnesses).toHaveLength(2);
      a.child.kill('SIGINT');
      b.child.kill('SIGINT');
      await Promise.all([exitOf(a.child), exitOf(b.child)]);
      expect(harnesses.filter(alive)).toEqual([]);
    });
  });
});
