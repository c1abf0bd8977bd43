import type { StationChange } from '../../shared/events';

/** The channel a change is about, or null for changes that concern the whole station. */
function channelOf(change: StationChange): string | null {
  switch (change.type) {
    case 'ecph_reading':
      return change.sensorId;
    case 'flow_update':
      return change.meterId;
    case 'pump_progress':
      return change.pumpId;
    case 'fill_progress':
      return change.valveId;
    case 'relay_update':
      return change.relayId;
    default:
      return null;
  }
}

/**
 * High-frequency telemetry: readings, flow counts, and dose and fill progress short of the end.
 * Channel ids are unique across kinds, so the channel alone keys it.
 */
function isTelemetry(change: StationChange): boolean {
  switch (change.type) {
    case 'ecph_reading':
    case 'flow_update':
      return true;
    case 'pump_progress':
    case 'fill_progress':
      return !change.done;
    default:
      return false;
  }
}

/**
 * Coalesces high-frequency telemetry per channel, latest value winning, until the event loop
 * has handled everything that was read; discrete events pass at once and are never dropped.
 * A discrete event first releases telemetry held for its own channel, so a dose's last progress
 * can never land after the event that says it is done.
 */
export class TelemetryCoalescer {
  private readonly held = new Map<string, StationChange>();
  private flushQueued = false;

  constructor(private readonly deliver: (change: StationChange) => void) {}

  push(change: StationChange): void {
    const channel = channelOf(change);
    if (channel !== null && isTelemetry(change)) {
      this.held.set(channel, change);
      if (!this.flushQueued) {
        this.flushQueued = true;
        setImmediate(() => this.flush());
      }
      return;
    }
    const pending = channel === null ? undefined : this.held.get(channel);
    if (channel !== null && pending) {
      this.held.delete(channel);
      this.deliver(pending);
    }
    this.deliver(change);
  }

  flush(): void {
    this.flushQueued = false;
    for (const change of this.held.values()) this.deliver(change);
    this.held.clear();
  }
}
