/**
 * The firmware twin's I/O edge: runs the emulator harness on the firmware ELF, feeds each line
 * it prints to the bench, and writes back what the bench asks for. The harness owns the AVR and
 * its UART pty; this process owns the water.
 *
 * Harness stdout, one message a line: `serial <pty>` first, then `out <id> <0|1> <cycle>`,
 * `t <cycle>` every 10 ms emulated, `stopbyte <cycle>`, `reset <cycle> <why>`, and one
 * `ok <command...>` or `error: <text>` per stdin command, in order. Harness stdin: `sensor <id>
 * <value>`, `pulses <id> <total>`, `float <0|1>`, `button`, `hang`, `stall`, `reset`, `stack`, `loop`, and the
 * wire faults `unplug`, `replug` (a new `serial <pty>` line first), `silent <on|off>`,
 * `garbage <bytes>`, `corrupt <lines>`; then `quit`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TwinBench, type BenchOptions, type FirmwareTwinSnapshot, type FloatMode } from './bench';
import { DEFAULT_ELF, DEFAULT_HARNESS, twinBuildProblem, type TwinFiles } from './build';
import { parseHarnessLine } from './harness-lines';

export interface LoopTiming {
  passes: number;
  passUs: { typical: number; worst: number };
  periodUs: { typical: number; worst: number };
}

export interface FirmwareTwinOptions extends Partial<TwinFiles>, BenchOptions {
  /**
   * Plays the Mega's stock bootloader, which clears the reset cause (MCUSR) before the firmware
   * starts, at power-on and after every reset. Without it, the firmware runs from reset itself.
   */
  bootloader?: 'stk500v2';
  /** Diagnostics for people, the harness's stderr among them. */
  log?: (line: string) => void;
}

/** The harness must print its pty within this long, or something is wrong with it. */
const START_TIMEOUT_MS = 10_000;
const QUIT_GRACE_MS = 2_000;
const STDERR_TAIL_LINES = 5;

/** Settles one command when the harness answers it, or when the harness has gone. */
type Settle = (answer: { ok: boolean; text: string } | Error) => void;

export class FirmwareTwin {
  private readonly files: TwinFiles;
  private readonly bench: TwinBench;
  private readonly log: (line: string) => void;
  private child: ChildProcessWithoutNullStreams | null = null;
  private exitPromise: Promise<void> = Promise.resolve();
  private gone: Error | null = null;
  private readonly pending: Settle[] = [];
  private readonly stderrTail: string[] = [];
  private ptyPath: string | null = null;
  private readonly bootloader: 'stk500v2' | null;

  constructor(options: FirmwareTwinOptions = {}) {
    this.files = { harnessPath: options.harnessPath ?? DEFAULT_HARNESS, elfPath: options.elfPath ?? DEFAULT_ELF };
    this.bench = new TwinBench(options);
    this.log = options.log ?? (() => {});
    this.bootloader = options.bootloader ?? null;
  }

  /** The pty the harness made for UART0, once started. */
  get serialPath(): string | null {
    return this.ptyPath;
  }

  /** Resolves when the harness has gone, for whatever reason. */
  get exited(): Promise<void> {
    return this.exitPromise;
  }

