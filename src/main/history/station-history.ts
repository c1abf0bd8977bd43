/**
 * The station's sensor history while it runs: every reading and flow rate recorded as it
 * arrives, and, when there is a station database, old raw samples summarised into minutes and
 * expired every hour. Without a database the recent readings are kept in memory instead, so a
 * chart still has something to draw.
 */
import type { StationChange } from '../../shared/events';
import type { ChannelHistory } from '../../shared/history';
import type { SensorHistory } from '../db';
import { ReadingHistory } from './recent-readings';
import type { HistorySource } from './records';

/** How often old sensor history is summarised and expired. */
export const RETENTION_EVERY_MS = 3600_000;

export interface StationHistoryOptions {
  /** The station database's history; without one, recent readings are kept in memory. */
  store?: SensorHistory | null;
  /** Listens to the station's changes; returns the function that stops listening. */
  changes(listener: (change: StationChange) => void): () => void;
  log?: (line: string) => void;
  /**
   * How many times faster than real time the station runs (a simulated station's
   * --time-scale; default 1). Retention then runs every hour of station time. Readings are
   * stamped and cut by the host's clock, as the rest of the station reads them; a simulated
   * month keeps what a real one would when the retention settings are divided by the scale too.
   */
  timeScale?: number;
}

export class StationHistory implements HistorySource {
  private readonly store: SensorHistory | null;
  private readonly recorder: SensorHistory | ReadingHistory;
  private readonly changes: StationHistoryOptions['changes'];
  private readonly log: (line: string) => void;
  private unsubscribe: (() => void) | null = null;
  private retention: ReturnType<typeof setInterval> | null = null;
  private readonly timeScale: number;

  constructor(options: StationHistoryOptions) {
    this.store = options.store ?? null;
    this.recorder = this.store ?? new ReadingHistory();
    this.changes = options.changes;
    this.log = options.log ?? (() => {});
    this.timeScale = options.timeScale ?? 1;
    if (!(Number.isFinite(this.timeScale) && this.timeScale >= 1)) throw new RangeError(`timeScale must be a number of at least 1, not ${this.timeScale}`);
  }

  /** Records from now on and, with a database, expires old samples now and every hour. */
  start(): void {
    if (this.unsubscribe) return;
    const recorder = this.recorder;
    this.unsubscribe = this.changes((change) => recorder.recordChange(change));
    if (this.store) {
      this.keep();
      this.retention = setInterval(() => this.keep(), RETENTION_EVERY_MS / this.timeScale);
      // Expiring history must not keep a finished process alive.
      this.retention.unref();
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.retention) clearInterval(this.retention);
    this.retention = null;
  }

  query(channel: string, from: number, to: number, maxPoints?: number): ChannelHistory | null {
    return this.recorder.query(channel, from, to, maxPoints);
  }

  channels(): string[] {
    return this.recorder.channels();
  }

  private keep(): void {
    try {
      const report = this.store!.runRetention();
      if (report.deletedSamples > 0) this.log(`history: summarised ${report.rolledUpMinutes} minutes, removed ${report.deletedSamples} raw samples`);
    } catch (err) {
      this.log(`history: retention failed (${(err as Error).message}); it will try again in an hour`);
    }
  }
}
