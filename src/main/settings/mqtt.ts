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
}

export const DEFAULT_MQTT = { enabled: true, discovery: true, discoveryPrefix: 'homeassistant', outageAlertMinutes: 5 } as const;

/** A topic level: no wildcards, no separators, nothing invisible. */
const TOPIC_LEVEL = /^[A-Za-z0-9_-]+$/;
const TOPIC = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

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
  const value = { ...DEFAULT_MQTT, ...parsed.data };
  return { value: value.enabled ? value : null };
}
