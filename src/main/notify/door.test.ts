import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettingsInput, type NotifyStatus } from '../../shared/notify';
import { createStationControl, type Principal } from '../control';
import { standInCore } from '../../test-support/main/stand-in-core';
import { Notifier } from './notifier';
import { startHttpSink, type HttpSink } from '../../test-support/main/http-sink';

const operator: Principal = { id: 'tok-op', role: 'operator', name: 'bench PC' };
const viewer: Principal = { id: 'tok-view', role: 'viewer', name: 'phone' };

const SECRETS = ['Bearer hook-secret-123', 'tk_ntfy_secret_456', 'smtp-password-789'];

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function door() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-notify-door-'));
  const notify = new Notifier({ dataDir, ticking: false, timing: { attempts: 1, timeoutMs: 5000 } });
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }), () => notify.close());
  return createStationControl(standInCore(), { notify });
}

function everything(hookUrl: string): NotifySettingsInput {
  return {
    ...structuredClone(DEFAULT_NOTIFY_SETTINGS),
    webhook: { enabled: true, minLevel: 'warning', url: hookUrl, authorization: SECRETS[0] },
    ntfy: { enabled: true, minLevel: 'error', server: 'https://ntfy.example.com', topic: 'greenhouse', token: SECRETS[1] },
    email: { enabled: true, minLevel: 'error', host: 'mail.example.com', port: 587, security: 'starttls', user: 'tendril', password: SECRETS[2], from: 'tendril@example.com', to: ['ana@example.com'] },
  };
}

describe('notification commands', () => {
  it('never sends a secret back, only whether it is set', async () => {
    const control = door();
    const configured = await control.handle(operator, { id: '1', type: 'notify.configure', settings: everything('https://hooks.example.com/t') });
    expect(configured).toMatchObject({ ok: true });
    const status = await control.handle(operator, { id: '2', type: 'notify.status' });
    expect(status.ok).toBe(true);
    for (const answer of [configured, status]) {
      const text = JSON.stringify(answer);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
    const settings = (status as { result: NotifyStatus }).result.settings;
    expect([settings.webhook.authorization, settings.ntfy.token, settings.email.password]).toEqual(['set', 'set', 'set']);
    expect(settings.email).toMatchObject({ host: 'mail.example.com', user: 'tendril', to: ['ana@example.com'] });
  });

  it('keeps the secrets when the form sends the settings back without them', async () => {
    const control = door();
    await control.handle(operator, { id: '1', type: 'notify.configure', settings: everything('https://hooks.example.com/t') });
    const form = everything('https://hooks.example.com/moved');
    form.webhook.authorization = '';
    delete form.ntfy.token;
    form.email.password = '';
    const answer = (await control.handle(operator, { id: '2', type: 'notify.configure', settings: form })) as { ok: true; result: NotifyStatus };
    expect(answer.result.settings.webhook).toMatchObject({ url: 'https://hooks.example.com/moved', authorization: 'set' });
    expect(answer.result.settings.ntfy.token).toBe('set');
    expect(answer.result.settings.email.password).toBe('set');
  });

  it('refuses incomplete settings, saying which field and what to do', async () => {
    const control = door();
    const settings = everything('');
    expect(await control.handle(operator, { id: '1', type: 'notify.configure', settings })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'settings.webhook.url: enter the address to post alerts to, or switch the webhook off' },
    });
    settings.webhook.url = 'ftp://example.com';
    expect(await control.handle(operator, { id: '2', type: 'notify.configure', settings })).toMatchObject({
      error: { code: 'INVALID', message: 'settings.webhook.url: must start with http:// or https://, such as https://example.com/hooks/tendril' },
    });
    settings.webhook.url = 'https://hooks.example.com/t';
    settings.quietHours = { enabled: true, start: '25:00', end: '07:00' };
    expect(await control.handle(operator, { id: '3', type: 'notify.configure', settings })).toMatchObject({
      error: { code: 'INVALID', message: 'settings.quietHours.start: must be a time of day such as "22:00" (24-hour)' },
    });
    // Nothing was saved by the refusals.
    const status = (await control.handle(operator, { id: '4', type: 'notify.status' })) as { result: NotifyStatus };
    expect(status.result.settings.webhook.enabled).toBe(false);
  });

  it('is for operators only', async () => {
    const control = door();
    for (const command of [
      { id: 'a', type: 'notify.status' },
      { id: 'b', type: 'notify.configure', settings: everything('https://hooks.example.com/t') },
      { id: 'c', type: 'notify.test', channel: 'webhook' },
    ]) {
      expect(await control.handle(viewer, command)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('sends a test on one channel and answers with how it went', async () => {
    let hook: HttpSink | null = null;
    hook = await startHttpSink();
    cleanup.push(() => hook?.close());
    const control = door();
    await control.handle(operator, { id: '1', type: 'notify.configure', settings: everything(hook.url) });
    expect(await control.handle(operator, { id: '2', type: 'notify.test', channel: 'webhook' })).toMatchObject({ ok: true, result: { ok: true, test: true, attempts: 1 } });
    const [request] = await hook.received(1);
    expect(JSON.parse(request?.body ?? '')).toMatchObject({ kind: 'test', title: 'Tendril: test notification' });
    const status = (await control.handle(operator, { id: '3', type: 'notify.status' })) as { result: NotifyStatus };
    expect(status.result.channels.webhook.last).toMatchObject({ ok: true, test: true });
    expect(await control.handle(operator, { id: '4', type: 'notify.test', channel: 'pager' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'channel must be "webhook", "ntfy" or "email"' },
    });
  });
});
