/**
 * A virtual null-modem cable: socat joins two ptys and names them with symlinks, one end for
 * the app and one for the simulator. Killing socat makes both ends vanish, which is exactly what
 * a USB unplug looks like to the host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, rmSync, watch } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export interface PtyPair {
  /** The end the app opens. */
  hostPath: string;
  /** The end the simulator opens. */
  stationPath: string;
  /** Resolves when socat has gone, for whatever reason. */
  exited: Promise<void>;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;

/** Every socat still running, including one whose ptys are not ready yet. */
const running = new Set<ChildProcess>();

export function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Starts socat and resolves once both symlinks point at live ptys. */
export async function openPtyPair(hostPath: string, stationPath: string, log: (line: string) => void): Promise<PtyPair> {
  for (const path of [hostPath, stationPath]) rmSync(path, { force: true });
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${stationPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  void exited.then(() => running.delete(child));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    for (const line of text.split('\n')) if (/PTY is|E /.test(line)) log(`socat: ${line.trim()}`);
  });

  try {
    await linksReady(child, exited, [hostPath, stationPath]);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  return { hostPath, stationPath, exited, close: () => stopChild(child, exited) };
}

/**
 * Signals every socat we started, without waiting: for `process.on('exit')`, where nothing
 * asynchronous runs any more. A socat left behind would hold the app's pty path open forever.
 */
export function killPtyPairsNow(): void {
  for (const child of running) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function linksReady(child: ChildProcess, exited: Promise<void>, paths: string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const dirs = [...new Set(paths.map((p) => dirname(p)))];
    const watchers = dirs.map((dir) => watch(dir, () => check()));
    const timer = setTimeout(() => finish(new Error(`socat did not create ${paths.join(' and ')} within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    let done = false;
    function finish(err?: Error): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      if (err) reject(err);
      else resolve();
    }
    function check(): void {
      if (paths.every((p) => existsSync(p))) finish();
    }
    child.once('error', (err) => finish(err));
    void exited.then(() => finish(new Error(`socat exited (code ${child.exitCode ?? child.signalCode})`)));
    // socat reports each pty on stderr; the links follow right after, so look again then too.
    child.stderr?.on('data', check);
    check();
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
