/**
 * A refused Home Assistant press is told to the grower with an alert, since nobody waits for its
 * answer. A stuck automation may press the same button every second: the alert list folds the
 * repeats into one entry already, but each would still reach every screen, the database and the
 * notifications. So each switch or button raises at most one alert a window; the presses refused
 * in between are counted, and the next alert for it says how many.
 */

/** One alert per switch or button at most this often. */
export const REFUSAL_ALERT_EVERY_MS = 60_000;
/** Switches and buttons remembered; past this the one refused longest ago is forgotten. */
const MAX_REMEMBERED = 200;

export class RefusalAlerts {
  /** By switch or button: when its last alert went out, and how many refusals were held since. */
  private readonly recent = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly alert: (message: string) => void,
    private readonly now: () => number,
  ) {}

  /** A press of `what` was refused for `message`: an alert now, or counted into the next one. */
  refused(what: string, message: string): void {
    const now = this.now();
    const last = this.recent.get(what);
    if (last && now - last.at < REFUSAL_ALERT_EVERY_MS) {
      last.held++;
      return;
    }
    const held = last?.held ?? 0;
    const minutes = Math.round(REFUSAL_ALERT_EVERY_MS / 60_000);
    this.alert(held > 0 ? `${message} (refused ${held} more ${held === 1 ? 'time' : 'times'} since the last alert about it, which come at most once ${minutes === 1 ? 'a minute' : `every ${minutes} min`})` : message);
    this.recent.delete(what);
    this.recent.set(what, { at: now, held: 0 });
    if (this.recent.size > MAX_REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }
}
