import type { StationEvent } from '../../shared/station-events';

/**
 * The channel a telemetry event is about (readings, flow counts, dose and fill progress), or
 * null for a discrete event. Channel ids are unique across kinds, so the channel is the key.
 */
function telemetryChannel(event: StationEvent): string | null {
  switch (event.type) {
    case 'reading':
    case 'flow':
      return event.channel;
    case 'dose':
    case 'fill':
      return event.done ? null : event.channel;
    default:
      return null;
  }
}

/**
 * Coalesces high-frequency telemetry per channel, latest value winning, until the event loop
 * has handled everything that was read; discrete events pass at once and are never dropped.
 * A discrete event first releases telemetry held for its own channel, so a dose's last progress
 * can never land after the event that says it is done.
 */
export class TelemetryCoalescer {
  private readonly held = new Map<string, StationEvent>();
  private flushQueued = false;

  constructor(private readonly deliver: (event: StationEvent) => void) {}

  push(event: StationEvent): void {
    const channel = telemetryChannel(event);
    if (channel === null) {
      const pending = 'channel' in event ? this.held.get(event.channel) : undefined;
      if (pending && 'channel' in pending) {
        this.held.delete(pending.channel);
        this.deliver(pending);
      }
      this.deliver(event);
      return;
    }
    this.held.set(channel, event);
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushQueued = false;
    for (const event of this.held.values()) this.deliver(event);
    this.held.clear();
  }
}
