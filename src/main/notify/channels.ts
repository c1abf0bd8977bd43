/**
 * The three ways out: a JSON POST to a webhook, a publish to an ntfy topic, and e-mail over
 * SMTP. Each turns a message into one request and throws why it failed; retries and time
 * limits are the outbox's (delivery.ts).
 */
import nodemailer from 'nodemailer';
import { LEVEL_WORD, type NotifySettings } from '../../shared/notify';
import { PermanentFailure, type Sender } from './delivery';
import type { NotifyMessage } from './routing';

/** What a webhook receives (docs/lan-api.md, "Notifications"). */
export function webhookPayload(message: NotifyMessage) {
  return {
    source: 'tendril',
    kind: message.kind,
    level: message.level,
    title: message.title,
    body: message.body,
    at: new Date(message.at).toISOString(),
    alerts: message.alerts.map(({ id, level, code, message: text, at }) => ({ id, level, code, message: text, at: new Date(at).toISOString() })),
    ...(message.repeats !== undefined ? { repeats: message.repeats } : {}),
  };
}

/** 4xx answers (but 408 and 429) say the request itself is wrong: trying again will not help. */
async function answered(response: Response, what: string): Promise<void> {
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const text = (await response.text().catch(() => '')).trim().slice(0, 200);
  const problem = `${what} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text ? `: ${text}` : ''}`;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw retryable ? new Error(problem) : new PermanentFailure(problem);
}

/** fetch's own failure says only "fetch failed"; the reason is in its cause. */
function reachFailure(err: unknown, where: string): Error {
  if (err instanceof PermanentFailure) return err;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (err as Error).message;
  return new Error(`${where} could not be reached (${reason})`);
}

export function webhookSender(settings: NotifySettings['webhook']): Sender {
  if (!settings.url) throw new PermanentFailure('the webhook has no address; enter one in Settings');
  return async (message, signal) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Tendril' };
    if (settings.authorization) headers['authorization'] = settings.authorization;
    let response: Response;
    try {
      response = await fetch(settings.url, { method: 'POST', headers, body: JSON.stringify(webhookPayload(message)), signal, redirect: 'error' });
    } catch (err) {
      throw signal.aborted ? (signal.reason as Error) : reachFailure(err, settings.url);
    }
    await answered(response, 'the webhook');
  };
}

/** ntfy's priorities: 5 is "max" (a long vibration, through Do Not Disturb when allowed). */
const NTFY_PRIORITY = { error: 5, warning: 4, info: 3 } as const;
const NTFY_TAGS = { error: ['rotating_light'], warning: ['warning'], info: ['seedling'] } as const;

export function ntfySender(settings: NotifySettings['ntfy']): Sender {
  if (!settings.server || !settings.topic) throw new PermanentFailure('ntfy needs a server and a topic; enter them in Settings');
  // Published as JSON to the server's root, so titles need not fit in an ASCII header.
  const url = settings.server.replace(/\/+$/, '') + '/';
  return async (message, signal) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Tendril' };
    if (settings.token) headers['authorization'] = `Bearer ${settings.token}`;
    const body = { topic: settings.topic, title: message.title, message: message.body, priority: NTFY_PRIORITY[message.level], tags: [...NTFY_TAGS[message.level]] };
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (err) {
      throw signal.aborted ? (signal.reason as Error) : reachFailure(err, url);
    }
    await answered(response, 'the ntfy server');
  };
}

export function emailSender(settings: NotifySettings['email'], timeoutMs: number): Sender {
  if (!settings.host || !settings.from || settings.to.length === 0) throw new PermanentFailure('e-mail needs a server, a sender and at least one address; enter them in Settings');
  return async (message, signal) => {
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    const stop = () => transport.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await transport.sendMail({
        from: settings.from,
        to: settings.to,
        subject: message.title,
        text: `${message.body}\n\n-- \nTendril (${LEVEL_WORD[message.level]})`,
        headers: message.level === 'error' ? { 'X-Priority': '1', Importance: 'high' } : {},
      });
    } catch (err) {
      const failure = err as Error & { responseCode?: number; code?: string };
      // 5xx answers (a refused login, an unknown address) will be refused again.
      if (failure.responseCode !== undefined && failure.responseCode >= 500) throw new PermanentFailure(`the mail server refused: ${failure.message}`);
      if (failure.code === 'EAUTH') throw new PermanentFailure(`the mail server refused the login: ${failure.message}`);
      throw new Error(`the mail could not be sent: ${failure.message}`);
    } finally {
      signal.removeEventListener('abort', stop);
      transport.close();
    }
  };
}