  /** Starts the harness and resolves with its pty path; throws NOT_BUILT when a file is missing. */
  async start(): Promise<string> {
    if (this.child) throw new Error('the firmware twin is already running');
    const problem = twinBuildProblem(this.files);
    if (problem) throw new Error(problem);

    const args = [...(this.bootloader ? ['--bootloader', this.bootloader] : []), this.files.elfPath];
    const child = spawn(this.files.harnessPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let announce: (path: string) => void = () => {};
    const announced = new Promise<string>((resolve) => {
      announce = resolve;
    });
    this.exitPromise = new Promise<void>((resolve) => {
      const onGone = (why: string) => {
        if (this.gone) return;
        this.gone = new Error(`the firmware twin's harness ${why}${this.stderrSummary()}`);
        for (const settle of this.pending.splice(0)) settle(this.gone);
        resolve();
      };
      // 'close', not 'exit': by then the last stderr lines have been read too.
      child.once('close', (code, signal) => onGone(signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (err) => onGone(`could not run: ${err.message}`));
    });
    child.stdin.on('error', (err) => this.log(`writing to the harness: ${err.message}`));
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      this.log(`harness: ${line}`);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = parseHarnessLine(line);
      switch (message.kind) {
        case 'serial':
          if (this.ptyPath !== null) {
            // A replug: the harness made a fresh pty, and says so before its `ok replug`.
            this.ptyPath = message.path;
            break;
          }
          this.ptyPath = message.path;
          for (const command of this.bench.receive(message)) this.send(command);
          announce(message.path);
          break;
        case 'answer': {
          const settle = this.pending.shift();
          if (settle) settle(message);
          else this.log(`an answer nobody asked for: ${line}`);
          break;
        }
        case 'unknown':
          this.log(`not understood from the harness: ${line}`);
          break;
        default:
          for (const command of this.bench.receive(message)) this.send(command);
      }
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        announced,
        this.exitPromise.then(() => Promise.reject(this.gone!)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the harness printed no serial line within ${START_TIMEOUT_MS} ms${this.stderrSummary()}`)), START_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      this.killNow();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Presses the stop button for 50 ms of emulated time. */
  async pressButton(): Promise<void> {
    await this.request('button');
  }

  /** Pulses the reset pin, as a Mega's USB chip does whenever a host opens its port. */
  async pressReset(): Promise<void> {
    await this.request('reset');
  }

  /** Makes the firmware hang with interrupts off; only the AVR's hardware watchdog reset gets it out. */
  async hang(): Promise<void> {
    await this.request('hang');
  }

  /** Sticks the main loop with interrupts still on: the hardware watchdog's interrupt runs, then its reset. */
  async stall(): Promise<void> {
    await this.request('stall');
  }

  /** The deepest the firmware's stack has reached since its last reset, in bytes. */
  async stackBytes(): Promise<number> {
    const answer = await this.request('stack');
    const bytes = Number(/^ok stack (\d+)$/.exec(answer)?.[1] ?? NaN);
    if (!Number.isInteger(bytes)) throw new Error(`the harness answered "${answer}" to stack`);
    return bytes;
  }

  /**
   * The main loop's timing since the last call or reset, in emulated µs: a pass is the work from
   * entering station_loop() to the core going to sleep, the period is from one entry to the next.
   * Typical is the median.
   */
  async loopTiming(): Promise<LoopTiming> {
    const answer = await this.request('loop');
    const m = /^ok loop passes (\d+) busy (\d+) (\d+) period (\d+) (\d+)$/.exec(answer);
    if (!m) throw new Error(`the harness answered "${answer}" to loop`);
    const [passes, passTypical, passWorst, periodTypical, periodWorst] = m.slice(1).map(Number) as [number, number, number, number, number];
    return { passes, passUs: { typical: passTypical, worst: passWorst }, periodUs: { typical: periodTypical, worst: periodWorst } };
  }

  /** Pulls the virtual cable: the harness closes the pty, and bytes go nowhere. */
  async unplug(): Promise<void> {
    await this.request('unplug');
  }

  /** Plugs it back in; resolves with the fresh pty the harness made. */
  async replug(): Promise<string> {
    await this.request('replug');
    return this.ptyPath!;
  }

  /** A device that neither sends nor reads, its port still open. */
  async setSilent(on: boolean): Promise<void> {
    await this.request(`silent ${on ? 'on' : 'off'}`);
  }

  /** `bytes` of line noise, then LF, between two of the firmware's lines. */
  async sendGarbage(bytes: number): Promise<void> {
    await this.request(`garbage ${bytes}`);
  }

  /** The firmware's next `lines` lines reach the host with a wrong checksum. */
  async corruptNext(lines: number): Promise<void> {
    await this.request(`corrupt ${lines}`);
  }

  /** on: tripped (high water) whatever the level; off: released; auto: the water decides. */
  setFloatSwitch(mode: FloatMode): void {
    for (const command of this.bench.setFloatMode(mode)) this.send(command);
  }

  stickSensor(ch: string, value?: number): void {
    this.bench.stickSensor(ch, value);
  }

  unstickSensor(ch: string): void {
    this.bench.unstickSensor(ch);
  }

  setWaterSupply(on: boolean): void {
    this.bench.setWaterSupply(on);
  }

  snapshot(): FirmwareTwinSnapshot {
    return this.bench.snapshot();
  }

  /** Sends one harness command; resolves with its `ok` line, rejects with its error. */
  request(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.send(command, (answer) => {
        if (answer instanceof Error) reject(answer);
        else if (answer.ok) resolve(answer.text);
        else reject(new Error(answer.text));
      });
    });
  }

  /** Asks the harness to quit, then makes it. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.gone) return this.exitPromise;
    this.send('quit');
    const timer = setTimeout(() => child.kill('SIGKILL'), QUIT_GRACE_MS);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** For `process.on('exit')`, where nothing asynchronous runs any more. */
  killNow(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private send(command: string, settle?: Settle): void {
    const done =
      settle ??
      ((answer) => {
        if (answer instanceof Error) return;
        if (!answer.ok) this.log(`the harness refused "${command}": ${answer.text}`);
      });
    const child = this.child;
    if (this.gone || !child) return done(this.gone ?? new Error('the firmware twin is not running'));
    this.pending.push(done);
    child.stdin.write(`${command}\n`);
  }

  private stderrSummary(): string {
    return this.stderrTail.length ? `: ${this.stderrTail.join(' | ')}` : ' (it said nothing on stderr)';
  }
}
