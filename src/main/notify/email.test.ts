import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../../shared/notify';
import { Notifier } from './notifier';
import { startSmtpServer, type SmtpServer } from '../../test-support/main/smtp-server';

let smtp: SmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.stop();
});

function mailTo(port: number): NotifySettings {
  const settings: NotifySettings = structuredClone(DEFAULT_NOTIFY_SETTINGS);
  settings.email = {
    enabled: true,
    minLevel: 'warning',
    host: '127.0.0.1',
    port,
    security: 'none',
    user: '',
    password: '',
    from: 'tendril@greenhouse.example',
    to: ['ana@greenhouse.example', 'ben@greenhouse.example'],
  };
  return settings;
}

/** Resolves once the channel's last result is in. */
async function settled(notify: Notifier): Promise<void> {
  while (!notify.status().channels.email.last) await new Promise((resolve) => setImmediate(resolve));
}

describe('e-mail over SMTP', () => {
  it('mails a critical alert to every address, marked urgent', async () => {
    const notify = new Notifier({ settings: mailTo(smtp.port), ticking: false });
    try {
      const before = smtp.mails.length;
      notify.alert({ id: 7, level: 'error', code: 'DOSE_TIMEOUT', message: 'pump nut_a did not finish its dose', at: Date.UTC(2026, 5, 1, 3, 12) });
      const [mail] = (await smtp.received(before + 1)).slice(before);
      expect(mail?.from).toBe('tendril@greenhouse.example');
      expect(mail?.to).toEqual(['ana@greenhouse.example', 'ben@greenhouse.example']);
      expect(mail?.data).toContain('Subject: Tendril critical: DOSE_TIMEOUT');
      expect(mail?.data).toContain('X-Priority: 1');
      expect(mail?.data).toContain('pump nut_a did not finish its dose');
      await settled(notify);
      expect(notify.status().channels.email.last).toMatchObject({ ok: true, attempts: 1 });
    } finally {
      notify.close();
    }
  });

  it('sends a test mail from Settings and answers how it went', async () => {
    const notify = new Notifier({ settings: mailTo(smtp.port), ticking: false });
    try {
      const before = smtp.mails.length;
      expect(await notify.test('email')).toMatchObject({ ok: true, test: true });
      const [mail] = (await smtp.received(before + 1)).slice(before);
      expect(mail?.data).toContain('Subject: Tendril: test notification');
    } finally {
      notify.close();
    }
  });

  it('says why when the mail server cannot be reached', async () => {
    const closed = await startSmtpServer();
    await closed.stop();
    const notify = new Notifier({ settings: mailTo(closed.port), ticking: false, timing: { timeoutMs: 5000 } });
    try {
      expect(await notify.test('email')).toMatchObject({ ok: false, error: expect.stringMatching(/the mail could not be sent: .*ECONNREFUSED/) });
    } finally {
      notify.close();
    }
  });
});
