/**
 * Watches the station's own changes for what a grower must hear about even when nothing is
 * running: the emergency stop (and who pressed it), the link to the controller going quiet and
 * coming back, and the link's lines arriving damaged. Pure decisions over the store's changes and
 * a clock; raising the alert is the caller's.
 */
import type { StationChange } from '../../shared/events';
import type { LinkStats, StationState } from '../../shared/station';
import type { ScheduleClock } from '../schedules';
import type { AlertInput } from './alert-book';

/**
 * How long the link may be down before it is an alert: long enough for a reconnect or a
 * controller's restart to pass unnoticed, short enough that a pulled cable is heard about well
 * inside the controller's own watchdog story.
 */
export const LINK_GRACE_MS = 5_000;
/** The window over which damaged lines are counted. */
export const QUALITY_WINDOW_MS = 60_000;
/** Damaged or resent lines, as a share of the window's lines, that make the link degraded... */
export const QUALITY_DEGRADED_RATIO = 0.05;
/** ...and the share under which it is healthy again (lower, so it does not flap). */
export const QUALITY_HEALTHY_RATIO = 0.01;
/** Fewer lines than this in the window say nothing either way. */
const QUALITY_MIN_LINES = 20;

export interface StationWatchOptions {
  clock: ScheduleClock;
  raise: (alert: AlertInput) => void;
  /** Marks the stop's alert seen by whoever reset the stop: resetting it is acknowledging it. */
  acknowledgeStop: (by: string) => void;
}

interface StatsSample {
  at: number;
  lines: number;
  damaged: number;
}

function damagedLines(stats: LinkStats): number {
  return stats.badChecksum + stats.garbage + stats.syntax + stats.overlong + stats.retries;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

export class StationWatch {
  private stopBy: string | null = null;
  private resetBy: string | null = null;
  private wasReady = false;
  private lostTimer: unknown = null;
  private lostRaisedAt: number | null = null;
  private readonly samples: StatsSample[] = [];
  private degraded = false;

  constructor(private readonly options: StationWatchOptions) {}

  /** Who asked for the stop that is about to latch: a screen's name, "the desktop", "the tray". */
  stopRequested(by: string): void {
    this.stopBy = by;
  }

  /** Who asked for the reset that is about to release the stop. */
  resetRequested(by: string): void {
    this.resetBy = by;
  }

  /** Every change the store applied, with the state before it. */
  observe(change: StationChange, before: StationState): void {
    switch (change.type) {
      case 'estop_update':
        if (change.latched && !before.estop.latched) this.stopLatched(change.source);
        if (!change.latched && before.estop.latched) this.stopReset();
        return;
      case 'device_update':
        // Latched before Tendril connected: someone pressed it, or the controller kept it.
        if (change.estop && !before.estop.latched) this.stopLatched('controller');
        return;
      case 'link_update':
        return this.linkChanged(change.link.status === 'ready', change.link.reason);
      case 'link_stats':
        return this.statsChanged(change.stats);
      default:
        return;
    }
  }

  dispose(): void {
    if (this.lostTimer !== null) this.options.clock.clearTimer(this.lostTimer);
    this.lostTimer = null;
  }

  private stopLatched(source: string | null): void {
    const who =
      source === 'button'
        ? "the stop button on the controller"
        : source === 'controller'
          ? 'the controller (it was latched when Tendril connected)'
          : (this.stopBy ?? 'a screen');
    this.stopBy = null;
    this.options.raise({
      level: 'error',
      code: 'ESTOP_LATCHED',
      subject: 'estop',
      message: `emergency stop latched by ${who}: every output is off and stays off until someone resets the stop`,
    });
  }

  private stopReset(): void {
    const who = this.resetBy ?? 'someone at the controller';
    this.resetBy = null;
    this.options.acknowledgeStop(who);
    this.options.raise({
      level: 'info',
      code: 'ESTOP_RESET',
      subject: 'estop',
      message: `emergency stop reset by ${who}; outputs stay off until they are switched on or a schedule does`,
    });
  }

  private linkChanged(ready: boolean, reason: string): void {
    const { clock } = this.options;
    if (ready) {
      if (this.lostTimer !== null) clock.clearTimer(this.lostTimer);
      this.lostTimer = null;
      if (this.lostRaisedAt !== null) {
        const seconds = Math.round((clock.now() - this.lostRaisedAt) / 1000 + LINK_GRACE_MS / 1000);
        this.options.raise({ level: 'info', code: 'LINK_BACK', subject: 'link', message: `the controller answers again, after about ${seconds} s without it` });
      }
      this.lostRaisedAt = null;
      this.wasReady = true;
      return;
    }
    // Before the first handshake there is nothing to lose; the link's status says what it tries.
    if (!this.wasReady || this.lostTimer !== null || this.lostRaisedAt !== null) return;
    this.lostTimer = clock.setTimer(clock.now() + LINK_GRACE_MS, () => {
      this.lostTimer = null;
      this.lostRaisedAt = clock.now();
      this.options.raise({
        level: 'error',
        code: 'LINK_LOST',
        subject: 'link',
        message: `the controller has not answered for ${LINK_GRACE_MS / 1000} s (${reason}); its watchdog switches every output off, and nothing resumes by itself`,
      });
    });
  }

  private statsChanged(stats: LinkStats): void {
    const now = this.options.clock.now();
    this.samples.push({ at: now, lines: stats.linesIn + stats.linesOut, damaged: damagedLines(stats) });
    while (this.samples.length > 2 && this.samples[1]!.at <= now - QUALITY_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const last = this.samples.at(-1)!;
    const lines = last.lines - first.lines;
    // Counters start again on a reconnect: the window starts again with them.
    if (lines < 0 || last.damaged < first.damaged) {
      this.samples.splice(0, this.samples.length - 1);
      return;
    }
    if (lines < QUALITY_MIN_LINES) return;
    const ratio = (last.damaged - first.damaged) / lines;
    if (!this.degraded && ratio > QUALITY_DEGRADED_RATIO) {
      this.degraded = true;
      this.options.raise({
        level: 'warning',
        code: 'LINK_QUALITY',
        subject: 'link',
        message: `${percent(ratio)} of the lines to and from the controller in the last minute were damaged or resent: check the USB cable, its length and what runs beside it`,
      });
    } else if (this.degraded && ratio < QUALITY_HEALTHY_RATIO) {
      this.degraded = false;
      this.options.raise({ level: 'info', code: 'LINK_QUALITY_OK', subject: 'link', message: `the link to the controller is clean again (${percent(ratio)} damaged in the last minute)` });
    }
  }
}
