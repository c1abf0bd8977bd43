/**
 * The headless entry's flags. Pure: turns argv into options or into one sentence that says what
 * is wrong and what to do, so the entry can print it and exit with code 2.
 */
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BAUD_RULE, DEFAULT_BAUD, isBaud } from '../../shared/baud';
import { DEFAULT_MQTT, MAX_LAN_WORKERS, mqttUrlProblem, warningOf, type LoadedSettings } from '../settings';
import { redisUrlProblem } from '../lan/workers/redis-link';
import { mqttSettingsFrom, type MqttSettings } from '../mqtt';
import type { StationSource } from '../station';

export interface ServeOptions {
  simulate: boolean;
  serial: string | null;
  baud: number;
  /** Null when not given: `lan` in settings.json decides, else the defaults (see listenAt). */
  host: string | null;
  port: number | null;
  dataDir: string;
  timeScale: number;
  /** Print fresh pairing links even though an operator is paired already. */
  printPairing: boolean;
  /** The MQTT broker to publish to, over `mqtt.url` in settings.json; null when not given. */
  mqtt: string | null;
  /** The CA file for an mqtts:// broker, over `mqtt.caFile`. */
  mqttCa: string | null;
  /** Worker processes for the screens, over `lan.workers`; null when not given. */
  workers: number | null;
  /** The Redis that carries the feed to the workers; null: a private one when there are workers. */
  redis: string | null;
  /** Only screens' workers for a station on another host, through --redis. */
  screensOnly: boolean;
  help: boolean;
}

