import type { StationChange } from '../../shared/events';

/**
 * The channel a telemetry event is about (readings, flow counts, dose and fill progress), or
 * null for a discrete event. Channel ids are unique across kinds, so the channel is the key.
 */
function telemetryChannel(change: StationChange): string | null {
  switch (change.type) {
    case 'ecph_reading':
      return change.sensorId;
    case 'flow_update':
      return change.meterId;
    case 'pump_progress':
      return change.done ? null : change.pumpId;
    case 'fill_progress':
      return change.done ? null : change.valveId;
    default:
      return null;
  }
}

/** The channel a discrete change is about, so telemetry held for it can go first. */
function discreteChannel(change: StationChange): string | null {
  switch (change.type) {
    case 'relay_update':
      return change.relayId;
    case 'pump_progress':
      return change.pumpId;
    case 'fill_progress':
      return change.valveId;
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
  private readonly held = new Map<string, StationChange>();
  private flushQueued = false;

  constructor(private readonly deliver: (change: StationChange) => void) {}

  push(change: StationChange): void {
    const channel = telemetryChannel(change);
    if (channel === null) {
      const own = discreteChannel(change);
      const pending = own === null ? undefined : this.held.get(own);
      if (own !== null && pending) {
        this.held.delete(own);
        this.deliver(pending);
      }
      this.deliver(change);
      return;
    }
    this.held.set(channel, change);
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushQueued = false;
    for (const change of this.held.values()) this.deliver(change);
    this.held.clear();
  }
}
