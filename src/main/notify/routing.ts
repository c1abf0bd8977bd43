/**
 * Which alerts go to which channel, and when: pure, so it is tested on a fake clock. Time comes
 * in with every call; the notifier around it does the sending and the timers.
 *
 * - Routing: a channel gets alerts at or above its minimum level.
 * - Repeats: the first alert with a code goes at once; more with that code within the window
 *   are counted, and one message with the count goes when the window ends. A repeat more urgent
 *   than the one sent goes at once.
 * - Quiet hours (local time): warnings and info are held, not dropped, and go as one summary
 *   per channel when quiet hours end. A critical alert is never held.
 */
import { LEVEL_RANK, LEVEL_WORD, NOTIFY_CHANNELS, type NotifyChannel, type NotifySettings } from '../../shared/notify';
import type { AlertLevel } from '../../shared/station';

/** The part of an alert notifications use; the alert model may carry more. */
export interface AlertFacts {
  id: number;
  level: AlertLevel;
  code: string;
  message: string;
  at: number;
}

export interface NotifyMessage {
  /** alert: one alert; repeats: a count of repeats; held: what quiet hours held; test: from Settings. */
  kind: 'alert' | 'repeats' | 'held' | 'test';
  level: AlertLevel;
  title: string;
  body: string;
  at: number;
  /** The alerts it tells of, the latest of each code. */
  alerts: AlertFacts[];
  /** For `repeats`: how many more times the code came. */
  repeats?: number;
}

export interface Outgoing {
  channel: NotifyChannel;
  message: NotifyMessage;
}

/** Minutes since local midnight at `at`; tests pass one that does not depend on the machine's zone. */
export type MinuteOfDay = (at: number) => number;

export const localMinuteOfDay: MinuteOfDay = (at) => {
  const date = new Date(at);
  return date.getHours() * 60 + date.getMinutes();
};

/** Most held alerts listed in one summary; the rest are counted. */
const HELD_LISTED = 20;

interface RepeatWindow {
  until: number;
  /** The most urgent level sent for the code in this window. */
  level: AlertLevel;
  repeats: number;
  latest: AlertFacts;
}

