/**
 * Headless Tendril as a separate process, as a grower runs it: on a serial port, with a data
 * folder, listening on loopback. For the web tests' station and for the soak, which kills it
 * with SIGKILL mid-job and starts it again on the same folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const LISTENING = /Tendril is listening on (http:\/\/\S+)/;
export const START_TIMEOUT_MS = 30_000;
export const STOP_TIMEOUT_MS = 10_000;

export interface HeadlessOptions {
  dataDir: string;
  serialPath: string;
  /** '0' lets the OS choose; a restart passes the port it had. */
  port: string;
  viewerToken: string;
  operatorToken: string;
  /** The simulator on the port runs this many times faster; job timers follow it. */
  timeScale?: number;
}

export interface HeadlessProcess {
  process: ChildProcess;
  url: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

/** Resolves once it prints where it listens; rejects with its output if it exits or hangs first. */
export function startHeadless(options: HeadlessOptions): Promise<HeadlessProcess> {
  const server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main/headless.ts',
      '--serial',
      options.serialPath,
      '--host',
      '127.0.0.1',
      '--port',
      options.port,
      '--data',
      options.dataDir,
      ...(options.timeScale ? ['--time-scale', String(options.timeScale)] : []),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TENDRIL_VIEWER_TOKEN: options.viewerToken, TENDRIL_OPERATOR_TOKEN: options.operatorToken },
    },
  );
  const log: string[] = [];
  server.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no "Tendril is listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    function fail(why: string): void {
      clearTimeout(timer);
      server.kill('SIGKILL');
      reject(new Error(`the headless server did not start: ${why}\nstdout:\n${stdout}\nstderr:\n${log.join('')}`));
    }
    server.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = LISTENING.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        server.removeAllListeners('exit');
        resolve({ process: server, url, stderr: () => log.join('') });
      }
    });
    server.once('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    server.once('error', (error) => fail(error.message));
  });
}

/** SIGTERM lets the server switch outputs off; SIGKILL only if it hangs. */
export async function stopHeadless(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS)),
  ]);
  if (timedOut) {
    server.kill('SIGKILL');
    await exited;
  }
}

/** A crash: SIGKILL, no chance to switch anything off. Resolves once the process is gone. */
export async function crashHeadless(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGKILL');
  await exited;
}
