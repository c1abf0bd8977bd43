/**
 * Logs the first occurrence of each kind of trouble, then at most one summary per period, so a
 * device spewing garbage cannot flood the log (or slow the link down with logging).
 */
export class LogThrottle {
  private readonly kinds = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly periodMs: number,
  ) {}

  note(kind: string, message: string, now = Date.now()): void {
    const seen = this.kinds.get(kind);
    if (!seen) {
      this.kinds.set(kind, { lastAt: now, suppressed: 0 });
      this.log(message);
      return;
    }
    if (now - seen.lastAt < this.periodMs) {
      seen.suppressed++;
      return;
    }
    this.log(seen.suppressed > 0 ? `${message} (and ${seen.suppressed} more like it)` : message);
    seen.lastAt = now;
    seen.suppressed = 0;
  }
}
