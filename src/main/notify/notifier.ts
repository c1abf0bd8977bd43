/**
 * The notifier: alerts in, messages out on every channel the grower set up. `alert` returns at
 * once and never throws, so the station can call it from the store's listener; everything slow
 * happens in the channels' outboxes.
 */
import { DEFAULT_NOTIFY_SETTINGS, NOTIFY_CHANNELS, type DeliveryResult, type NotifyChannel, type NotifySettings, type NotifySettingsInput, type NotifyStatus } from '../../shared/notify';
import { emailSender, ntfySender, webhookSender } from './channels';
import { ChannelOutbox, DEFAULT_TIMING, type DeliveryTiming, type Sender } from './delivery';
import { AlertRouter, localMinuteOfDay, testMessage, type AlertFacts, type MinuteOfDay, type Outgoing } from './routing';
import { loadNotifySettings, mergeNotifySettings, saveNotifySettings, viewOf } from './settings';

/** How often repeat windows and quiet hours are looked at. */
const TICK_MS = 15_000;
/** Messages one channel holds before the oldest non-critical gives way. */
const CAPACITY = 50;

export interface NotifierOptions {
  /** Where settings.json is; without it (tests) the settings are kept in memory only. */
  dataDir?: string;
  /** Settings to start from instead of reading settings.json's. */
  settings?: NotifySettings;
  /** Why `settings` are the defaults: the file's `notify` section could not be used. */
  settingsProblem?: string;
  log?: (line: string) => void;
  now?: () => number;
  minuteOfDay?: MinuteOfDay;
  timing?: Partial<DeliveryTiming>;
  capacity?: number;
  /** Whether to look at repeat windows and quiet hours on a timer; tests with a fake clock call `tick`. */
  ticking?: boolean;
  /** Replaces a channel's sender, for tests of the queue itself. */
  senders?: Partial<Record<NotifyChannel, (settings: NotifySettings) => Sender>>;
}

/** What the command door uses. */
export interface NotifyDesk {
  status(): NotifyStatus;
  configure(input: NotifySettingsInput): NotifyStatus;
  test(channel: NotifyChannel): Promise<DeliveryResult>;
}

export class Notifier implements NotifyDesk {
  private settings: NotifySettings;
  private problem: string | undefined;
  private readonly router: AlertRouter;
  private readonly outboxes: Record<NotifyChannel, ChannelOutbox>;
  private readonly last: Record<NotifyChannel, DeliveryResult | null> = { webhook: null, ntfy: null, email: null };
  private readonly timer: ReturnType<typeof setInterval> | null;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: NotifierOptions = {}) {
    this.log = options.log ?? (() => {});
    this.now = options.now ?? Date.now;
    const loaded: { settings: NotifySettings; problem?: string } = options.settings
      ? { settings: options.settings, problem: options.settingsProblem }
      : options.dataDir
        ? loadNotifySettings(options.dataDir)
        : { settings: DEFAULT_NOTIFY_SETTINGS };
    this.settings = loaded.settings;
    this.problem = loaded.problem;
    if (this.problem) this.log(`settings: ${this.problem}`);
    this.router = new AlertRouter(this.settings, options.minuteOfDay ?? localMinuteOfDay);
    const timing: DeliveryTiming = { ...DEFAULT_TIMING, ...options.timing };
    const outbox = (channel: NotifyChannel) =>
      new ChannelOutbox({
        name: channel,
        sender: () => this.senderFor(channel, timing),
        timing,
        capacity: options.capacity ?? CAPACITY,
        now: this.now,
        log: this.log,
        onResult: (result) => (this.last[channel] = result),
      });
    this.outboxes = { webhook: outbox('webhook'), ntfy: outbox('ntfy'), email: outbox('email') };
    this.timer = options.ticking === false ? null : setInterval(() => this.tick(), TICK_MS);
    this.timer?.unref();
  }

  /** Takes an alert for sending; returns at once. */
  alert(alert: AlertFacts): void {
    try {
      const { id, level, code, message, at } = alert;
      this.send(this.router.offer({ id, level, code, message, at }, this.now()));
    } catch (err) {
      this.log(`notify: alert ${alert.code} was not sent (${(err as Error).message})`);
    }
  }

  /** Sends what has come due: counts of repeats, and what quiet hours held once they end. */
  tick(): void {
    try {
      this.send(this.router.tick(this.now()));
    } catch (err) {
      this.log(`notify: ${(err as Error).message}`);
    }
  }

  status(): NotifyStatus {
    const channel = (name: NotifyChannel) => ({ last: this.last[name], waiting: this.outboxes[name].length, dropped: this.outboxes[name].dropped });
    return {
      settings: viewOf(this.settings),
      channels: { webhook: channel('webhook'), ntfy: channel('ntfy'), email: channel('email') },
      held: this.router.heldCount(),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /** Saves new settings (secrets left empty are kept), then uses them. Throws, changing nothing, when they cannot be saved. */
  configure(input: NotifySettingsInput): NotifyStatus {
    const next = mergeNotifySettings(this.settings, input);
    if (this.options.dataDir) saveNotifySettings(this.options.dataDir, next);
    this.settings = next;
    this.problem = undefined;
    this.router.update(next);
    const on = NOTIFY_CHANNELS.filter((channel) => next[channel].enabled);
    this.log(`notify: settings saved; sending on ${on.length > 0 ? on.join(', ') : 'no channel'}`);
    return this.status();
  }

  /** Sends a test message on one channel now, once, and says how it went. */
  async test(channel: NotifyChannel): Promise<DeliveryResult> {
    const result = await this.outboxes[channel].sendNow(testMessage(channel, this.now()));
    this.last[channel] = result;
    this.log(`notify: test on ${channel}: ${result.ok ? 'delivered' : result.error}`);
    return result;
  }

  /** Stops the timer and gives up what has not been sent. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const channel of NOTIFY_CHANNELS) this.outboxes[channel].close();
  }

  private send(outgoing: Outgoing[]): void {
    for (const { channel, message } of outgoing) this.outboxes[channel].push(message);
  }

  private senderFor(channel: NotifyChannel, timing: DeliveryTiming): Sender {
    const replaced = this.options.senders?.[channel];
    if (replaced) return replaced(this.settings);
    switch (channel) {
      case 'webhook':
        return webhookSender(this.settings.webhook);
      case 'ntfy':
        return ntfySender(this.settings.ntfy);
      case 'email':
        return emailSender(this.settings.email, timing.timeoutMs);
    }
  }
}