function minutesOf(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

function clockText(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export class AlertRouter {
  private readonly windows = new Map<string, RepeatWindow>();
  private readonly held = new Map<NotifyChannel, NotifyMessage[]>();

  constructor(
    private settings: NotifySettings,
    private readonly minuteOfDay: MinuteOfDay = localMinuteOfDay,
  ) {}

  update(settings: NotifySettings): void {
    this.settings = settings;
  }

  /** What to send now for a new alert. */
  offer(alert: AlertFacts, now: number): Outgoing[] {
    const windowMs = this.settings.repeatWindowMinutes * 60_000;
    const open = this.windows.get(alert.code);
    if (open && now < open.until) {
      if (LEVEL_RANK[alert.level] <= LEVEL_RANK[open.level]) {
        open.repeats += 1;
        open.latest = alert;
        return [];
      }
      // More urgent than what was sent: it cannot wait for the window to end.
      const earlier = open.repeats;
      this.windows.set(alert.code, { until: now + windowMs, level: alert.level, repeats: 0, latest: alert });
      return this.route(alertMessage(alert, earlier), now);
    }
    if (windowMs > 0) this.windows.set(alert.code, { until: now + windowMs, level: alert.level, repeats: 0, latest: alert });
    return this.route(alertMessage(alert, 0), now);
  }

  /** What has come due: counts for windows that ended, and what quiet hours held once they end. */
  tick(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    for (const [code, window] of this.windows) {
      if (now < window.until) continue;
      this.windows.delete(code);
      if (window.repeats > 0) out.push(...this.route(repeatsMessage(window, this.settings.repeatWindowMinutes, now), now));
    }
    if (!this.isQuiet(now)) {
      for (const [channel, messages] of this.held) {
        this.held.delete(channel);
        if (messages.length > 0) out.push({ channel, message: this.heldMessage(messages, now) });
      }
    }
    return out;
  }

  /** Messages waiting for quiet hours to end, on any channel. */
  heldCount(): number {
    let count = 0;
    for (const messages of this.held.values()) count += messages.length;
    return count;
  }

  isQuiet(now: number): boolean {
    const quiet = this.settings.quietHours;
    if (!quiet.enabled) return false;
    const start = minutesOf(quiet.start);
    const end = minutesOf(quiet.end);
    const minute = this.minuteOfDay(now);
    return start < end ? minute >= start && minute < end : minute >= start || minute < end;
  }

  private route(message: NotifyMessage, now: number): Outgoing[] {
    const out: Outgoing[] = [];
    const quiet = message.level !== 'error' && this.isQuiet(now);
    for (const channel of NOTIFY_CHANNELS) {
      const wanted = this.settings[channel];
      if (!wanted.enabled || LEVEL_RANK[message.level] < LEVEL_RANK[wanted.minLevel]) continue;
      if (quiet) {
        const held = this.held.get(channel) ?? [];
        held.push(message);
        this.held.set(channel, held);
      } else {
        out.push({ channel, message });
      }
    }
    return out;
  }

  private heldMessage(messages: NotifyMessage[], now: number): NotifyMessage {
    const level = messages.reduce<AlertLevel>((worst, message) => (LEVEL_RANK[message.level] > LEVEL_RANK[worst] ? message.level : worst), 'info');
    const lines = messages.slice(0, HELD_LISTED).map((message) => `${clockText(this.minuteOfDay(message.at))} ${summaryLine(message)}`);
    if (messages.length > HELD_LISTED) lines.push(`…and ${messages.length - HELD_LISTED} more; the Alerts screen has them all`);
    const { start, end } = this.settings.quietHours;
    return {
      kind: 'held',
      level,
      title: `Tendril: ${messages.length} ${messages.length === 1 ? 'alert' : 'alerts'} during quiet hours (${start}–${end})`,
      body: lines.join('\n'),
      at: now,
      alerts: messages.flatMap((message) => message.alerts),
    };
  }
}

/** One held message as a line of the summary. */
function summaryLine(message: NotifyMessage): string {
  const alert = message.alerts[0];
  if (!alert) return message.title;
  const repeats = message.repeats ? ` (${message.repeats} more ${message.repeats === 1 ? 'time' : 'times'})` : '';
  return `${LEVEL_WORD[message.level]} ${alert.code}${repeats}: ${alert.message}`;
}

function alertMessage(alert: AlertFacts, earlierRepeats: number): NotifyMessage {
  const repeated = earlierRepeats > 0 ? ` (it also came ${earlierRepeats} ${earlierRepeats === 1 ? 'time' : 'times'} before, less urgently)` : '';
  return {
    kind: 'alert',
    level: alert.level,
    title: `Tendril ${LEVEL_WORD[alert.level]}: ${alert.code}`,
    body: `${alert.message}${repeated}`,
    at: alert.at,
    alerts: [alert],
  };
}

function repeatsMessage(window: RepeatWindow, minutes: number, now: number): NotifyMessage {
  const { latest, repeats } = window;
  return {
    kind: 'repeats',
    level: window.level,
    title: `Tendril ${LEVEL_WORD[window.level]}: ${latest.code} again, ${repeats} more ${repeats === 1 ? 'time' : 'times'}`,
    body: `${latest.code} came ${repeats} more ${repeats === 1 ? 'time' : 'times'} within ${minutes} min of the first. Latest: ${latest.message}`,
    at: now,
    alerts: [latest],
    repeats,
  };
}

/** A message that says a channel works, sent from Settings. */
export function testMessage(channel: NotifyChannel, now: number): NotifyMessage {
  return {
    kind: 'test',
    level: 'info',
    title: 'Tendril: test notification',
    body: `This is a test from Tendril's Settings screen: alerts will reach you on this ${channel === 'email' ? 'address' : channel}.`,
    at: now,
    alerts: [],
  };
}
