/**
 * The one place the station is put together: the token file, the database, the station core,
 * the command door and the LAN server. The desktop app and headless both start it here, and
 * differ only in how they present it and in their policy for a part that cannot start: headless
 * has nobody to tell but its terminal, so it stops with one clear line; the desktop keeps running
 * and shows the problem where the grower will look (Settings, the log).
 */
import { join } from 'node:path';
import { plainText } from '../../shared/plain-text';
import { createStationControl, type StationControl } from '../control';
import { DATABASE_FILE, DATABASE_FILES, openStationDatabase, type StationDatabase } from '../db';
import { tightenDataFolder } from '../files/private-files';
import { databaseRecords, type HistorySource, type StationRecords } from '../history';
import { createLanServer, LanService, type LanSettingsChoice } from '../lan';
import { MqttDesk, mqttSettingsFrom, startMqtt, type MqttSettings } from '../mqtt';
import { accessDesk, presetTokensFromEnv, TokenStore } from '../lan/access';
import { createWorkerLanServer, type RedisAddress, type RedisClient } from '../lan/workers';
import { pairingUrl } from '../lan/pairing';
import { DEFAULT_LAN, historyRetention, loadMqttSection, loadSettings, SETTINGS_FILE, warningOf, type LoadedSettings, type MqttSettingsSection } from '../settings';
import { createStationCore, updateSettingsSection, type StationCore, type StationSource } from '../station';

const TOKENS_FILE = 'tokens.json';

/** The parts that can fail to start without the station being broken. */
export type StationPart = 'tokens' | 'link' | 'lan';

/**
 * What to do when a part cannot start. 'stop': close what was opened and throw a StationStartError
 * naming the part. 'carry-on':
 * - tokens: an unreadable token file leaves the LAN server off until it is fixed (nobody could
 *   pair); a bad preset token in the environment is logged and the others are used.
 * - link: the link is opened in the background and its failure logged; the shell does not wait
 *   for a port that may never open, and the state shows the link as it is.
 * - lan: the reason is kept in the LAN status, which Settings shows, and the station runs without it.
 * The database has no policy: running without the record of doses and jobs would hide what the
 * station did, so it always stops.
 */
export type StartPolicy = Record<StationPart, 'stop' | 'carry-on'>;

export interface StartStationOptions {
  dataDir: string;
  source: StationSource;
  /** settings.json as the shell read it to choose the source; read again by the core when not given. */
  settings?: LoadedSettings;
  policy: StartPolicy;
  lan: {
    /** Whether the server is on, and where it listens. */
    choice: LanSettingsChoice;
    /** Settings may switch it and move its port, saved in settings.json; false when these come from a command line. */
    configurable: boolean;
    /** The built web UI, or null when it is not built. */
    webRoot: string | null;
    /**
     * Screens served by this many worker processes, fed through Redis (`--workers`); the
     * station itself stays in this process. Left out, one process serves everything.
     */
    workers?: { count: number; redis: RedisClient; address: RedisAddress };
  };
  log(line: string): void;
  /** Where preset tokens are read from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  /** How long close() waits for the outputs to be switched off before closing the rest anyway. */
  shutdownTimeoutMs?: number;
  /**
   * Publishing to the grower's MQTT broker (docs/mqtt.md): `mqtt` in settings.json when left
   * out, off when null. A broker that cannot be reached never stops the station: the link shows
   * it and keeps trying.
   */
  mqtt?: MqttSettings | null;
  /**
   * When fresh pairing links are made for the shell to show: 'every start', or (the default)
   * 'until an operator pairs'. Printed links end up in the terminal's scrollback and the system
   * journal, where anyone who reads them can take control; once an operator's screen is paired
   * (or automation presets an operator token), more screens are paired from Settings instead.
   */
  pairingLinks?: 'every start' | 'until an operator pairs';
}

/** Both links for the shell to show, fresh ones each time, for one origin screens can reach. */
export interface PairingLinks {
  origin: string;
  watch: string;
  control: string;
}

