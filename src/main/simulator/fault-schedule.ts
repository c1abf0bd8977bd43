/**
 * The faults the CLI flags set off on a timer. Kept apart from the CLI so a test can run the
 * same schedule in-process against a fake clock.
 */
import type { StationSimulator } from './simulator';

export interface FaultSchedule {
  garbageEveryMs: number | null;
  silentAfterMs: number | null;
  /** Drops the link once; `replugAfterMs`, counted from the drop, plugs it back in. */
  dropAfterMs: number | null;
  replugAfterMs: number | null;
  /** Reboots the device once, whatever it is doing. */
  resetAfterMs: number | null;
}

/** What pulling and replacing the cable means depends on the link: the CLI kills socat. */
export interface LinkControl {
  drop(): void;
  replug(): void;
}

/** Starts the timers; the returned function cancels those that have not fired yet. */
export function scheduleFaults(schedule: FaultSchedule, sim: StationSimulator, link: LinkControl): () => void {
  const timeouts = new Set<ReturnType<typeof setTimeout>>();
  const after = (ms: number | null, fault: () => void): void => {
    if (ms === null) return;
    const timer = setTimeout(() => {
      timeouts.delete(timer);
      fault();
    }, ms);
    timeouts.add(timer);
  };
  const garbage = schedule.garbageEveryMs === null ? null : setInterval(() => sim.faults.sendGarbage(32), schedule.garbageEveryMs);

  after(schedule.silentAfterMs, () => sim.faults.silent(true));
  after(schedule.resetAfterMs, () => sim.faults.reset('reset'));
  after(schedule.dropAfterMs, () => {
    link.drop();
    after(schedule.replugAfterMs, () => link.replug());
  });

  return () => {
    if (garbage) clearInterval(garbage);
    for (const timer of timeouts) clearTimeout(timer);
    timeouts.clear();
  };
}
