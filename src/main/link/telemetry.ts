import type { StationChange } from '../../shared/events';
import { channelOf, isTelemetry } from '../../shared/scope';

/**
 * A telemetry line held as received: translated into its change only if it is still the latest
 * for its channel when the coalescer delivers. The fields are text[from, end) of the line.
 */
export class TelemetryLine {
  constructor(
    public name: string,
    public text: string,
    public from: number,
    public end: number,
    /** When the line was read: the change carries this time, not the time of the flush. */
    public at: number,
  ) {}
}

/** Turns a held line into its change; null if it makes none (the link holds only lines that do). */
export type TelemetryTranslator = (line: TelemetryLine) => StationChange | null;

/**
 * Coalesces high-frequency telemetry per channel, latest value winning, until the event loop
 * has handled everything that was read; discrete events pass at once and are never dropped.
 * A discrete event first releases telemetry held for its own channel, so a dose's last progress
 * can never land after the event that says it is done.
 *
 * Telemetry comes either as a change or, from the link's read path, as the line itself: most
 * lines are replaced by a newer one before the flush, so only the survivor is ever translated.
 */
export class TelemetryCoalescer {
  /** Channel ids are unique across kinds, so the channel alone keys what is held. */
  private readonly held = new Map<string, StationChange | TelemetryLine>();
  private flushQueued = false;

  constructor(
    private readonly deliver: (change: StationChange) => void,
    private readonly translate: TelemetryTranslator = () => null,
  ) {}

  push(change: StationChange): void {
    const channel = channelOf(change);
    if (channel !== null && isTelemetry(change)) {
      this.held.set(channel, change);
      this.queueFlush();
      return;
    }
    const pending = channel === null ? undefined : this.held.get(channel);
    if (channel !== null && pending) {
      this.held.delete(channel);
      this.release(pending);
    }
    this.deliver(change);
  }

  /**
   * Holds a telemetry line for `channel` in place of whatever was held there. The caller has
   * checked the line in full and knows it makes a telemetry change for this channel.
   */
  pushLine(channel: string, name: string, text: string, from: number, end: number, at: number): void {
    const pending = this.held.get(channel);
    if (pending instanceof TelemetryLine) {
      // Refilled rather than replaced: this runs for most lines the device sends.
      pending.name = name;
      pending.text = text;
      pending.from = from;
      pending.end = end;
      pending.at = at;
    } else {
      this.held.set(channel, new TelemetryLine(name, text, from, end, at));
    }
    this.queueFlush();
  }

  flush(): void {
    this.flushQueued = false;
    for (const pending of this.held.values()) this.release(pending);
    this.held.clear();
  }

  private release(pending: StationChange | TelemetryLine): void {
    const change = pending instanceof TelemetryLine ? this.translate(pending) : pending;
    if (change) this.deliver(change);
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => this.flush());
  }
}