export interface Station {
  core: StationCore;
  control: StationControl;
  lan: LanService;
  /** The station on the MQTT broker: its settings, changed from Settings without a restart. */
  mqtt: MqttDesk;
  /** The core's sensor history: the desktop window answers from the same one as the LAN server. */
  history: HistorySource;
  records: StationRecords;
  /**
   * Fresh pairing links, one pair per origin; empty when the LAN server is not listening, and
   * when an operator is paired already unless `pairingLinks` asks for them at every start.
   */
  pairing: PairingLinks[];
  /** Outputs off and the port closed first, then the LAN server, then the database. Once. */
  close(): Promise<void>;
}

export class StationStartError extends Error {
  constructor(
    /** The part that could not start; 'database' stops the station under every policy. */
    readonly part: StationPart | 'database',
    /** Why, in the words of the part; the shell adds what to do in its own terms. */
    readonly reason: string,
    /** The file concerned, when the part is a file. */
    readonly file?: string,
  ) {
    super(reason);
  }
}

/** Every file Tendril keeps in the data folder, each the owner's alone (files/private-files.ts). */
const DATA_FILES = [...DATABASE_FILES, SETTINGS_FILE, TOKENS_FILE, 'window-state.json', 'dose-response.json'];

export async function startStation(options: StartStationOptions): Promise<Station> {
  const { dataDir, policy } = options;
  // Labels and names come from screens: whatever part logs them, a line break or a bidi override
  // in one must not forge a line of its own in the terminal, the journal or the log file.
  const log = (line: string): void => options.log(plainText(line));
  tightenDataFolder(dataDir, DATA_FILES, log);
  const tokens = await openTokens({ ...options, log });

  const databaseFile = join(dataDir, DATABASE_FILE);
  let database: StationDatabase;
  try {
    // The retention settings.json asks for; a mistake in it is reported with the other sections by the core.
    const retention = historyRetention((options.settings ?? loadSettings(dataDir)).history);
    database = openStationDatabase(databaseFile, { sensorHistory: { log, ...retention } });
  } catch (error) {
    throw new StationStartError('database', (error as Error).message, databaseFile);
  }
  const records: StationRecords = databaseRecords(database);

  // While a failed link would stop the station, its play-by-play is held back: if the port
  // cannot be opened, the grower gets one line saying what to do, not the link's attempts.
  let held: string[] | null = policy.link === 'stop' ? [] : null;
  const core = createStationCore({ source: options.source, dataDir, settings: options.settings, database, log: (line) => (held ? held.push(line) : log(line)) });

  const { choice, configurable, webRoot, workers } = options.lan;
  // The names it answers to and its caps on connections, from settings.json as the shell read it.
  const { hostNames, maxScreensPerToken, maxScreensPerAddress } = options.settings?.lan ?? DEFAULT_LAN;
  const lan = new LanService({
    settings: { ...choice, enabled: choice.enabled && tokens !== null },
    createServer: (port) => {
      const server = { core, control, tokens: tokens!, host: choice.host, port, webRoot, log, history: core.history, records, hostNames, maxScreensPerToken, maxScreensPerAddress };
      return workers ? createWorkerLanServer({ ...server, workers: workers.count, redis: workers.redis, redisAddress: workers.address }) : createLanServer(server);
    },
    save: configurable && tokens ? ({ enabled, port }) => updateSettingsSection(dataDir, 'lan', { enabled, port }) : null,
    log,
  });
  // The desk starts MQTT itself and starts it again whenever Settings changes it; the door asks it.
  let mqtt: MqttDesk | null = null;
  const control = createStationControl(core, {
    log,
    lan,
    ...(tokens ? { access: accessDesk(tokens, () => lan.origins()) } : {}),
    mqtt: { status: () => mqtt!.status(), configure: (input, by) => mqtt!.configure(input, by) },
  });
  const mqttWarning = options.settings ? warningOf(options.settings, 'mqtt') : undefined;
  if (mqttWarning && options.mqtt === undefined) log(`settings: ${mqttWarning}`);
  const saved = savedMqtt(dataDir, options.settings);
  mqtt = new MqttDesk({
    dataDir,
    saved,
    // --mqtt (headless) names the broker; it wins over Settings while given (docs/mqtt.md).
    commandLine: options.mqtt ? { url: options.mqtt.url, ...(options.mqtt.caFile !== undefined ? { caFile: options.mqtt.caFile } : {}) } : null,
    initial: options.mqtt !== undefined ? options.mqtt : saved.value?.enabled ? mqttSettingsFrom(saved.value) : null,
    start: (settings: MqttSettings) => startMqtt(core, settings, log, control, () => lan.origins()?.[0] ?? null),
    switchedOff: () => {
      core.setBrokerLink(null);
      core.setFleet(null);
    },
    audit: database.settingsAudit,
    log,
  });
  const mqttDesk = mqtt;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await withinTimeout(core.shutdown(), options.shutdownTimeoutMs);
      } catch (error) {
        log(`Tendril could not shut the station down cleanly: ${String(error)}`);
      }
      // After the outputs are off, so subscribers see the station's last state before "offline".
      await mqttDesk.close();
      await lan.close();
      database.close();
    })());

  const stopWith = async (part: StationPart, reason: string): Promise<never> => {
    await close();
    throw new StationStartError(part, reason);
  };

  if (policy.link === 'stop') {
    try {
      await core.start();
    } catch (error) {
      return stopWith('link', (error as Error).message);
    }
    const lines = held ?? [];
    held = null;
    for (const line of lines) log(line);
  } else {
    core.start().catch((error: unknown) => log(`Tendril could not start the station link: ${String(error)}`));
  }

  const status = await lan.start();
  if (status.enabled && !status.listening && policy.lan === 'stop') {
    return stopWith('lan', status.problem ?? 'unknown reason');
  }

  let pairing: PairingLinks[] = [];
  if (status.listening && tokens) {
    try {
      if (options.pairingLinks === 'every start' || !operatorPaired(tokens)) {
        const start = tokens.renewStartTokens();
        pairing = status.origins.map((origin) => ({ origin, watch: pairingUrl(origin, start.viewer), control: pairingUrl(origin, start.operator) }));
      } else {
        tokens.dropUnusedStartTokens();
      }
    } catch (error) {
      if (policy.tokens === 'stop') return stopWith('tokens', (error as Error).message);
      log(`lan: ${(error as Error).message}`);
    }
  }

  return { core, control, lan, mqtt: mqttDesk, history: core.history, records, pairing, close };
}

