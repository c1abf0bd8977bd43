import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings, type NotifySettingsInput } from '../../shared/notify';
import { initialStationState, type AlertLevel } from '../../shared/station';
import { StationStore } from '../store';
import { Notifier, type NotifierOptions } from './notifier';
import { startHttpSink, type HttpSink } from '../../test-support/main/http-sink';

const sinks: HttpSink[] = [];
const notifiers: Notifier[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const notifier of notifiers.splice(0)) notifier.close();
  for (const sink of sinks.splice(0)) await sink.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function sink(answer?: Parameters<typeof startHttpSink>[0]): Promise<HttpSink> {
  const started = await startHttpSink(answer);
  sinks.push(started);
  return started;
}

function webhookTo(url: string, change: (settings: NotifySettings) => void = () => {}): NotifySettings {
  const settings: NotifySettings = structuredClone(DEFAULT_NOTIFY_SETTINGS);
  settings.webhook = { enabled: true, minLevel: 'info', url, authorization: 'Bearer s3cret-hook' };
  change(settings);
  return settings;
}

/** Pauses between tries are recorded and skipped: the backoff is checked without waiting for it. */
function notifier(options: NotifierOptions, pauses: number[] = []): Notifier {
  const made = new Notifier({
    ticking: false,
    timing: { attempts: 4, firstRetryMs: 1000, timeoutMs: 5000, wait: async (ms) => void pauses.push(ms) },
    ...options,
  });
  notifiers.push(made);
  return made;
}

let ids = 0;
const alert = (level: AlertLevel, code: string, message = `${code} happened`) => ({ id: ++ids, level, code, message, at: Date.UTC(2026, 5, 1, 12), source: 'host' as const });

/** Resolves once the channel's last result is in. */
async function settled(notify: Notifier, channel: 'webhook' | 'ntfy' | 'email', count = 1): Promise<void> {
  const seen: unknown[] = [];
  while (seen.length < count) {
    const last = notify.status().channels[channel].last;
    if (last && !seen.includes(last)) seen.push(last);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('webhook', () => {
  it('posts the alert as JSON, with its Authorization header', async () => {
    const hook = await sink();
    const notify = notifier({ settings: webhookTo(`${hook.url}/hooks/tendril`) });
    notify.alert(alert('error', 'DOSE_TIMEOUT', 'pump nut_a did not finish its dose'));
    const [request] = await hook.received(1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/tendril');
    expect(request?.headers['authorization']).toBe('Bearer s3cret-hook');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      source: 'tendril',
      kind: 'alert',
      level: 'error',
      title: 'Tendril critical: DOSE_TIMEOUT',
      body: 'pump nut_a did not finish its dose',
      at: '2026-06-01T12:00:00.000Z',
      alerts: [{ id: ids, level: 'error', code: 'DOSE_TIMEOUT', message: 'pump nut_a did not finish its dose', at: '2026-06-01T12:00:00.000Z' }],
    });
    await settled(notify, 'webhook');
    expect(notify.status().channels.webhook.last).toMatchObject({ ok: true, attempts: 1, test: false });
  });

  it('tries again after 1 s and 2 s when the server fails twice, and delivers on the third try', async () => {
    const hook = await sink((_request, nth) => (nth <= 2 ? 500 : 200));
    const pauses: number[] = [];
    const notify = notifier({ settings: webhookTo(hook.url) }, pauses);
    notify.alert(alert('warning', 'SENSOR_STALE'));
    await hook.received(3);
    await settled(notify, 'webhook');
    expect(pauses).toEqual([1000, 2000]);
    expect(notify.status().channels.webhook.last).toMatchObject({ ok: true, attempts: 3 });
  });

  it('gives up after the last try and keeps why', async () => {
    const hook = await sink(() => 503);
    const pauses: number[] = [];
    const lines: string[] = [];
    const notify = notifier({ settings: webhookTo(hook.url), log: (line) => lines.push(line) }, pauses);
    notify.alert(alert('warning', 'SENSOR_STALE'));
    await settled(notify, 'webhook');
    expect(hook.requests).toHaveLength(4);
    expect(pauses).toEqual([1000, 2000, 4000]);
    expect(notify.status().channels.webhook.last).toMatchObject({ ok: false, attempts: 4, error: 'the webhook answered 503 Service Unavailable: refused with 503' });
    expect(lines.some((line) => line.includes('could not send "Tendril warning: SENSOR_STALE" after 4 tries'))).toBe(true);
  });

  it('does not try again when the server says the request itself is wrong', async () => {
    const hook = await sink(() => 404);
    const pauses: number[] = [];
    const notify = notifier({ settings: webhookTo(hook.url) }, pauses);
    notify.alert(alert('warning', 'SENSOR_STALE'));
    await settled(notify, 'webhook');
    expect(hook.requests).toHaveLength(1);
    expect(pauses).toEqual([]);
    expect(notify.status().channels.webhook.last).toMatchObject({ ok: false, attempts: 1, error: expect.stringContaining('404') });
  });
});

describe('ntfy', () => {
  it('publishes to the topic with a title, a priority from the level, and its token', async () => {
    const server = await sink();
    const settings: NotifySettings = structuredClone(DEFAULT_NOTIFY_SETTINGS);
    settings.ntfy = { enabled: true, minLevel: 'warning', server: `${server.url}/`, topic: 'greenhouse-3', token: 'tk_phone' };
    const notify = notifier({ settings });
    notify.alert(alert('info', 'TANK_FULL'));
    notify.alert(alert('error', 'DOSE_TIMEOUT', 'pump nut_a stalled'));
    notify.alert(alert('warning', 'SENSOR_STALE', 'pH probe silent'));
    const requests = await server.received(2);
    expect(requests.map((request) => request.path)).toEqual(['/', '/']);
    expect(requests[0]?.headers['authorization']).toBe('Bearer tk_phone');
    expect(requests.map((request) => JSON.parse(request.body))).toEqual([
      { topic: 'greenhouse-3', title: 'Tendril critical: DOSE_TIMEOUT', message: 'pump nut_a stalled', priority: 5, tags: ['rotating_light'] },
      { topic: 'greenhouse-3', title: 'Tendril warning: SENSOR_STALE', message: 'pH probe silent', priority: 4, tags: ['warning'] },
    ]);
  });
});

describe('a channel that never answers', () => {
  it('never holds up the station: raising alerts returns at once, and the queue stays bounded', async () => {
    const hook = await sink((_request, nth) => (nth === 1 ? 'hang' : 200));
    const lines: string[] = [];
    const notify = notifier({
      settings: webhookTo(hook.url, (s) => (s.repeatWindowMinutes = 0)),
      capacity: 3,
      log: (line) => lines.push(line),
      timing: { attempts: 1, firstRetryMs: 1, timeoutMs: 300, wait: async () => {} },
    });
    // Wired as the station core wires it: every alert event, from the store's listener.
    const store = new StationStore(initialStationState(true, 'simulated'));
    store.subscribe((event) => {
      if (event.type === 'alert') notify.alert(event.alert);
    });
    const raise = (level: AlertLevel, code: string) => store.apply({ type: 'alert', alert: alert(level, code) });

    raise('warning', 'W1');
    // The first is on its way to a server that does not answer; the rest wait their turn.
    await hook.received(1);
    for (const [level, code] of [
      ['warning', 'W2'],
      ['warning', 'W3'],
      ['error', 'E1'],
      ['error', 'E2'],
      ['error', 'E3'],
      ['error', 'E4'],
    ] as const) {
      expect(raise(level, code)).toEqual(expect.any(Number));
    }
    expect(notify.status().channels.webhook).toMatchObject({ waiting: 3, dropped: 3 });
    expect(lines.filter((line) => line.includes('dropped the oldest non-critical one'))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('every waiting one is critical'))).toHaveLength(1);

    // Once the hanging try times out, what the full queue kept goes out: the three newest critical ones.
    const requests = await hook.received(4);
    expect(requests.map((request) => (JSON.parse(request.body) as { alerts: Array<{ code: string }> }).alerts[0]?.code)).toEqual(['W1', 'E2', 'E3', 'E4']);
    expect(lines.some((line) => line.includes('could not send "Tendril warning: W1" after 1 try: no answer within 300 ms'))).toBe(true);
  });

  it('answers a test within its time limit, with the reason', async () => {
    const hook = await sink(() => 'hang');
    const notify = notifier({ settings: webhookTo(hook.url), timing: { attempts: 4, firstRetryMs: 1, timeoutMs: 200, wait: async () => {} } });
    expect(await notify.test('webhook')).toMatchObject({ ok: false, attempts: 1, test: true, error: 'no answer within 200 ms' });
    expect(notify.status().channels.webhook.last).toMatchObject({ ok: false, test: true });
  });
});

