/**
 * The station on the grower's MQTT broker (docs/mqtt.md): the rules each setting is held to, in
 * settings.json's `mqtt` (main/settings/mqtt.ts) and in `mqtt.configure` from Settings alike, so
 * both refuse the same things in the same words. The broker's password goes in, never out:
 * `mqtt.status` says only whether one is set.
 */
import { z } from 'zod';
import type { SecretState } from './notify';
import { hasControlCharacters } from './plain-text';
import type { BrokerLinkState } from './station';

export type MqttRole = 'viewer' | 'operator';

export const MQTT_URL_RULE = 'an address such as mqtt://user:password@192.168.1.5:1883 (mqtt://, mqtts://, ws:// or wss://)';

/** Whether `text` is a broker address MQTT.js can reach. */
export function mqttUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The address is not repeated: it may hold the broker's password, and this goes to logs.
    return `must be ${MQTT_URL_RULE}`;
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(url.protocol)) return `must start with mqtt://, mqtts://, ws:// or wss://, not ${url.protocol}//`;
  if (!url.hostname) return `needs the broker's host, as in ${MQTT_URL_RULE}`;
  return null;
}

/** A topic level: no wildcards, no separators, nothing invisible. */
const TOPIC_LEVEL = /^[A-Za-z0-9_-]+$/;
const TOPIC = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
/** A broker user name that is also one topic level (its command topic), as the ACL's %u makes it. */
const BROKER_USER = /^[A-Za-z0-9_.@-]{1,64}$/;

/** What is wrong with each text setting, without its name: each schema names it its own way. */
export const MQTT_TEXT_PROBLEMS = {
  prefix: (text: string) => (text.length <= 200 && TOPIC.test(text) ? null : 'must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"'),
  stationId: (text: string) => (text.length <= 64 && TOPIC_LEVEL.test(text) ? null : 'must be letters, digits, - and _, such as "greenhouse-1"'),
  discoveryPrefix: (text: string) => (text.length <= 100 && TOPIC.test(text) ? null : 'must be a topic such as "homeassistant"'),
  name: (text: string) =>
    text.trim().length >= 1 && text.length <= 60 && !hasControlCharacters(text) ? null : 'must be the station\'s name, 1 to 60 characters on one line, such as "Greenhouse"',
  brokerUser: (text: string) => (BROKER_USER.test(text) ? null : 'a broker user name is 1 to 64 letters, digits, and . _ @ -, such as "homeassistant" (it is also its command topic)'),
} as const;

export const MQTT_ROLE_RULE = 'each user\'s role must be "viewer" or "operator"';
export const HOME_ASSISTANT_USER_RULE = 'must be one of the broker users given a role, so its switches and buttons act with a role';

/** The bounds of the numbers, with their words; `name` says the setting as its reader knows it. */
export function mqttNumbers(name: (key: string) => string) {
  return {
    outageAlertMinutes: z
      .number({ error: `${name('outageAlertMinutes')}must be a number of minutes` })
      .positive({ error: `${name('outageAlertMinutes')}must be more than 0` })
      .max(7 * 24 * 60, { error: `${name('outageAlertMinutes')}must be at most ${7 * 24 * 60} (a week)` }),
    keepaliveSeconds: z
      .number({ error: `${name('keepaliveSeconds')}must be a number of seconds` })
      .int({ error: `${name('keepaliveSeconds')}must be whole seconds` })
      .min(1, { error: `${name('keepaliveSeconds')}must be at least 1` })
      .max(600, { error: `${name('keepaliveSeconds')}must be at most 600` }),
  };
}

/** Text that may be left empty ("none", or the default), else held to its rule. */
const optionalText = (problem: (text: string) => string | null, what: string) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .superRefine((text, context) => {
      const found = text === '' ? null : problem(text);
      if (found) context.addIssue({ code: 'custom', message: found });
    });