/**
 * settings.json's `mqtt` as it is on disk, switched off or not, for Settings to show; the
 * settings the shell read when the file has none (a test's, say).
 */
function savedMqtt(dataDir: string, settings: LoadedSettings | undefined): { value: MqttSettingsSection | null; warning?: string } {
  const onDisk = loadMqttSection(dataDir);
  if (onDisk.value || onDisk.warning) return onDisk;
  return { value: settings?.mqtt ?? null };
}

/**
 * Whether some operator can reach the station already: a screen paired from Settings, a start
 * link that was opened, or a token preset by automation. A start link nobody opened does not
 * count, so a grower who missed the first start's links gets fresh ones at the next.
 */
function operatorPaired(tokens: TokenStore): boolean {
  return tokens.list().some((token) => token.role === 'operator' && !(token.source === 'start' && token.usedAt === null));
}

/** Who may use the station from other screens; null (and the LAN server off) when the policy carries on without. */
async function openTokens(options: StartStationOptions): Promise<TokenStore | null> {
  const { policy, log } = options;
  let tokens: TokenStore;
  try {
    tokens = await TokenStore.open(join(options.dataDir, TOKENS_FILE));
  } catch (error) {
    if (policy.tokens === 'stop') throw new StationStartError('tokens', (error as Error).message);
    log(`lan: ${(error as Error).message}`);
    return null;
  }
  const problem = presetTokensFromEnv(tokens, options.env ?? process.env);
  if (problem) {
    if (policy.tokens === 'stop') throw new StationStartError('tokens', problem);
    log(`lan: ${problem}`);
  }
  return tokens;
}

function withinTimeout(work: Promise<void>, ms: number | undefined): Promise<void> {
  if (ms === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((done) => (timer = setTimeout(done, ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
