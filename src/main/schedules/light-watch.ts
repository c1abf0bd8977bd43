/**
 * Notices a light whose relay does not match its timer: off during its on-window, or on outside
 * it. Tendril switches lights at the window's edges and after every restart, so a mismatch that
 * outlasts a short grace was made by something else, a hand at the switch, a relay that did not
 * take the command, a controller that lost it, and the grower should know before the plants do.
 *
 * The rule is deliberately simple: a manual switch is a mismatch too. Only an emergency stop, a
 * job holding the relay, or a link that cannot tell the relay's state explains one away.
 */
import type { Schedule } from '../../shared/schedules';
import { isLightSchedule, lightShouldBeOn } from './light-timer';

/** Long enough for a switch at a window's edge to be made and reported back. */
export const LIGHT_MISMATCH_GRACE_MS = 2 * 60_000;

/** What the watch needs to know of the station. */
export interface RelayView {
  /** False while the relays' states are not known (no link, or a handshake in progress). */
  known: boolean;
  estopLatched: boolean;
  relayOn(relayId: string): boolean | undefined;
  heldByJob(relayId: string): boolean;
}

export interface LightMismatch {
  schedule: Schedule;
  relayId: string;
  /** What the timer says the relay should be. */
  shouldBeOn: boolean;
  since: number;
}

export class LightWatch {
  /** Per schedule, the mismatch being watched and whether it was already reported. */
  private readonly seen = new Map<string, { shouldBeOn: boolean; relayId: string; since: number; reported: boolean }>();

  constructor(private readonly graceMs = LIGHT_MISMATCH_GRACE_MS) {}

  /**
   * Looks at every enabled light timer now, and returns the mismatches that have just outlasted
   * the grace: each is reported once, until the relay matches its timer again.
   */
  check(schedules: Iterable<Schedule>, view: RelayView, now: number): LightMismatch[] {
    const overdue: LightMismatch[] = [];
    const watched = new Set<string>();
    if (!view.known || view.estopLatched) {
      this.seen.clear();
      return overdue;
    }
    for (const schedule of schedules) {
      if (!schedule.enabled || !isLightSchedule(schedule)) continue;
      const { relayId } = schedule.trigger;
      const on = view.relayOn(relayId);
      if (on === undefined || view.heldByJob(relayId)) continue;
      const shouldBeOn = lightShouldBeOn(schedule, new Date(now));
      if (on === shouldBeOn) continue;
      watched.add(schedule.id);
      let entry = this.seen.get(schedule.id);
      if (!entry || entry.shouldBeOn !== shouldBeOn || entry.relayId !== relayId) {
        entry = { shouldBeOn, relayId, since: now, reported: false };
        this.seen.set(schedule.id, entry);
      }
      if (!entry.reported && now - entry.since >= this.graceMs) {
        entry.reported = true;
        overdue.push({ schedule, relayId, shouldBeOn, since: entry.since });
      }
    }
    for (const id of [...this.seen.keys()]) if (!watched.has(id)) this.seen.delete(id);
    return overdue;
  }
}

/** The alert's words: what is wrong, for how long, and what the grower can do. */
export function describeMismatch(mismatch: LightMismatch, relayName: string, now: number): string {
  const { schedule, shouldBeOn } = mismatch;
  const minutes = Math.max(1, Math.round((now - mismatch.since) / 60_000));
  const window = schedule.trigger.kind === 'light' ? ` (${schedule.trigger.on}–${schedule.trigger.off} ${schedule.timezone})` : '';
  const state = shouldBeOn ? `off during the on-window of light timer "${schedule.name}"${window}` : `on outside the on-window of light timer "${schedule.name}"${window}`;
  const fix = shouldBeOn ? 'switch it on' : 'switch it off';
  return `${relayName} has been ${state} for ${minutes} min, and Tendril did not switch it; ${fix}, or disable the timer if this is on purpose`;
}
