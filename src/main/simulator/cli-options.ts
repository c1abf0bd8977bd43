/**
 * Command-line flags of the simulator CLI. Pure, so the parsing is tested without a process.
 */
import { BAUD_RULE, DEFAULT_BAUD, isBaud } from '../../shared/baud';
import type { FaultSchedule } from './fault-schedule';
import { defaultLayout } from './layout';

export interface CliOptions extends FaultSchedule {
  /** A socat pty pair (the default), or an existing tty. */
  link: { kind: 'pty' } | { kind: 'port'; path: string };
  baud: number;
  seed: number;
  timeScale: number;
  watchdogMs: number;
  /** Real milliseconds between rounds of sensor reads; null for a simulated second. */
  readEveryMs: number | null;
  corruptRate: number;
  stuck: Array<{ ch: string; value?: number }>;
}

export const USAGE = `usage: npm run simulator -- [--pty | --port PATH] [options]
  --pty                 a socat pty pair for the app (the default); prints "serial: <path>"
  --port PATH           use an existing serial port instead
  --baud N              baud rate (default 115200)
  --seed N              seeds sensor noise and injected faults (default 1)
  --time-scale N        simulated seconds per real second for physics and actions (default 1);
                        sensors are then read once a simulated second, at most every 50 ms
  --read-every MS       read the sensors every MS of real time instead, whatever the time scale
  --watchdog MS         the device watchdog, reported in HELLO (default 3000)
faults:
  --garbage-every MS    send a burst of line noise every MS
  --corrupt-rate R      give each outgoing line a wrong checksum with probability R (0 to 1)
  --silent-after MS     stop sending and reading after MS (the watchdog still runs)
  --stuck SENSOR[=V]    freeze a sensor at V or at its present value (repeatable)
  --drop-after MS       drop the link once after MS, as "unplug" does (--pty kills socat, so the
                        app's pty vanishes; --port closes the port)
  --replug-after MS     with --drop-after: plug back in MS after the drop (prints "serial:" again)
  --reset-after MS      reboot the device once after MS, mid-action if one is running
stdin commands: snapshot | unplug | replug | garbage [N] | corrupt N | corrupt-rate R | silent on|off
  | reset | stuck CH [VALUE|off] | supply on|off | outlet blocked|clear | meter METER stuck|ok | button
  | relay CH on|off | help`;

export type Parsed = { ok: true; options: CliOptions } | { ok: false; error: string } | { ok: 'help' };

export function parseCliArgs(argv: readonly string[]): Parsed {
  const options: CliOptions = {
    link: { kind: 'pty' },
    baud: DEFAULT_BAUD,
    seed: 1,
    timeScale: 1,
    watchdogMs: 3000,
    readEveryMs: null,
    garbageEveryMs: null,
    corruptRate: 0,
    silentAfterMs: null,
    dropAfterMs: null,
    replugAfterMs: null,
    resetAfterMs: null,
    stuck: [],
  };
  const sensors = new Set(defaultLayout().sensors.map((s) => s.id));
  let sawPty = false;
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const number = (flag: string, check: (n: number) => boolean, what: string): number => {
    const text = value(flag);
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !check(n)) throw new Error(`${flag} must be ${what}, not "${text}"`);
    return n;
  };
  const positive = (n: number) => n > 0;
  const wholePositive = (n: number) => Number.isInteger(n) && n > 0;
  const wholeOrZero = (n: number) => Number.isInteger(n) && n >= 0;

  try {
    for (; i < argv.length; i++) {
      const flag = argv[i]!;
      switch (flag) {
        case '--help':
        case '-h':
          return { ok: 'help' };
        case '--pty':
          sawPty = true;
          break;
        case '--port':
          options.link = { kind: 'port', path: value(flag) };
          break;
        case '--baud':
          options.baud = number(flag, isBaud, BAUD_RULE);
          break;
        case '--seed':
          options.seed = number(flag, Number.isInteger, 'a whole number');
          break;
        case '--time-scale':
          options.timeScale = number(flag, positive, 'a positive number');
          break;
        case '--watchdog':
          options.watchdogMs = number(flag, wholePositive, 'whole milliseconds');
          break;
        case '--read-every':
          options.readEveryMs = number(flag, wholePositive, 'whole milliseconds');
          break;
        case '--garbage-every':
          options.garbageEveryMs = number(flag, wholePositive, 'whole milliseconds');
          break;
        case '--corrupt-rate':
          options.corruptRate = number(flag, (n) => n >= 0 && n <= 1, 'between 0 and 1');
          break;
        case '--silent-after':
          options.silentAfterMs = number(flag, wholeOrZero, 'whole milliseconds');
          break;
        case '--drop-after':
          options.dropAfterMs = number(flag, wholeOrZero, 'whole milliseconds');
          break;
        case '--replug-after':
          options.replugAfterMs = number(flag, wholeOrZero, 'whole milliseconds');
          break;
        case '--reset-after':
          options.resetAfterMs = number(flag, wholeOrZero, 'whole milliseconds');
          break;
        case '--stuck':
          options.stuck.push(parseStuckSensor(value(flag), sensors));
          break;
        default:
          throw new Error(`unknown flag "${flag}"`);
      }
    }
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (sawPty && options.link.kind === 'port') return { ok: false, error: '--pty and --port cannot be used together' };
  // Counted from the drop, so on its own it would never fire; say so rather than ignore it.
  if (options.replugAfterMs !== null && options.dropAfterMs === null) return { ok: false, error: '--replug-after needs --drop-after' };
  return { ok: true, options };
}

/** `--stuck CH[=VALUE]`: a sensor to freeze from the start, at VALUE or at its first reading. */
export function parseStuckSensor(text: string, sensors: ReadonlySet<string>): { ch: string; value?: number } {
  const [ch = '', at] = text.split('=');
  if (!sensors.has(ch)) throw new Error(`--stuck: no sensor "${ch}" (sensors: ${[...sensors].join(', ')})`);
  const v = at === undefined ? undefined : Number(at);
  if (v !== undefined && (at === '' || !Number.isFinite(v))) throw new Error(`--stuck: "${at}" is not a number`);
  return v === undefined ? { ch } : { ch, value: v };
}
