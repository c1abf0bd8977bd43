/**
 * A burst of this many, refilled at this rate: how the LAN rations what a screen may ask for
 * (commands per token, snapshots per connection). Decided from the injected clock when a request
 * arrives, so it is tested with plain numbers and costs nothing while a screen is quiet.
 */
export class Allowance {
  private left: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.left = burst;
    this.at = now();
  }

  /** Spends one if there is one. */
  take(): boolean {
    this.refill();
    if (this.left < 1) return false;
    this.left -= 1;
    return true;
  }

  /** How long until `take()` would succeed: 0 when it would now. */
  msUntilNext(): number {
    this.refill();
    if (this.left >= 1) return 0;
    // Rounded to the microsecond first, so float noise cannot add a millisecond.
    return Math.ceil(Math.round(((1 - this.left) / this.perSecond) * 1e6) / 1e3);
  }

  private refill(): void {
    const at = this.now();
    this.left = Math.min(this.burst, this.left + (Math.max(0, at - this.at) / 1000) * this.perSecond);
    this.at = at;
  }
}
