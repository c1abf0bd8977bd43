import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../../shared/notify';
import type { AlertLevel } from '../../shared/station';
import { AlertRouter, type AlertFacts, type MinuteOfDay } from './routing';

/** Minutes since midnight UTC: the tests do not depend on the machine's time zone. */
const utcMinute: MinuteOfDay = (at) => Math.floor(at / 60_000) % 1440;
const at = (clock: string, day = 0): number => {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return Date.UTC(2026, 5, 1 + day, hours, minutes);
};
const MINUTE = 60_000;

function settings(change: (settings: NotifySettings) => void = () => {}): NotifySettings {
  const next: NotifySettings = structuredClone(DEFAULT_NOTIFY_SETTINGS);
  next.webhook = { ...next.webhook, enabled: true, minLevel: 'info', url: 'http://127.0.0.1:1/hook' };
  next.ntfy = { ...next.ntfy, enabled: true, minLevel: 'warning', topic: 'greenhouse' };
  next.email = { ...next.email, enabled: true, minLevel: 'error', host: 'mail.example.com', from: 'tendril@example.com', to: ['grower@example.com'] };
  next.repeatWindowMinutes = 10;
  change(next);
  return next;
}

let ids = 0;
function alert(level: AlertLevel, code: string, when: number, message = `${code} happened`): AlertFacts {
  return { id: ++ids, level, code, message, at: when };
}

const channels = (out: { channel: string }[]) => out.map((entry) => entry.channel);

