/**
 * The firmware twin as a process: `npm run firmware:sim -- --pty` gives the app a serial port
 * with the real firmware behind it. stdout carries only the `serial: <path>` line and answers
 * to stdin commands; everything for people goes to stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_ELF, DEFAULT_HARNESS, FIRMWARE_BUILD_SCRIPT, NOT_BUILT, twinBuildProblem } from './build';
import { parseTwinCliArgs, USAGE } from './cli-options';
import { runControl, type CableHooks } from './control';
import { FirmwareTwin } from './firmware-twin';

const log = (line: string): void => {
  process.stderr.write(`firmware-twin: ${line}\n`);
};
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function fail(message: string, code = 1): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

/** `npm run firmware:build`: checks the toolchain and rebuilds whatever is out of date. */
function build(): void {
  const run = spawnSync(process.execPath, [FIRMWARE_BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  process.stderr.write(output);
  if (run.status !== 0) {
    const last = output.trim().split('\n').at(-1) ?? run.error?.message ?? `exit ${run.status}`;
    fail(`${NOT_BUILT} (it failed: ${last})`);
  }
}

async function main(): Promise<void> {
  const parsed = parseTwinCliArgs(process.argv.slice(2));
  if (parsed.ok === 'help') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!parsed.ok) fail(`${parsed.error}\n${USAGE.split('\n')[0]} (--help for more)`, 2);
  const options = parsed.options;
  const files = { harnessPath: options.harnessPath ?? DEFAULT_HARNESS, elfPath: options.elfPath ?? DEFAULT_ELF };
  if (options.build) build();
  const problem = twinBuildProblem(files);
  if (problem) fail(problem);

  const twin = new FirmwareTwin({ ...files, seed: options.seed, bootloader: options.bootloader ?? undefined, log });
  for (const { ch, value } of options.stuck) twin.stickSensor(ch, value);
  // Several twins may run at once: each names its pty in a directory of its own.
  const dir = mkdtempSync(join(tmpdir(), 'tendril-twin-'));
  // However the process ends, short of SIGKILL: a harness left running keeps its pty and CPU.
  process.on('exit', () => {
    twin.killNow();
    rmSync(dir, { recursive: true, force: true });
  });

  let closing = false;
  const shutdown = async (code: number): Promise<void> => {
    if (closing) return;
    closing = true;
    await twin.stop().catch((err: Error) => log(`while closing: ${err.message}`));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  let ptyPath: string;
  try {
    ptyPath = await twin.start();
  } catch (err) {
    log(`cannot start: ${(err as Error).message}`);
    return shutdown(1);
  }
  void twin.exited.then(() => {
    if (closing) return;
    log('the harness exited on its own; stopping');
    void shutdown(1);
  });
  // The host opens this path; it follows the harness's pty across a replug, and is gone while
  // the cable is out, as the simulator's socat link is.
  const hostPath = join(dir, 'tty-host');
  const pointHostAt = (pty: string | null): void => {
    rmSync(hostPath, { force: true });
    if (pty !== null) symlinkSync(pty, hostPath);
  };
  const cable: CableHooks = {
    unplugged: () => pointHostAt(null),
    replugged: (pty) => {
      pointHostAt(pty);
      log(`plugged back in; the UART is now ${pty}`);
      return [`serial: ${hostPath}`];
    },
  };
  pointHostAt(ptyPath);
  log(`firmware ${files.elfPath} running; its UART is ${ptyPath}`);
  say(`serial: ${hostPath}`);

  // Answers keep the order of the commands, though some wait for the harness.
  let queue = Promise.resolve();
  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (line) => {
    queue = queue
      .then(async () => {
        for (const answer of await runControl(line, twin, cable)) say(answer);
      })
      .catch((err: Error) => log(err.message));
  });
  input.on('close', () => void queue.then(() => shutdown(0)));
}

void main();
