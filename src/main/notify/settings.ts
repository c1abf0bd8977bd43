/**
 * `notify` in settings.json: read at start, written by `notify.configure`. The grower may edit
 * the file by hand; settings that do not parse leave every channel off, with the reason shown in
 * Settings, rather than sending to half of what was meant.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIssue } from '../../shared/commands';
import { DEFAULT_NOTIFY_SETTINGS, NOTIFY_SETTINGS_SCHEMA, type NotifySettings, type NotifySettingsInput, type NotifySettingsView, type SecretState } from '../../shared/notify';
import { SETTINGS_FILE, updateSettingsFile } from '../files/settings-file';

export const NOTIFY_KEY = 'notify';

export function loadNotifySettings(dataDir: string): { settings: NotifySettings; problem?: string } {
  const file = join(dataDir, SETTINGS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No file yet, or one the station's own settings already complain about.
    return { settings: DEFAULT_NOTIFY_SETTINGS };
  }
  const section = (raw as Record<string, unknown> | null)?.[NOTIFY_KEY];
  if (section === undefined) return { settings: DEFAULT_NOTIFY_SETTINGS };
  const parsed = NOTIFY_SETTINGS_SCHEMA.safeParse(section);
  if (!parsed.success) {
    return { settings: DEFAULT_NOTIFY_SETTINGS, problem: `${file}: notify.${describeIssue(parsed.error.issues[0])}; no notifications are sent until it is fixed or saved again from Settings` };
  }
  return { settings: parsed.data };
}

export function saveNotifySettings(dataDir: string, settings: NotifySettings): void {
  updateSettingsFile(dataDir, (file) => {
    file[NOTIFY_KEY] = settings;
  });
}

/** A secret from a form: left out or '' keeps the saved one, null removes it. */
function secretFrom(input: string | null | undefined, saved: string): string {
  if (input === undefined || input === '') return saved;
  return input ?? '';
}

export function mergeNotifySettings(saved: NotifySettings, input: NotifySettingsInput): NotifySettings {
  return {
    ...input,
    webhook: { ...input.webhook, authorization: secretFrom(input.webhook.authorization, saved.webhook.authorization) },
    ntfy: { ...input.ntfy, token: secretFrom(input.ntfy.token, saved.ntfy.token) },
    email: { ...input.email, password: secretFrom(input.email.password, saved.email.password) },
  };
}

const stateOf = (secret: string): SecretState => (secret ? 'set' : 'not set');

/** The settings without their secrets: what any screen may be shown. */
export function viewOf(settings: NotifySettings): NotifySettingsView {
  return {
    webhook: { ...settings.webhook, authorization: stateOf(settings.webhook.authorization) },
    ntfy: { ...settings.ntfy, token: stateOf(settings.ntfy.token) },
    email: { ...settings.email, to: [...settings.email.to], password: stateOf(settings.email.password) },
    repeatWindowMinutes: settings.repeatWindowMinutes,
    quietHours: { ...settings.quietHours },
  };
}
