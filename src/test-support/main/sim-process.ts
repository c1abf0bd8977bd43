/**
 * Test harness: a station peer as a separate process, driven through its stdin control channel.
 * The peer is the station simulator on a real socat pty pair (the link and headless tests), or
 * the firmware twin: the reference firmware on an emulated ATmega2560, its UART a pty (the
 * firmware's own tests). Both speak the same control format, so one definition starts either.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { twinBuildProblem, twinBuildStale, type FirmwareTwinSnapshot } from '../../main/firmware-twin';

const ROOT = join(__dirname, '../../..');

export function socatAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v socat'], { stdio: 'ignore' }).status === 0;
}

/** Whether the firmware twin can run here, and if not why, for a skipped test to print. */
export function firmwareTwinAvailable(): { ok: true } | { ok: false; why: string } {
  const why = twinBuildProblem() ?? twinBuildStale();
  return why === null ? { ok: true } : { ok: false, why };
}

export type Peer = 'simulator' | 'firmware';

const PEERS: Record<Peer, { cli: string; args: string[]; name: string }> = {
  simulator: { cli: 'src/main/simulator/cli.ts', args: ['--pty'], name: 'simulator' },
  // Tests check the build is current (firmwareTwinAvailable) instead of building in parallel.
  firmware: { cli: 'src/main/firmware-twin/cli.ts', args: ['--pty', '--no-build'], name: 'firmware twin' },
};

export interface SimProcess<S extends PeerSnapshot = SimSnapshot> {
  /** The host end of the pty pair, for the app to open. */
  serialPath: string;
  /** Sends one control command and resolves with the peer's answer line. */
  control(command: string): Promise<string>;
  snapshot(): Promise<S>;
  /** Waits for the next `serial:` line (after a replug). */
  nextSerialLine(): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stderr(): string;
}

/** What both peers' snapshots have: every output, on or off, by channel id. */
export interface PeerSnapshot {
  relays: Record<string, boolean>;
  pumps: Record<string, boolean>;
}

/** The parts of the simulator's snapshot the tests look at. */
export interface SimSnapshot extends PeerSnapshot {
  estopLatched: boolean;
  [key: string]: unknown;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

export function startSimProcess(extraArgs?: string[], options?: { peer?: 'simulator' }): Promise<SimProcess>;
export function startSimProcess(extraArgs: string[], options: { peer: 'firmware' }): Promise<SimProcess<FirmwareTwinSnapshot>>;
export async function startSimProcess(extraArgs: string[] = [], options: { peer?: Peer } = {}): Promise<SimProcess<PeerSnapshot>> {
  const peer = PEERS[options.peer ?? 'simulator'];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', join(ROOT, peer.cli), ...peer.args, ...extraArgs], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  lines.on('line', (line) => {
    const index = waiting.findIndex((w) => w.match(line));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line);
  });
  const next = (match: (line: string) => boolean, what: string) =>
    withTimeout(
      new Promise<string>((resolve, reject) => {
        waiting.push({ match, resolve });
        exited.then(() => reject(new Error(`${peer.name} exited while waiting for ${what}: ${errText.trim().split('\n').slice(-3).join(' | ')}`)));
      }),
      15_000,
      what,
    );

  const serialLine = await next((l) => l.startsWith('serial: '), `the ${peer.name} to print its serial path`);
  const sim: SimProcess<PeerSnapshot> = {
    serialPath: serialLine.slice('serial: '.length).trim(),
    control(command) {
      const verb = command.split(' ')[0]!;
      const answer = next((l) => l.startsWith(`ok ${verb}`) || l.startsWith('error:') || (verb === 'snapshot' && l.startsWith('snapshot: ')), `an answer to "${command}"`);
      child.stdin.write(`${command}\n`);
      return answer.then((line) => {
        if (line.startsWith('error:')) throw new Error(`${peer.name} refused "${command}": ${line}`);
        return line;
      });
    },
    async snapshot() {
      const line = await sim.control('snapshot');
      return JSON.parse(line.slice(line.indexOf('{'))) as PeerSnapshot;
    },
    nextSerialLine: () => next((l) => l.startsWith('serial: '), `the ${peer.name} to print its serial path again`),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
    stderr: () => errText,
  };
  return sim;
}

/** Polls `check` until it returns true; for state that arrives over real I/O. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
