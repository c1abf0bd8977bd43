/**
 * `mqtt`: publishing the station to the grower's MQTT broker, and Home Assistant discovery
 * (docs/mqtt.md). Off while the section is missing. A bad section keeps it off rather than
 * publish somewhere the grower did not mean, and says what to fix.
 *
 *   "mqtt": { "url": "mqtt://tendril:secret@192.168.1.5:1883" }
 */
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIssue } from '../../shared/commands';
import { MQTT_ROLE_RULE, MQTT_TEXT_PROBLEMS, MQTT_URL_RULE, mqttNumbers, mqttUrlProblem } from '../../shared/mqtt-settings';
import type { SectionRead } from './section';
import { SETTINGS_FILE } from './settings-file';

export interface MqttSettingsSection {
  enabled: boolean;
  url: string;
  username?: string;
  /** A secret: never sent to a screen. */
  password?: string;
  caFile?: string;
  prefix?: string;
  stationId?: string;
  /** The grower's name for the station, in its state summary and Home Assistant's device; its id while missing. */
  name?: string;
  /** Publish Home Assistant's discovery configs. */
  discovery: boolean;
  discoveryPrefix: string;
  /** A broker out of reach this long raises an alert. */
  outageAlertMinutes: number;
  /** How often the connection is checked; the broker says the station is offline (its Last Will) after 1.5 times this. 30 s by default. */
  keepaliveSeconds?: number;
  /** Commands over MQTT; off while missing (docs/mqtt.md, "Commands"). */
  commands?: MqttCommandsSection;
}

/**
 * `mqtt.commands`: which broker users may command the station, and as what. Identity comes from
 * the broker (its ACL lets each user write only its own command topic), so a user left out of
 * `users` is refused, whatever it sends.
 */
export interface MqttCommandsSection {
  enabled: boolean;
  /** Broker user name → role. */
  users: Record<string, 'viewer' | 'operator'>;
  /** The broker user Home Assistant connects as: its switches and buttons act with this user's role. */
  homeAssistantUser?: string;
}

export const DEFAULT_MQTT = { enabled: true, discovery: true, discoveryPrefix: 'homeassistant', outageAlertMinutes: 5, keepaliveSeconds: 30 } as const;

const text = (key: keyof typeof MQTT_TEXT_PROBLEMS, what: string, max: number) =>
  z
    .string({ error: `mqtt.${key} must be text` })
    .max(max)
    .superRefine((value, context) => {
      const problem = MQTT_TEXT_PROBLEMS[key](value);
      if (problem) context.addIssue({ code: 'custom', message: `mqtt.${what} ${problem}` });
    });

const COMMANDS_SCHEMA = z
  .strictObject({
    enabled: z.boolean({ error: 'mqtt.commands.enabled must be true or false' }).optional(),
    users: z
      .record(z.string(), z.enum(['viewer', 'operator'], { error: `mqtt.commands.users: ${MQTT_ROLE_RULE}` }), {
        error: 'mqtt.commands.users must map broker user names to roles, such as {"homeassistant": "operator"}',
      })
      .superRefine((users, context) => {
        const problem = Object.keys(users).map(MQTT_TEXT_PROBLEMS.brokerUser).find((found) => found !== null);
        if (problem) context.addIssue({ code: 'custom', message: `mqtt.commands.users: ${problem}` });
      }),
    homeAssistantUser: z.string({ error: 'mqtt.commands.homeAssistantUser must be the broker user name Home Assistant connects as' }).optional(),
  })
  .refine((commands) => commands.homeAssistantUser === undefined || commands.users[commands.homeAssistantUser] !== undefined, {
    error: 'mqtt.commands.homeAssistantUser must be one of mqtt.commands.users, so its switches and buttons act with a role',
  });

export { MQTT_URL_RULE, mqttUrlProblem };

const NUMBERS = mqttNumbers((key) => `mqtt.${key} `);

export const MQTT_SCHEMA = z
  .strictObject({
    enabled: z.boolean({ error: 'mqtt.enabled must be true or false' }).optional(),
    url: z
      .string({ error: `mqtt.url must be ${MQTT_URL_RULE}` })
      .superRefine((value, context) => {
        const problem = mqttUrlProblem(value);
        if (problem) context.addIssue({ code: 'custom', message: `mqtt.url ${problem}` });
      })
      .optional(),
    username: z.string({ error: 'mqtt.username must be text' }).max(256).optional(),
    password: z.string({ error: 'mqtt.password must be text' }).max(1024).optional(),
    caFile: z.string({ error: 'mqtt.caFile must be the path of a PEM file' }).min(1).optional(),
    prefix: text('prefix', 'prefix', 200).optional(),
    stationId: text('stationId', 'stationId', 64).optional(),
    name: text('name', 'name', 60).optional(),
    discovery: z.boolean({ error: 'mqtt.discovery must be true or false' }).optional(),
    discoveryPrefix: text('discoveryPrefix', 'discoveryPrefix', 100).optional(),
    outageAlertMinutes: NUMBERS.outageAlertMinutes.optional(),
    keepaliveSeconds: NUMBERS.keepaliveSeconds.optional(),
    commands: COMMANDS_SCHEMA.optional(),
  })
  // Switched off, the section may keep what was written, or nothing yet.
  .refine((section) => section.enabled === false || section.url !== undefined, { error: `mqtt.url must be ${MQTT_URL_RULE}`, path: ['url'] });

/** The section as Tendril uses it: null while it is missing, switched off or cannot be used. */
export function readMqtt(section: unknown, file: string): SectionRead<MqttSettingsSection | null> {
  const read = readMqttSection(section, file);
  return read.value?.enabled === false ? { value: null } : read;
}

/**
 * The section as written, switched off or not (with an empty address when it gives none), for
 * Settings to show and edit: null while it is missing or cannot be used.
 */
export function readMqttSection(section: unknown, file: string): SectionRead<MqttSettingsSection | null> {
  if (section === undefined) return { value: null };
  const parsed = MQTT_SCHEMA.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The schema's own messages name their key already; zod's (an unknown key, say) do not.
    const what = issue?.message.startsWith('mqtt.') ? issue.message : `mqtt.${describeIssue(issue)}`;
    return { value: null, warning: `${file}: ${what}; nothing is published to MQTT until it is fixed`, issue: what };
  }
  const { commands, url, ...rest } = parsed.data;
  return { value: { ...DEFAULT_MQTT, ...rest, url: url ?? '', ...(commands ? { commands: { ...commands, enabled: commands.enabled ?? true } } : {}) } };
}

/** settings.json's `mqtt` as it is now on disk, switched off or not. */
export function loadMqttSection(dataDir: string): SectionRead<MqttSettingsSection | null> {
  const file = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { value: null };
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (err) {
    return { value: null, warning: `${file} is not valid JSON (${(err as Error).message})` };
  }
  const section = settings !== null && typeof settings === 'object' && !Array.isArray(settings) ? (settings as Record<string, unknown>)['mqtt'] : undefined;
  return readMqttSection(section, file);
}