describe('settings', () => {
  function folder(): string {
    const made = mkdtempSync(join(tmpdir(), 'tendril-notify-'));
    folders.push(made);
    return made;
  }
  const input = (url: string, authorization: string | null | undefined): NotifySettingsInput => ({
    ...structuredClone(DEFAULT_NOTIFY_SETTINGS),
    webhook: { enabled: true, minLevel: 'warning', url, authorization },
  });

  it('saves to settings.json beside the other settings, keeps a secret the form left empty, and removes it on null', () => {
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ station: { serialPath: '/dev/ttyUSB0' } }));
    const notify = notifier({ dataDir });
    expect(notify.configure(input('https://hooks.example.com/a', 'Bearer one')).settings.webhook).toEqual({ enabled: true, minLevel: 'warning', url: 'https://hooks.example.com/a', authorization: 'set' });
    notify.configure(input('https://hooks.example.com/b', ''));
    notify.configure(input('https://hooks.example.com/c', undefined));
    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { station: unknown; notify: NotifySettings };
    expect(saved.station).toEqual({ serialPath: '/dev/ttyUSB0' });
    expect(saved.notify.webhook).toEqual({ enabled: true, minLevel: 'warning', url: 'https://hooks.example.com/c', authorization: 'Bearer one' });
    // The next start reads them back.
    expect(notifier({ dataDir }).status().settings.webhook).toMatchObject({ url: 'https://hooks.example.com/c', authorization: 'set' });
    expect(notify.configure(input('https://hooks.example.com/c', null)).settings.webhook.authorization).toBe('not set');
  });

  it('sends nothing, and says why, when the saved settings are not valid', () => {
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ notify: { ...DEFAULT_NOTIFY_SETTINGS, repeatWindowMinutes: -5 } }));
    const status = notifier({ dataDir }).status();
    expect(status.problem).toContain('notify.repeatWindowMinutes: must be 0 (send every repeat) or more');
    expect(status.settings.webhook.enabled).toBe(false);
  });
});
