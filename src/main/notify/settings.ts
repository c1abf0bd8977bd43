/**
 * `notify` in settings.json: read at start (in settings/load.ts), written by `notify.configure`.
 * The grower may edit the file by hand; settings that do not parse leave every channel off, with
 * the reason shown in Settings, rather than sending to half of what was meant.
 */
import type { NotifySettings, NotifySettingsInput, NotifySettingsView, SecretState } from '../../shared/notify';
import { loadSettings, updateSettingsFile, warningOf } from '../settings';

export const NOTIFY_KEY = 'notify';

export function loadNotifySettings(dataDir: string): { settings: NotifySettings; problem?: string } {
  const loaded = loadSettings(dataDir);
  const problem = warningOf(loaded, 'notify');
  return problem ? { settings: loaded.notify, problem } : { settings: loaded.notify };
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
