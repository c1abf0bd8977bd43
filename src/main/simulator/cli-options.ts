/**
 * Command-line flags of the simulator CLI. Pure, so the parsing is tested without a process.
 */
import { defaultLayout } from './layout';

export interface CliOptions {
  /** A socat pty pair (the default), or an existing tty. */
  link: { kind: 'pty' } | { kind: 'port'; path: string };
  baud: number;
  seed: number;
  timeScale: number;
  watchdogMs: number;
  garbageEveryMs: number | null;
  corruptRate: number;
  silentAfterMs: number | null;
  stuck: Array<{ ch: string; value?: number }>;
}

export const USAGE = `usage: npm run simulator -- [--pty | --port PATH] [--baud N] [--seed N] [--time-scale N]
  [--watchdog MS] [--garbage-every MS] [--corrupt-rate R] [--silent-after MS] [--stuck SENSOR[=VALUE]]...
stdin commands: snapshot | unplug | replug | garbage [N] | corrupt N | corrupt-rate R | silent on|off
  | reset | stuck CH [VALUE|off] | supply on|off | button | help`;

export type Parsed = { ok: true; options: CliOptions } | { ok: false; error: string } | { ok: 'help' };

export function parseCliArgs(argv: readonly string[]): Parsed {
  const options: CliOptions = {
    link: { kind: 'pty' },
    baud: 115200,
    seed: 1,
    timeScale: 1,
    watchdogMs: 3000,
    garbageEveryMs: null,
    corruptRate: 0,
    silentAfterMs: null,
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
          options.baud = number(flag, wholePositive, 'a whole number of baud');
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
        case '--garbage-every':
          options.garbageEveryMs = number(flag, wholePositive, 'whole milliseconds');
          break;
        case '--corrupt-rate':
          options.corruptRate = number(flag, (n) => n >= 0 && n <= 1, 'between 0 and 1');
          break;
        case '--silent-after':
          options.silentAfterMs = number(flag, (n) => Number.isInteger(n) && n >= 0, 'whole milliseconds');
          break;
        case '--stuck': {
          const [ch = '', at] = value(flag).split('=');
          if (!sensors.has(ch)) throw new Error(`--stuck: no sensor "${ch}" (sensors: ${[...sensors].join(', ')})`);
          const v = at === undefined ? undefined : Number(at);
          if (v !== undefined && (at === '' || !Number.isFinite(v))) throw new Error(`--stuck: "${at}" is not a number`);
          options.stuck.push(v === undefined ? { ch } : { ch, value: v });
          break;
        }
        default:
          throw new Error(`unknown flag "${flag}"`);
      }
    }
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (sawPty && options.link.kind === 'port') return { ok: false, error: '--pty and --port cannot be used together' };
  return { ok: true, options };
}
