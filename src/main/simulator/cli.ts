/**
 * The simulator as a process: `npm run simulator -- --pty` gives the app a serial port to open.
 * stdout carries only the `serial: <path>` line and answers to stdin commands; everything for
 * people goes to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SerialPort } from 'serialport';
import { parseCliArgs, USAGE, type CliOptions } from './cli-options';
import { runControl, type ControlTarget } from './control';
import { scheduleFaults } from './fault-schedule';
import { findOnPath, killPtyPairsNow, openPtyPair, type PtyPair } from './pty';
import { StationSimulator } from './simulator';

const log = (line: string): void => {
  process.stderr.write(`tendril-sim: ${line}\n`);
};
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function fail(message: string, code = 2): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate }, (err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}

/** The cable between the simulator and the app: a socat pty pair, or a tty given by path. */
class Cable {
  private pair: PtyPair | null = null;
  private port: SerialPort | null = null;
  private readonly dir: string | null;
  private unplugging = false;

  constructor(
    private readonly options: CliOptions,
    private readonly sim: StationSimulator,
  ) {
    this.dir = options.link.kind === 'pty' ? mkdtempSync(join(tmpdir(), 'tendril-sim-')) : null;
  }

  /** Connects and returns the lines to print (the app's `serial:` path in pty mode). */
  async plug(): Promise<string[]> {
    if (this.port) throw new Error('already plugged in');
    let stationPath: string;
    const lines: string[] = [];
    if (this.options.link.kind === 'pty' && this.dir) {
      const pair = await openPtyPair(join(this.dir, 'tty-host'), join(this.dir, 'tty-station'), log);
      this.pair = pair;
      void pair.exited.then(() => {
        if (this.pair !== pair || this.unplugging) return;
        log('socat exited on its own; the pty pair is gone (send "replug" to recreate it)');
        this.pair = null;
        void this.dropPort();
      });
      stationPath = pair.stationPath;
      lines.push(`serial: ${pair.hostPath}`);
    } else if (this.options.link.kind === 'port') {
      stationPath = this.options.link.path;
    } else {
      throw new Error('no link configured');
    }
    const port = await openPort(stationPath, this.options.baud);
    port.on('error', (err) => log(`port error: ${err.message}`));
    this.port = port;
    this.sim.attach(port);
    log(`station attached to ${stationPath} at ${this.options.baud} baud`);
    return lines;
  }

  async unplug(): Promise<void> {
    this.unplugging = true;
    try {
      await this.dropPort();
      const pair = this.pair;
      this.pair = null;
      await pair?.close();
    } finally {
      this.unplugging = false;
    }
  }

  async dispose(): Promise<void> {
    await this.unplug();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last resort at process exit, where nothing asynchronous runs: signal socat, remove the dir. */
  abandon(): void {
    killPtyPairsNow();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async dropPort(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.sim.detach();
    if (port) await closePort(port);
  }
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.ok === 'help') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!parsed.ok) fail(`${parsed.error}\n${USAGE.split('\n')[0]} (--help for more)`);
  const options = parsed.options;
  if (options.link.kind === 'pty' && !findOnPath('socat')) {
    fail('socat is needed for --pty; install it with: apt-get install -y socat');
  }

  const sim = new StationSimulator({ seed: options.seed, timeScale: options.timeScale, watchdogMs: options.watchdogMs, readEveryMs: options.readEveryMs ?? undefined, log });
  for (const { ch, value } of options.stuck) sim.faults.stickSensor(ch, value);
  sim.faults.corruptRate(options.corruptRate);

  const cable = new Cable(options, sim);
  // However the process ends, short of SIGKILL: a socat left running keeps the app's pty alive.
  process.on('exit', () => cable.abandon());

  // Control commands and scheduled faults run one at a time: unplug and replug take a moment,
  // and answers keep their order.
  let queue = Promise.resolve();
  const enqueue = (task: () => Promise<void>): void => {
    queue = queue.then(task).catch((err: Error) => log(err.message));
  };

  let cancelFaults = (): void => {};
  let closing = false;
  const shutdown = async (code: number): Promise<void> => {
    if (closing) return;
    closing = true;
    cancelFaults();
    sim.stop();
    await cable.dispose().catch((err: Error) => log(`while closing: ${err.message}`));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  try {
    for (const line of await cable.plug()) say(line);
  } catch (err) {
    log(`cannot connect: ${(err as Error).message}`);
    await cable.dispose();
    process.exit(1);
  }
  cancelFaults = scheduleFaults(options, sim, {
    drop: () =>
      enqueue(async () => {
        log('dropping the link (--drop-after)');
        await cable.unplug();
      }),
    replug: () =>
      enqueue(async () => {
        log('plugging back in (--replug-after)');
        for (const line of await cable.plug()) say(line);
      }),
  });

  const target: ControlTarget = { sim, unplug: () => cable.unplug(), replug: () => cable.plug() };
  createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
    enqueue(async () => {
      for (const answer of await runControl(line, target)) say(answer);
    });
  });
}

void main();