/** A secret from a form: left out or '' keeps the saved one (the form never saw it), null removes it. */
const secretInput = z.string({ error: 'must be text' }).max(1024, { error: 'must be at most 1024 characters' }).nullable().optional();

/**
 * What `mqtt.configure` takes from Settings: every setting, empty text for "none" or "the
 * default". The address may be empty only while MQTT is switched off.
 */
export const MQTT_SETTINGS_INPUT_SCHEMA = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }),
    url: z.string({ error: `must be ${MQTT_URL_RULE}` }).trim().max(2048, { error: 'must be at most 2048 characters' }),
    username: z.string({ error: 'must be the broker user name, or "" for the one in the address' }).trim().max(256, { error: 'must be at most 256 characters' }),
    password: secretInput,
    caFile: z.string({ error: 'must be the path of a PEM file, or ""' }).trim().max(1024, { error: 'must be at most 1024 characters' }),
    prefix: optionalText(MQTT_TEXT_PROBLEMS.prefix, 'topic levels such as "tendril/greenhouse", or "" for tendril/<station id>'),
    name: optionalText(MQTT_TEXT_PROBLEMS.name, 'the station\'s name, or "" for its id'),
    stationId: optionalText(MQTT_TEXT_PROBLEMS.stationId, 'letters, digits, - and _, or "" for the controller\'s serial number'),
    discovery: z.boolean({ error: 'must be true or false' }),
    discoveryPrefix: z
      .string({ error: 'must be a topic such as "homeassistant"' })
      .trim()
      .superRefine((text, context) => {
        const found = MQTT_TEXT_PROBLEMS.discoveryPrefix(text);
        if (found) context.addIssue({ code: 'custom', message: found });
      }),
    ...mqttNumbers(() => ''),
    commands: z.strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      users: z.record(z.string(), z.enum(['viewer', 'operator'], { error: MQTT_ROLE_RULE }), { error: 'must map broker user names to roles, such as {"homeassistant": "operator"}' }),
      homeAssistantUser: z.string({ error: 'must be the broker user name Home Assistant connects as, or ""' }).trim(),
    }),
  })
  .superRefine((input, context) => {
    const problem = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
    if (input.url !== '') {
      const found = mqttUrlProblem(input.url);
      if (found) problem(['url'], found);
    } else if (input.enabled) {
      problem(['url'], `enter the broker's address, ${MQTT_URL_RULE}, or switch MQTT off`);
    }
    for (const name of Object.keys(input.commands.users)) {
      const found = MQTT_TEXT_PROBLEMS.brokerUser(name);
      if (found) problem(['commands', 'users'], `${found}; "${name}" is not`);
    }
    const homeAssistant = input.commands.homeAssistantUser;
    if (homeAssistant !== '' && input.commands.users[homeAssistant] === undefined) problem(['commands', 'homeAssistantUser'], HOME_ASSISTANT_USER_RULE);
  });

export type MqttSettingsInput = z.infer<typeof MQTT_SETTINGS_INPUT_SCHEMA>;

export const MQTT_COMMAND_PAYLOADS = {
  'mqtt.status': z.strictObject({}),
  'mqtt.configure': z.strictObject({ settings: MQTT_SETTINGS_INPUT_SCHEMA }),
} as const;

/** The settings as every screen may see them: the password only as whether one is set. */
export type MqttSettingsView = Omit<MqttSettingsInput, 'password'> & { password: SecretState };

/** The answer to `mqtt.status` and `mqtt.configure`. */
export interface MqttStatus {
  settings: MqttSettingsView;
  /**
   * The broker's address (without its password) and CA file given on the command line
   * (`tendril serve --mqtt`): they win over Settings while given, so the form shows them and
   * cannot change them. Null when Settings says where the broker is.
   */
  commandLine: { url: string; caFile: string } | null;
  /** The broker link now; null while MQTT is off. */
  broker: BrokerLinkState | null;
  /** Why settings.json's `mqtt` could not be used at start, until it is saved from here. */
  problem?: string;
}