export const SERVE_USAGE = `Usage: npm run serve -- [options]

  --simulate          run on the built-in simulated station
  --serial PATH       the controller's serial port (or "auto" to find it)
  --baud N            serial speed (default ${DEFAULT_BAUD})
  --host ADDRESS      address to listen on (default lan.host in the settings, else
                      127.0.0.1; 0.0.0.0 for the LAN)
  --port N            port to listen on (default lan.port in the settings, else 4545;
                      0 picks a free one)
  --data DIR          data folder (default: the desktop app's)
  --time-scale N      run the simulated station N times faster (default 1); with
                      --serial, the controller on that port is the simulator run
                      N times faster (npm run simulator -- --time-scale N), so job
                      timers run N times faster too
  --print-pairing     print fresh pairing links even though an operator screen is
                      paired already (they are printed anyway until one is)
  --mqtt URL          publish the station to this MQTT broker, with Home Assistant
                      discovery (mqtt://user:password@host:1883; default mqtt.url
                      in the settings, else off; see docs/mqtt.md)
  --mqtt-ca FILE      the CA certificate (PEM) that signed an mqtts:// broker's
                      certificate (default mqtt.caFile in the settings)
  --workers N         serve screens from N worker processes, fed through Redis; the
                      station stays in this process (default lan.workers in the
                      settings, else 0: one process; see docs/deployment.md)
  --redis URL         the Redis the workers share (redis://host:6379); without it,
                      a private redis-server is started on a socket in the data
                      folder and stopped with Tendril
  --screens-only      run only the workers, for a station on another host that
                      shares the same --redis (no serial port, no data of its own)
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

function baudFlag(text: string): number {
  const baud = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!isBaud(baud)) throw new UsageError(`--baud must be ${BAUD_RULE}, not "${text}"`);
  return baud;
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
        host: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        'time-scale': { type: 'string', default: '1' },
        'print-pairing': { type: 'boolean', default: false },
        mqtt: { type: 'string' },
        'mqtt-ca': { type: 'string' },
        workers: { type: 'string' },
        redis: { type: 'string' },
        'screens-only': { type: 'boolean', default: false },
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
  if (values.mqtt !== undefined) {
    const problem = mqttUrlProblem(values.mqtt);
    if (problem) throw new UsageError(`--mqtt ${problem}`);
  }
  if (values.redis !== undefined) {
    const problem = redisUrlProblem(values.redis);
    if (problem) throw new UsageError(`--redis ${problem}`);
  }
  if (values['mqtt-ca'] === '') throw new UsageError('--mqtt-ca needs the path of a PEM file');
  const timeScale = Number(values['time-scale']);
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 1000) {
    throw new UsageError(`--time-scale must be a number from 1 to 1000, not "${values['time-scale']}"`);
  }
  return {
    simulate: values.simulate,
    serial: values.serial ?? null,
    baud: values.baud === undefined ? DEFAULT_BAUD : baudFlag(values.baud),
    host: values.host ?? null,
    port: values.port === undefined ? null : wholeNumber('port', values.port, 0, 65535),
    dataDir: values.data ?? defaultDataDir(),
    timeScale,
    printPairing: values['print-pairing'],
    mqtt: values.mqtt ?? null,
    mqttCa: values['mqtt-ca'] ?? null,
    workers: values.workers === undefined ? null : wholeNumber('workers', values.workers, 0, MAX_LAN_WORKERS),
    redis: values.redis ?? null,
    screensOnly: values['screens-only'],
    help: values.help,
  };
}

/** Where headless listens when neither the command line nor settings.json says: this machine only. */
export const HEADLESS_LISTEN = { host: '127.0.0.1', port: 4545 } as const;

/**
 * Where headless listens: each of --host and --port, else `lan` in settings.json, else
 * HEADLESS_LISTEN (not the desktop's 0.0.0.0: a server nobody pointed at the LAN stays off it).
 * Headless is nothing but its LAN server, so a section that switches it off, or that cannot be
 * read, is refused unless the command line says where to listen instead.
 */
export function listenAt(options: Pick<ServeOptions, 'host' | 'port'>, settings: Pick<LoadedSettings, 'file' | 'lanGiven' | 'warnings'>): { host: string; port: number } {
  const overridden = options.host !== null || options.port !== null;
  const problem = settings.warnings.find((warning) => warning.section === 'lan')?.issue;
  if (problem && !(options.host !== null && options.port !== null)) {
    throw new UsageError(`${settings.file}: ${problem}; fix it, or pass --host and --port to say where to listen`);
  }
  if (settings.lanGiven.enabled === false && !overridden) {
    throw new UsageError(
      `${settings.file}: lan.enabled is false, but headless Tendril is used only through its LAN server; ` +
        'set it to true or remove it (the desktop app honours it), or pass --host or --port to listen anyway',
    );
  }
  return {
    host: options.host ?? settings.lanGiven.host ?? HEADLESS_LISTEN.host,
    port: options.port ?? settings.lanGiven.port ?? HEADLESS_LISTEN.port,
  };
}

/** Which controller to reach: the command line's choice, else the one saved in settings.json. */
export function sourceFrom(options: Pick<ServeOptions, 'simulate' | 'serial' | 'baud' | 'timeScale'>, settings: LoadedSettings, log: (line: string) => void): StationSource {
  if (options.simulate) return { kind: 'simulated', timeScale: options.timeScale };
  if (options.serial === 'auto') return { kind: 'auto', baud: options.baud };
  if (options.serial) return { kind: 'serial', path: options.serial, baud: options.baud, ...(options.timeScale !== 1 ? { timeScale: options.timeScale } : {}) };
  const saved = settings.station;
  const warning = warningOf(settings, 'station');
  if (warning) log(`settings: ${warning}`);
  return saved.kind === 'simulated' ? { kind: 'simulated', timeScale: options.timeScale } : saved;
}

/**
 * Where to publish: --mqtt and --mqtt-ca over `mqtt` in settings.json, whose other keys (the
 * prefix, the station id, discovery) still apply. Undefined leaves it to settings.json alone.
 */
export function mqttFrom(options: Pick<ServeOptions, 'mqtt' | 'mqttCa'>, settings: Pick<LoadedSettings, 'mqtt'>): MqttSettings | undefined {
  if (options.mqtt === null && options.mqttCa === null) return undefined;
  const saved = settings.mqtt ?? { ...DEFAULT_MQTT, url: '' };
  const url = options.mqtt ?? saved.url;
  if (!url) throw new UsageError('--mqtt-ca is for an mqtts:// broker; give its address with --mqtt or mqtt.url in the settings');
  return mqttSettingsFrom({ ...saved, url, ...(options.mqttCa !== null ? { caFile: options.mqttCa } : {}) });
}

/**
 * How many worker processes serve the screens, and through which Redis: --workers over
 * `lan.workers` in settings.json, else none. --redis means nothing without workers.
 */
export function workersFrom(options: Pick<ServeOptions, 'workers' | 'redis'> & Partial<Pick<ServeOptions, 'screensOnly'>>, settings: Pick<LoadedSettings, 'lanGiven'>): { count: number; redis: string | null } {
  const count = options.workers ?? settings.lanGiven.workers ?? 0;
  if (options.screensOnly && (count === 0 || options.redis === null)) {
    throw new UsageError("--screens-only serves a station on another host: give its Redis with --redis URL and how many workers with --workers N");
  }
  if (options.redis !== null && count === 0) {
    throw new UsageError('--redis is for the screens\' workers; add --workers N (or lan.workers in the settings), or leave --redis out');
  }
  return { count, redis: options.redis };
}
