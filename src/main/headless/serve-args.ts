/**
 * The headless entry's flags. Pure: turns argv into options or into one sentence that says what
 * is wrong and what to do, so the entry can print it and exit with code 2.
 */
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BAUD } from '../station/settings';

export interface ServeOptions {
  simulate: boolean;
  serial: string | null;
  baud: number;
  host: string;
  port: number;
  dataDir: string;
  timeScale: number;
  help: boolean;
}

export const SERVE_USAGE = `Usage: npm run serve -- [options]

  --simulate          run on the built-in simulated station
  --serial PATH       the controller's serial port (or "auto" to find it)
  --baud N            serial speed (default ${DEFAULT_BAUD})
  --host ADDRESS      address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)
  --port N            port to listen on (default 4545; 0 picks a free one)
  --data DIR          data folder (default: the desktop app's)
  --time-scale N      run the simulated station N times faster (default 1)
  --help              show this help

With neither --simulate nor --serial, the port saved in the data folder's settings is used,
or the simulated station when none is saved.`;

export class UsageError extends Error {}

/** The same folder Electron uses as userData for an app named Tendril. */
export function defaultDataDir(platform = process.platform, env = process.env, home = homedir()): string {
  if (env.TENDRIL_DATA) return env.TENDRIL_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Tendril');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Tendril');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Tendril');
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return n;
}

export function parseServeArgs(argv: string[]): ServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        simulate: { type: 'boolean', default: false },
        serial: { type: 'string' },
        baud: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '4545' },
        data: { type: 'string' },
        'time-scale': { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    // Node's messages name the flag; keep their first sentence and point to our help instead.
    const reason = (err as Error).message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '');
    throw new UsageError(`${reason}; run "npm run serve -- --help" for the options`);
  }
  if (values.simulate && values.serial !== undefined) {
    throw new UsageError('--simulate and --serial cannot be used together; choose the simulated station or a port');
  }
  if (values.serial === '') throw new UsageError('--serial needs a port path such as /dev/ttyUSB0, or "auto"');
  if (values.host === '') throw new UsageError('--host needs an address such as 127.0.0.1 or 0.0.0.0');
  const timeScale = Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 1000) {
    throw new UsageError(`--time-scale must be a number from 1 to 1000, not "${values['time-scale']}"`);
  }
  return {
    simulate: values.simulate,
    serial: values.serial ?? null,
    baud: values.baud === undefined ? DEFAULT_BAUD : wholeNumber('baud', values.baud, 50, 4_000_000),
    host: values.host,
    port: wholeNumber('port', values.port, 0, 65535),
    dataDir: values.data ?? defaultDataDir(),
    timeScale,
    help: values.help,
  };
}
