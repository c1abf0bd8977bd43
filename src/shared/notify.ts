/**
 * Notifications that reach a grower with no screen open: a webhook, an ntfy topic (a phone
 * app) and e-mail. The settings live in `notify` in settings.json; these schemas check them
 * there and in `notify.configure`. Secrets (the webhook's Authorization header, the ntfy token,
 * the SMTP password) go in, never out: `notify.status` says only whether each one is set.
 */
import { z } from 'zod';
import type { AlertLevel } from './station';

export const NOTIFY_CHANNELS = ['webhook', 'ntfy', 'email'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** How urgent each level is: a channel gets alerts at or above its minimum. */
export const LEVEL_RANK: Record<AlertLevel, number> = { info: 0, warning: 1, error: 2 };

/** The grower's word for each level: an error is something a person must act on now. */
export const LEVEL_WORD: Record<AlertLevel, string> = { error: 'critical', warning: 'warning', info: 'info' };

const minLevel = z.enum(['info', 'warning', 'error'], { error: 'minLevel must be "info", "warning" or "error" (critical only)' });
const enabled = z.boolean({ error: 'enabled must be true or false' });

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An address, or '' while the channel is not set up. */
const httpUrl = (example: string) =>
  z
    .string({ error: `must be an address such as ${example}` })
    .trim()
    .max(2048, { error: 'must be at most 2048 characters' })
    .refine((text) => text === '' || isHttpUrl(text), { error: `must start with http:// or https://, such as ${example}` });

const EMAIL_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const emailAddress = z
  .string({ error: 'must be an e-mail address such as grower@example.com' })
  .trim()
  .refine((text) => EMAIL_ADDRESS.test(text), { error: 'must be an e-mail address such as grower@example.com' });

const clockTime = z.string({ error: 'must be a time such as "22:00"' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day such as "22:00" (24-hour)' });

/** A secret as stored: '' when there is none. */
const storedSecret = z.string({ error: 'must be text' }).max(1024, { error: 'must be at most 1024 characters' });
/**
 * A secret as a form sends it: left out or '' keeps the one saved (the form never saw it),
 * null removes it, anything else replaces it.
 */
const secretInput = storedSecret.nullable().optional();

function settingsSchema<S extends z.ZodType>(secret: S) {
  return z
    .strictObject({
      webhook: z.strictObject({
        enabled,
        minLevel,
        url: httpUrl('https://example.com/hooks/tendril'),
        /** The whole Authorization header value, such as "Bearer abc123". */
        authorization: secret,
      }),
      ntfy: z.strictObject({
        enabled,
        minLevel,
        server: httpUrl('https://ntfy.sh'),
        topic: z
          .string({ error: 'must be the topic name' })
          .trim()
          .regex(/^[-_A-Za-z0-9]{0,64}$/, { error: 'must be 1 to 64 letters, digits, "-" or "_", such as "tendril-greenhouse"' }),
        token: secret,
      }),
      email: z.strictObject({
        enabled,
        minLevel,
        host: z.string({ error: 'must be the SMTP server, such as "smtp.example.com"' }).trim().max(255, { error: 'must be at most 255 characters' }),
        port: z.number({ error: 'must be a port number such as 587' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 to 65535' }).max(65535, { error: 'must be 1 to 65535' }),
        /** tls: encrypted from the start (port 465); starttls: upgraded, and refused without it (587); none: a server on this network only. */
        security: z.enum(['tls', 'starttls', 'none'], { error: 'must be "tls", "starttls" or "none"' }),
        user: z.string({ error: 'must be the SMTP user name, or "" for none' }).trim().max(255, { error: 'must be at most 255 characters' }),
        password: secret,
        from: z.union([z.literal(''), emailAddress]),
        to: z.array(emailAddress, { error: 'must be a list of e-mail addresses' }).max(10, { error: 'must list at most 10 addresses' }),
      }),
      /** The same alert code within this many minutes is sent once, then a count of its repeats. 0 sends every one. */
      repeatWindowMinutes: z
        .number({ error: 'must be a number of minutes' })
        .int({ error: 'must be a whole number of minutes' })
        .min(0, { error: 'must be 0 (send every repeat) or more' })
        .max(1440, { error: 'must be at most 1440 (a day)' }),
      /** Local time. Warnings and info wait until the end and come as one summary; critical alerts always go at once. */
      quietHours: z.strictObject({ enabled, start: clockTime, end: clockTime }),
    })
    .superRefine((settings, context) => {
      const missing = (path: string[], message: string) => context.addIssue({ code: 'custom', path, message });
      if (settings.webhook.enabled && !settings.webhook.url) missing(['webhook', 'url'], 'enter the address to post alerts to, or switch the webhook off');
      if (settings.ntfy.enabled && !settings.ntfy.server) missing(['ntfy', 'server'], 'enter the ntfy server, such as https://ntfy.sh, or switch ntfy off');
      if (settings.ntfy.enabled && !settings.ntfy.topic) missing(['ntfy', 'topic'], 'enter the topic your phone subscribes to, or switch ntfy off');
      if (settings.email.enabled && !settings.email.host) missing(['email', 'host'], 'enter the SMTP server, or switch e-mail off');
      if (settings.email.enabled && !settings.email.from) missing(['email', 'from'], 'enter the address the mail comes from, or switch e-mail off');
      if (settings.email.enabled && settings.email.to.length === 0) missing(['email', 'to'], 'enter at least one address to send to, or switch e-mail off');
      if (settings.quietHours.enabled && settings.quietHours.start === settings.quietHours.end) {
        missing(['quietHours', 'end'], 'start and end are the same time; choose when quiet hours end');
      }
    });
}

/** `notify` in settings.json. */
export const NOTIFY_SETTINGS_SCHEMA = settingsSchema(storedSecret);
export type NotifySettings = z.infer<typeof NOTIFY_SETTINGS_SCHEMA>;

/** What `notify.configure` takes: the settings, with each secret kept when left out or ''. */
export const NOTIFY_SETTINGS_INPUT_SCHEMA = settingsSchema(secretInput);
export type NotifySettingsInput = z.infer<typeof NOTIFY_SETTINGS_INPUT_SCHEMA>;

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  webhook: { enabled: false, minLevel: 'warning', url: '', authorization: '' },
  ntfy: { enabled: false, minLevel: 'warning', server: 'https://ntfy.sh', topic: '', token: '' },
  email: { enabled: false, minLevel: 'error', host: '', port: 587, security: 'starttls', user: '', password: '', from: '', to: [] },
  repeatWindowMinutes: 15,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
};

export const NOTIFY_COMMAND_PAYLOADS = {
  'notify.status': z.strictObject({}),
  'notify.configure': z.strictObject({ settings: NOTIFY_SETTINGS_INPUT_SCHEMA }),
  'notify.test': z.strictObject({ channel: z.enum(NOTIFY_CHANNELS, { error: 'channel must be "webhook", "ntfy" or "email"' }) }),
} as const;

export type SecretState = 'set' | 'not set';

/** The settings as screens see them: each secret only as whether it is set. */
export interface NotifySettingsView {
  webhook: Omit<NotifySettings['webhook'], 'authorization'> & { authorization: SecretState };
  ntfy: Omit<NotifySettings['ntfy'], 'token'> & { token: SecretState };
  email: Omit<NotifySettings['email'], 'password'> & { password: SecretState };
  repeatWindowMinutes: number;
  quietHours: NotifySettings['quietHours'];
}

/** How the last message on a channel went. */
export interface DeliveryResult {
  at: number;
  ok: boolean;
  /** Why it failed, after the last try. */
  error?: string;
  attempts: number;
  /** Sent with `notify.test`. */
  test: boolean;
}

export interface ChannelStatus {
  last: DeliveryResult | null;
  /** Messages waiting to go out. */
  waiting: number;
  /** Messages given up because too many were waiting. */
  dropped: number;
}

/** The answer to `notify.status` and `notify.configure`. */
export interface NotifyStatus {
  settings: NotifySettingsView;
  channels: Record<NotifyChannel, ChannelStatus>;
  /** Warnings and info waiting for quiet hours to end. */
  held: number;
  /** Why the saved settings were not used, when they could not be. */
  problem?: string;
}
