/**
 * A clock for tests: time moves only when a test moves it, and due timers fire in order, each at
 * its own instant, so a day of schedules runs in milliseconds and the same way every time.
 */
import type { ScheduleClock } from '../../main/schedules/runner';

interface FakeTimer {
  at: number;
  fire: () => void;
}

export class FakeClock implements ScheduleClock {
  private current: number;
  private readonly timers = new Map<number, FakeTimer>();
  private nextHandle = 1;

  constructor(start: Date | number) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fire: () => void): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at, fire });
    return handle;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** When the armed timers are due, earliest first. */
  pending(): Date[] {
    return [...this.timers.values()].map((timer) => new Date(timer.at)).sort((a, b) => a.getTime() - b.getTime());
  }

  /** Moves time forward to `to`, firing every timer that comes due on the way, at its instant. */
  advanceTo(to: Date | number): void {
    const target = typeof to === 'number' ? to : to.getTime();
    if (target < this.current) throw new Error('advanceTo cannot go back; use setWallClock to set the clock back');
    for (;;) {
      let earliest: [number, FakeTimer] | undefined;
      for (const entry of this.timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
      if (!earliest || earliest[1].at > target) break;
      this.timers.delete(earliest[0]);
      this.current = Math.max(this.current, earliest[1].at);
      earliest[1].fire();
    }
    this.current = target;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /**
   * Sets the wall clock, as NTP or a person at the settings screen does. Real timers wait a
   * duration, not until a time, so each armed timer now falls due that much later (or earlier) on
   * the new clock.
   */
  setWallClock(to: Date | number): void {
    const target = typeof to === 'number' ? to : to.getTime();
    const shift = target - this.current;
    for (const timer of this.timers.values()) timer.at += shift;
    this.current = target;
  }
}
