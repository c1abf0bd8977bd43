/**
 * Settings → MQTT's copy of the settings while they are edited. The password starts empty,
 * which the station reads as "keep the saved one": the form never sees it. Numbers stay text
 * while typed, and the broker users are rows until they are saved as a map.
 */
import { MQTT_SETTINGS_INPUT_SCHEMA, type MqttRole, type MqttSettingsInput, type MqttStatus } from '../../../../shared/mqtt-settings';

export interface BrokerUserRow {
  name: string;
  role: MqttRole;
}

export interface MqttDraft {
  enabled: boolean;
  url: string;
  username: string;
  /** '' keeps the saved password, null removes it, anything else replaces it. */
  password: string | null;
  caFile: string;
  prefix: string;
  stationId: string;
  name: string;
  discovery: boolean;
  discoveryPrefix: string;
  outageAlertMinutes: string;
  keepaliveSeconds: string;
  commands: boolean;
  users: BrokerUserRow[];
  homeAssistantUser: string;
}

export function draftOf(status: MqttStatus): MqttDraft {
  const { settings } = status;
  return {
    enabled: settings.enabled,
    // With --mqtt the address is the command line's, shown and sent back as it is.
    url: status.commandLine?.url ?? settings.url,
    username: settings.username,
    password: '',
    caFile: status.commandLine?.caFile || settings.caFile,
    prefix: settings.prefix,
    stationId: settings.stationId,
    name: settings.name,
    discovery: settings.discovery,
    discoveryPrefix: settings.discoveryPrefix,
    outageAlertMinutes: String(settings.outageAlertMinutes),
    keepaliveSeconds: String(settings.keepaliveSeconds),
    commands: settings.commands.enabled,
    users: Object.entries(settings.commands.users).map(([name, role]) => ({ name, role })),
    homeAssistantUser: settings.commands.homeAssistantUser,
  };
}

const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export function inputOf(draft: MqttDraft): unknown {
  return {
    enabled: draft.enabled,
    url: draft.url,
    username: draft.username,
    password: draft.password,
    caFile: draft.caFile,
    prefix: draft.prefix,
    stationId: draft.stationId,
    name: draft.name,
    discovery: draft.discovery,
    discoveryPrefix: draft.discoveryPrefix,
    outageAlertMinutes: number(draft.outageAlertMinutes),
    keepaliveSeconds: number(draft.keepaliveSeconds),
    commands: {
      enabled: draft.commands,
      users: Object.fromEntries(draft.users.map((row) => [row.name.trim(), row.role])),
      homeAssistantUser: draft.homeAssistantUser,
    },
  };
}

export type DraftCheck = { ok: true; input: MqttSettingsInput; problems: Record<string, string> } | { ok: false; problems: Record<string, string> };

/** The settings to send, or what is wrong, by field ("url", "commands.users", …), in the station's own words. */
export function checkDraft(draft: MqttDraft): DraftCheck {
  const problems: Record<string, string> = {};
  const names = draft.users.map((row) => row.name.trim());
  if (names.some((name) => name === '')) problems['commands.users'] = "enter each broker user's name, or remove its row";
  else if (new Set(names).size !== names.length) problems['commands.users'] = 'each broker user may be listed once';
  const parsed = MQTT_SETTINGS_INPUT_SCHEMA.safeParse(inputOf(draft));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A user's role problem is the list's.
      const path = issue.path[0] === 'commands' && issue.path[1] === 'users' ? 'commands.users' : issue.path.join('.');
      problems[path] ??= issue.message;
    }
  }
  return parsed.success && Object.keys(problems).length === 0 ? { ok: true, input: parsed.data, problems } : { ok: false, problems };
}