describe('alert routing', () => {
  it('sends each alert to the channels whose minimum level it reaches', () => {
    const router = new AlertRouter(settings(), utcMinute);
    expect(channels(router.offer(alert('info', 'TANK_FULL', at('12:00')), at('12:00')))).toEqual(['webhook']);
    expect(channels(router.offer(alert('warning', 'SENSOR_STALE', at('12:00')), at('12:00')))).toEqual(['webhook', 'ntfy']);
    expect(channels(router.offer(alert('error', 'DOSE_TIMEOUT', at('12:00')), at('12:00')))).toEqual(['webhook', 'ntfy', 'email']);
  });

  it('sends nothing on a channel that is switched off', () => {
    const router = new AlertRouter(
      settings((s) => {
        s.ntfy.enabled = false;
        s.email.enabled = false;
      }),
      utcMinute,
    );
    expect(channels(router.offer(alert('error', 'DOSE_TIMEOUT', at('12:00')), at('12:00')))).toEqual(['webhook']);
  });

  it('sends a code once within the window, then the count of its repeats when the window ends', () => {
    const router = new AlertRouter(settings(), utcMinute);
    const first = router.offer(alert('warning', 'SENSOR_STALE', at('12:00'), 'pH probe silent'), at('12:00'));
    expect(first.map((out) => out.message.kind)).toEqual(['alert', 'alert']);
    expect(first[0]?.message.title).toBe('Tendril warning: SENSOR_STALE');
    for (const minute of [1, 2, 3]) {
      expect(router.offer(alert('warning', 'SENSOR_STALE', at('12:00') + minute * MINUTE, `pH probe silent ${minute}`), at('12:00') + minute * MINUTE)).toEqual([]);
    }
    // Another code is not held back by this one's window.
    expect(router.offer(alert('warning', 'EC_DRIFT', at('12:04')), at('12:04'))).toHaveLength(2);
    expect(router.tick(at('12:09'))).toEqual([]);
    const summary = router.tick(at('12:10'));
    expect(channels(summary)).toEqual(['webhook', 'ntfy']);
    expect(summary[0]?.message).toMatchObject({ kind: 'repeats', level: 'warning', repeats: 3 });
    expect(summary[0]?.message.body).toContain('came 3 more times within 10 min');
    expect(summary[0]?.message.body).toContain('pH probe silent 3');
    // The window is over: the next one is news again.
    expect(router.offer(alert('warning', 'SENSOR_STALE', at('12:11')), at('12:11'))).toHaveLength(2);
  });

  it('sends no count when a code did not repeat', () => {
    const router = new AlertRouter(settings(), utcMinute);
    router.offer(alert('warning', 'SENSOR_STALE', at('12:00')), at('12:00'));
    expect(router.tick(at('12:30'))).toEqual([]);
  });

  it('sends a repeat at once when it is more urgent than the alert sent', () => {
    const router = new AlertRouter(settings(), utcMinute);
    router.offer(alert('warning', 'TANK_LOW', at('12:00')), at('12:00'));
    router.offer(alert('warning', 'TANK_LOW', at('12:01')), at('12:01'));
    const worse = router.offer(alert('error', 'TANK_LOW', at('12:02'), 'tank empty'), at('12:02'));
    expect(channels(worse)).toEqual(['webhook', 'ntfy', 'email']);
    expect(worse[0]?.message.body).toBe('tank empty (it also came 1 time before, less urgently)');
  });

  it('sends every repeat when the window is 0', () => {
    const router = new AlertRouter(settings((s) => (s.repeatWindowMinutes = 0)), utcMinute);
    for (const minute of [0, 1, 2]) expect(router.offer(alert('info', 'TANK_FULL', at('12:00') + minute * MINUTE), at('12:00') + minute * MINUTE)).toHaveLength(1);
  });

  describe('quiet hours', () => {
    const quiet = settings((s) => (s.quietHours = { enabled: true, start: '22:00', end: '07:00' }));

    it('holds warnings and info across midnight, and sends them as one summary when quiet hours end', () => {
      const router = new AlertRouter(quiet, utcMinute);
      expect(router.offer(alert('warning', 'SENSOR_STALE', at('23:30'), 'pH probe silent'), at('23:30'))).toEqual([]);
      expect(router.offer(alert('info', 'TANK_FULL', at('02:15', 1), 'reservoir full'), at('02:15', 1))).toEqual([]);
      expect(router.heldCount()).toBe(3); // two for the webhook, one for ntfy
      expect(router.tick(at('06:59', 1))).toEqual([]);
      const morning = router.tick(at('07:00', 1));
      expect(channels(morning)).toEqual(['webhook', 'ntfy']);
      const webhook = morning.find((out) => out.channel === 'webhook')?.message;
      expect(webhook).toMatchObject({ kind: 'held', level: 'warning', title: 'Tendril: 2 alerts during quiet hours (22:00–07:00)' });
      expect(webhook?.body).toBe('23:30 warning SENSOR_STALE: pH probe silent\n02:15 info TANK_FULL: reservoir full');
      expect(morning.find((out) => out.channel === 'ntfy')?.message.title).toBe('Tendril: 1 alert during quiet hours (22:00–07:00)');
      expect(router.heldCount()).toBe(0);
      expect(router.tick(at('07:01', 1))).toEqual([]);
    });

    it('never holds a critical alert', () => {
      const router = new AlertRouter(quiet, utcMinute);
      const night = router.offer(alert('error', 'DOSE_TIMEOUT', at('03:00')), at('03:00'));
      expect(channels(night)).toEqual(['webhook', 'ntfy', 'email']);
      expect(router.heldCount()).toBe(0);
    });

    it('holds the count of repeats that ends during quiet hours', () => {
      const router = new AlertRouter(quiet, utcMinute);
      router.offer(alert('warning', 'SENSOR_STALE', at('21:55')), at('21:55'));
      router.offer(alert('warning', 'SENSOR_STALE', at('21:58')), at('21:58'));
      expect(router.tick(at('22:05'))).toEqual([]);
      const morning = router.tick(at('07:00', 1));
      expect(morning[0]?.message.body).toBe('22:05 warning SENSOR_STALE (1 more time): SENSOR_STALE happened');
    });

    it('keeps a daytime window too', () => {
      const router = new AlertRouter(settings((s) => (s.quietHours = { enabled: true, start: '12:00', end: '14:00' })), utcMinute);
      expect(router.isQuiet(at('11:59'))).toBe(false);
      expect(router.isQuiet(at('12:00'))).toBe(true);
      expect(router.isQuiet(at('13:59'))).toBe(true);
      expect(router.isQuiet(at('14:00'))).toBe(false);
    });
  });
});
