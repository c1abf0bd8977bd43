/**
 * `mqtt`: publishing the station to the grower's MQTT broker, and Home Assistant discovery
 * (docs/mqtt.md). Off while the section is missing. A bad section keeps it off rather than
 * publish somewhere the grower did not mean, and says what to fix.
 *
 *   "mqtt": { "url": "mqtt://tendril:secret@192.168.1.5:1883" }
 */
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import type { SectionRead } from './section';

export interface MqttSettingsSection {
  enabled: boolean;
  url: string;
  username?: string;
  /** A secret: never sent to a screen. */
  password?: string;
  caFile?: string;
  prefix?: string;
  stationId?: string;
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

/** A topic level: no wildcards, no separators, nothing invisible. */
const TOPIC_LEVEL = /^[A-Za-z0-9_-]+$/;
const TOPIC = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
/** A broker user name that is also one topic level (its command topic), as the ACL's %u makes it. */
const BROKER_USER = /^[A-Za-z0-9_.@-]{1,64}$/;

const COMMANDS_SCHEMA = z
  .strictObject({
    enabled: z.boolean({ error: 'mqtt.commands.enabled must be true or false' }).optional(),
    users: z
      .record(z.string(), z.enum(['viewer', 'operator'], { error: 'mqtt.commands.users: each user\'s role must be "viewer" or "operator"' }), {
        error: 'mqtt.commands.users must map broker user names to roles, such as {"homeassistant": "operator"}',
      })
      .refine((users) => Object.keys(users).every((name) => BROKER_USER.test(name)), {
        error: 'mqtt.commands.users: a broker user name is 1 to 64 letters, digits, and . _ @ -, such as "homeassistant" (it is also its command topic)',
      }),
    homeAssistantUser: z.string({ error: 'mqtt.commands.homeAssistantUser must be the broker user name Home Assistant connects as' }).optional(),
  })
  .refine((commands) => commands.homeAssistantUser === undefined || commands.users[commands.homeAssistantUser] !== undefined, {
    error: 'mqtt.commands.homeAssistantUser must be one of mqtt.commands.users, so its switches and buttons act with a role',
  });

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

export const MQTT_SCHEMA = z.strictObject({
  enabled: z.boolean({ error: 'mqtt.enabled must be true or false' }).optional(),
  url: z.string({ error: `mqtt.url must be ${MQTT_URL_RULE}` }).superRefine((text, context) => {
    const problem = mqttUrlProblem(text);
    if (problem) context.addIssue({ code: 'custom', message: `mqtt.url ${problem}` });
  }),
  username: z.string({ error: 'mqtt.username must be text' }).max(256).optional(),
  password: z.string({ error: 'mqtt.password must be text' }).max(1024).optional(),
  caFile: z.string({ error: 'mqtt.caFile must be the path of a PEM file' }).min(1).optional(),
  prefix: z.string({ error: 'mqtt.prefix must be text' }).max(200).regex(TOPIC, { error: 'mqtt.prefix must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"' }).optional(),
  stationId: z.string({ error: 'mqtt.stationId must be text' }).max(64).regex(TOPIC_LEVEL, { error: 'mqtt.stationId must be letters, digits, - and _, such as "greenhouse-1"' }).optional(),
  discovery: z.boolean({ error: 'mqtt.discovery must be true or false' }).optional(),
  discoveryPrefix: z.string({ error: 'mqtt.discoveryPrefix must be text' }).max(100).regex(TOPIC, { error: 'mqtt.discoveryPrefix must be a topic such as "homeassistant"' }).optional(),
  outageAlertMinutes: z.number({ error: 'mqtt.outageAlertMinutes must be a number of minutes' }).positive({ error: 'mqtt.outageAlertMinutes must be more than 0' }).max(7 * 24 * 60).optional(),
  keepaliveSeconds: z.number({ error: 'mqtt.keepaliveSeconds must be a number of seconds' }).int({ error: 'mqtt.keepaliveSeconds must be whole seconds' }).min(1, { error: 'mqtt.keepaliveSeconds must be at least 1' }).max(600, { error: 'mqtt.keepaliveSeconds must be at most 600' }).optional(),
  commands: COMMANDS_SCHEMA.optional(),
});

/** The section as Tendril uses it: null while it is missing, switched off or cannot be used. */
export function readMqtt(section: unknown, file: string): SectionRead<MqttSettingsSection | null> {
  if (section === undefined) return { value: null };
  const parsed = MQTT_SCHEMA.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The schema's own messages name their key already; zod's (an unknown key, say) do not.
    const what = issue?.message.startsWith('mqtt.') ? issue.message : `mqtt.${describeIssue(issue)}`;
    return { value: null, warning: `${file}: ${what}; nothing is published to MQTT until it is fixed`, issue: what };
  }
  const { commands, ...rest } = parsed.data;
  const value: MqttSettingsSection = { ...DEFAULT_MQTT, ...rest, ...(commands ? { commands: { ...commands, enabled: commands.enabled ?? true } } : {}) };
  return { value: value.enabled ? value : null };
}
