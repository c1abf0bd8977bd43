/**
 * The MQTT settings changed from Settings (`mqtt.status`, `mqtt.configure`): written to `mqtt` in
 * settings.json, one audit row per setting changed (the password only as "password changed"),
 * and applied at once: the running publisher says "offline" and closes, as at shutdown, and a
 * new one connects with the new settings. No restart, and no screen ever sees the password.
 *
 * A broker given on the command line (`tendril serve --mqtt`) wins while it is given: the form
 * shows its address and cannot change it or the CA file; the rest is the form's.
 */
import type { SecretState } from '../../shared/notify';
import type { MqttSettingsInput, MqttSettingsView, MqttStatus } from '../../shared/mqtt-settings';
import { Refusal } from '../../shared/refusal';
import type { BrokerLinkState } from '../../shared/station';
import type { SettingsAuditEntry } from '../db/settings-audit';
import { DEFAULT_MQTT, readMqttSection, SettingsFileError, updateSettingsFile, type MqttSettingsSection } from '../settings';
import { brokerAddress, type MqttSettings } from './publisher';
import { mqttSettingsFrom } from './station-publisher';

/** A publisher and what else runs with it (the fleet watcher): closed together. */
export interface RunningMqtt {
  status(): BrokerLinkState;
  close(): Promise<void>;
}

/** Where each change is recorded: the database's settings audit, or memory. */
export interface MqttAudit {
  /** The entries written with the change they record, both or neither (see SettingsAudit.record). */
  record(entries: readonly SettingsAuditEntry[], keep: () => void): void;
}

export interface MqttDeskOptions {
  /** The data folder holding settings.json. */
  dataDir: string;
  /** settings.json's `mqtt` as read at start, switched off or not, and why it could not be used. */
  saved: { value: MqttSettingsSection | null; warning?: string };
  /** The broker given on the command line; it wins over the form's while given. */
  commandLine: { url: string; caFile?: string } | null;
  /** What runs now: the settings the shell started publishing with, or null while off. */
  initial: MqttSettings | null;
  /** Starts publishing with these settings. */
  start(settings: MqttSettings): RunningMqtt;
  /** Takes the broker link and the fleet off every screen once MQTT is switched off. */
  switchedOff(): void;
  audit: MqttAudit;
  now?: () => number;
  log(line: string): void;
}

/** What `mqtt.status` answers: the desk as the command door sees it. */
export interface MqttSettingsDesk {
  status(): MqttStatus;
  configure(input: MqttSettingsInput, by: string): Promise<MqttStatus>;
}

export class MqttDesk implements MqttSettingsDesk {
  private section: MqttSettingsSection | null;
  private problem: string | undefined;
  private running: RunningMqtt | null = null;
  /** Changes applied one after another: a second save waits for the first's reconnect. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: MqttDeskOptions) {
    this.section = options.saved.value;
    this.problem = options.saved.warning;
    if (options.initial) this.running = options.start(options.initial);
  }

  status(): MqttStatus {
    const { commandLine } = this.options;
    return {
      settings: viewOf(this.section),
      commandLine: commandLine ? { url: brokerAddress(commandLine.url), caFile: commandLine.caFile ?? '' } : null,
      broker: this.running?.status() ?? null,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /** Saves and applies `input`; a refusal changes nothing, in the file, the audit or the connection. */
  configure(input: MqttSettingsInput, by: string): Promise<MqttStatus> {
    const next = this.queue.then(() => this.apply(input, by));
    this.queue = next.catch(() => {});
    return next;
  }

  /** Closes the running publisher, saying "offline" as it goes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  private async apply(input: MqttSettingsInput, by: string): Promise<MqttStatus> {
    // A station shutting down publishes nowhere new.
    if (this.closed) throw new Refusal('NOT_READY', 'the station is stopping; change the MQTT settings once it runs again');
    const { commandLine } = this.options;
    if (commandLine && input.url !== '' && brokerAddress(input.url) !== brokerAddress(commandLine.url) && brokerAddress(input.url) !== brokerAddress(this.section?.url ?? '')) {
      throw new Refusal('INVALID', 'the broker\'s address is given on the command line (--mqtt), which wins while it is given; start Tendril without --mqtt to set it from Settings');
    }
    const section = sectionFrom(input, this.section, commandLine ? brokerAddress(commandLine.url) : null);
    const read = readMqttSection(section, 'settings');
    // The form's schema holds the same rules; this keeps what is written readable at the next start.
    if (read.warning) throw new Refusal('INVALID', read.issue ?? read.warning);
    const entries = changesOf(this.section, section).map((change) => ({ at: (this.options.now ?? Date.now)(), by, ...change }));
    if (entries.length > 0) {
      try {
        this.options.audit.record(entries, () =>
          updateSettingsFile(this.options.dataDir, (settings) => {
            settings['mqtt'] = section;
          }),
        );
      } catch (err) {
        if (err instanceof SettingsFileError) throw new Refusal('REFUSED', err.message);
        throw err;
      }
      this.options.log(`mqtt: ${by} changed ${entries.map((entry) => entry.setting).join(', ')} in Settings`);
    }
    this.section = read.value;
    this.problem = undefined;
    await this.restart();
    return this.status();
  }

  /** The old connection goes first: two connections under one client id would keep pushing each other off. */
  private async restart(): Promise<void> {
    const previous = this.running;
    this.running = null;
    await previous?.close();
    const section = this.section;
    const { commandLine } = this.options;
    if (!section?.enabled) {
      this.options.switchedOff();
      this.options.log('mqtt: switched off in Settings; nothing is published');
      return;
    }
    const url = commandLine?.url ?? section.url;
    const caFile = commandLine?.caFile ?? section.caFile;
    this.running = this.options.start(mqttSettingsFrom({ ...section, url, ...(caFile !== undefined ? { caFile } : {}) }));
  }
}

