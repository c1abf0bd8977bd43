/**
 * Command-line flags of the firmware twin CLI. Pure, so the parsing is tested without a process.
 */
import { defaultLayout } from '../simulator';
import { parseStuckSensor } from '../simulator/cli-options';
import { CONTROL_HELP } from './control';

export interface TwinCliOptions {
  harnessPath: string | null;
  elfPath: string | null;
  /** Run `npm run firmware:build` (incremental) first; off with --no-build or a custom file. */
  build: boolean;
  seed: number;
  stuck: Array<{ ch: string; value?: number }>;
  bootloader: 'stk500v2' | null;
}

export const USAGE = `usage: npm run firmware:sim -- [--pty] [options]
  The reference firmware (firmware/tendril) on an emulated ATmega2560, its pins on the
  simulator's tank model. Prints one line, "serial: <path>", for the app to open
  (npm run serve -- --serial <path>), then answers commands on stdin.
  --pty                 the emulated UART's pty (the default, and the only link)
  --harness PATH        the emulator harness (default firmware/build/tendril-twin)
  --elf PATH            the firmware to run (default firmware/build/tendril.elf)
  --no-build            skip npm run firmware:build, which otherwise runs first (it rebuilds
                        only what changed); implied by --harness or --elf
  --seed N              seeds sensor noise (default 1)
  --stuck SENSOR[=V]    freeze a sensor at V or at its present value (repeatable)
  --bootloader stk500v2 play the Mega's stock bootloader, which clears the reset cause
                        before the firmware starts
stdin ${CONTROL_HELP}
  float on trips the high-level float switch, off releases it, auto lets the water decide
  (it lifts at capacity plus 60% of the spill margin: 103 L in the default tank)`;

export type ParsedTwinCli = { ok: true; options: TwinCliOptions } | { ok: false; error: string } | { ok: 'help' };

export function parseTwinCliArgs(argv: readonly string[]): ParsedTwinCli {
  const options: TwinCliOptions = { harnessPath: null, elfPath: null, build: true, seed: 1, stuck: [], bootloader: null };
  const sensors = new Set(defaultLayout().sensors.map((s) => s.id));
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined || v.startsWith('--') || v === '') throw new Error(`${flag} needs a value`);
    return v;
  };
  try {
    for (; i < argv.length; i++) {
      const flag = argv[i]!;
      switch (flag) {
        case '--help':
        case '-h':
          return { ok: 'help' };
        case '--pty':
          break;
        case '--harness':
          options.harnessPath = value(flag);
          options.build = false;
          break;
        case '--elf':
          options.elfPath = value(flag);
          options.build = false;
          break;
        case '--no-build':
          options.build = false;
          break;
        case '--seed': {
          const text = value(flag);
          const n = Number(text);
          if (!Number.isInteger(n)) throw new Error(`--seed must be a whole number, not "${text}"`);
          options.seed = n;
          break;
        }
        case '--stuck':
          options.stuck.push(parseStuckSensor(value(flag), sensors));
          break;
        case '--bootloader': {
          const name = value(flag);
          if (name !== 'stk500v2') throw new Error(`--bootloader knows only stk500v2, not "${name}"`);
          options.bootloader = name;
          break;
        }
        default:
          throw new Error(`unknown flag "${flag}"`);
      }
    }
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  return { ok: true, options };
}