/** The password kept apart from the address, so the address may be shown and audited. */
export function splitPassword(url: string): { url: string; password?: string } {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return { url };
    const password = decodeURIComponent(parsed.password);
    return { url: brokerAddress(url), password };
  } catch {
    return { url };
  }
}

function savedPassword(section: MqttSettingsSection | null): string | undefined {
  if (!section) return undefined;
  return section.password ?? splitPassword(section.url).password;
}

/** The section to write: the form's values, the saved password unless a new one was typed or it was removed. */
function sectionFrom(input: MqttSettingsInput, saved: MqttSettingsSection | null, commandLineUrl: string | null): MqttSettingsSection {
  const urlFromCommandLine = commandLineUrl !== null;
  const fromUrl = splitPassword(input.url);
  // With --mqtt, the form's address is the command line's: the saved one stays as it was, or,
  // when there is none, the command line's without its password is written so the file reads.
  const url = commandLineUrl !== null ? splitPassword(saved?.url || commandLineUrl).url : fromUrl.url;
  const typed = input.password === undefined || input.password === '' ? undefined : input.password;
  const password = input.password === null ? undefined : (typed ?? (urlFromCommandLine ? undefined : fromUrl.password) ?? savedPassword(saved));
  const users = input.commands.users;
  const commandsGiven = input.commands.enabled || Object.keys(users).length > 0;
  return {
    enabled: input.enabled,
    url,
    ...(input.username !== '' ? { username: input.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(!urlFromCommandLine && input.caFile !== '' ? { caFile: input.caFile } : urlFromCommandLine && saved?.caFile ? { caFile: saved.caFile } : {}),
    ...(input.prefix !== '' ? { prefix: input.prefix } : {}),
    ...(input.stationId !== '' ? { stationId: input.stationId } : {}),
    ...(input.name !== '' ? { name: input.name } : {}),
    discovery: input.discovery,
    discoveryPrefix: input.discoveryPrefix,
    outageAlertMinutes: input.outageAlertMinutes,
    keepaliveSeconds: input.keepaliveSeconds,
    ...(commandsGiven
      ? { commands: { enabled: input.commands.enabled, users: { ...users }, ...(input.commands.homeAssistantUser !== '' ? { homeAssistantUser: input.commands.homeAssistantUser } : {}) } }
      : {}),
  };
}

const secretState = (password: string | undefined): SecretState => (password ? 'set' : 'not set');

/** The settings as any screen may see them. */
export function viewOf(section: MqttSettingsSection | null): MqttSettingsView {
  const saved = section ?? { ...DEFAULT_MQTT, enabled: false, url: '' };
  return {
    enabled: saved.enabled,
    url: splitPassword(saved.url).url,
    username: saved.username ?? '',
    password: secretState(savedPassword(section)),
    caFile: saved.caFile ?? '',
    prefix: saved.prefix ?? '',
    stationId: saved.stationId ?? '',
    name: saved.name ?? '',
    discovery: saved.discovery,
    discoveryPrefix: saved.discoveryPrefix,
    outageAlertMinutes: saved.outageAlertMinutes,
    keepaliveSeconds: saved.keepaliveSeconds ?? DEFAULT_MQTT.keepaliveSeconds,
    commands: {
      enabled: saved.commands?.enabled ?? false,
      users: { ...(saved.commands?.users ?? {}) },
      homeAssistantUser: saved.commands?.homeAssistantUser ?? '',
    },
  };
}

/** One row per setting changed; the password as whether it was set, and that it changed. */
export function changesOf(before: MqttSettingsSection | null, after: MqttSettingsSection): Array<Pick<SettingsAuditEntry, 'setting' | 'old' | 'new'>> {
  const old = viewOf(before);
  const next = viewOf(after);
  const changes: Array<Pick<SettingsAuditEntry, 'setting' | 'old' | 'new'>> = [];
  const compare = (setting: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ setting: `mqtt.${setting}`, old: a, new: b });
  };
  for (const key of ['enabled', 'url', 'username', 'caFile', 'prefix', 'stationId', 'name', 'discovery', 'discoveryPrefix', 'outageAlertMinutes', 'keepaliveSeconds'] as const) compare(key, old[key], next[key]);
  compare('commands.enabled', old.commands.enabled, next.commands.enabled);
  compare('commands.users', old.commands.users, next.commands.users);
  compare('commands.homeAssistantUser', old.commands.homeAssistantUser, next.commands.homeAssistantUser);
  const passwordBefore = savedPassword(before);
  const passwordAfter = savedPassword(after);
  if (passwordBefore !== passwordAfter) {
    changes.push({ setting: 'mqtt.password', old: secretState(passwordBefore), new: passwordAfter === undefined ? 'password removed' : 'password changed' });
  }
  return changes;
}
