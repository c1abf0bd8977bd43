/**
 * The last line against an overflowing tank on the host side. Fill jobs stop at the tank's
 * headroom by the flow meter; this watches the level sensor instead, whatever opened the valve
 * (a fill whose meter under-counts, a valve stuck open and reporting on): once the water is half
 * way into the headroom with the fill valve on, the valve is closed and the grower told.
 */
import { litres } from '../../shared/amounts';
import { DEFAULT_HEADROOM_L, resolvePlumbing, type ResolvedPlumbing } from '../../shared/plumbing';
import type { StationEvent } from '../../shared/events';
import type { AlertLevel, StationState } from '../../shared/station';

export interface OverfillGuardOptions {
  /** Closes the valve on the controller, whatever holds it. */
  closeValve(valveId: string): Promise<void>;
  alert(level: AlertLevel, code: string, message: string): void;
  log?: (line: string) => void;
}

export class OverfillGuard {
  /** Tanks the guard has acted on, until their level drops back below the mark. */
  private readonly tripped = new Set<string>();
  private plumbingFor: { tanks: unknown; channels: unknown; byTank: Map<string, ResolvedPlumbing> } | null = null;

  constructor(private readonly options: OverfillGuardOptions) {}

  /** Looks at the tanks in `state`; cheap enough to run on every change. */
  check(state: StationState): void {
    const byTank = this.plumbing(state);
    for (const tank of state.tanks) {
      const plumbing = byTank.get(tank.id);
      if (!plumbing?.levelSensor || !plumbing.fillValve) continue;
      const level = state.readings[plumbing.levelSensor]?.value;
      if (level === undefined) continue;
      const mark = tank.capacityL - (tank.headroomL ?? DEFAULT_HEADROOM_L) / 2;
      if (level < mark) {
        this.tripped.delete(tank.id);
        continue;
      }
      if (!state.relays[plumbing.fillValve]?.on || this.tripped.has(tank.id)) continue;
      this.tripped.add(tank.id);
      const valve = state.channels.find((channel) => channel.id === plumbing.fillValve)?.name ?? plumbing.fillValve;
      this.options.alert(
        'error',
        'OVERFILL',
        `tank ${tank.name} is at ${litres(level)} of ${litres(tank.capacityL)} with ${valve} open; Tendril closed it. Check the level sensor, the flow meter and the valve before filling again`,
      );
      this.options.closeValve(plumbing.fillValve).catch((err: unknown) => {
        this.options.alert('error', 'OVERFILL', `Tendril could not close ${valve} on tank ${tank.name} (${(err as Error).message}); close the water supply by hand now`);
        // Try again on the next reading.
        this.tripped.delete(tank.id);
      });
    }
  }

  private plumbing(state: StationState): Map<string, ResolvedPlumbing> {
    const cached = this.plumbingFor;
    if (cached && cached.tanks === state.tanks && cached.channels === state.channels) return cached.byTank;
    const byTank = new Map(state.tanks.map((tank) => [tank.id, resolvePlumbing(tank, state.channels)]));
    this.plumbingFor = { tanks: state.tanks, channels: state.channels, byTank };
    return byTank;
  }
}

export interface OverfillWatchOptions extends OverfillGuardOptions {
  /** The station's changes, with the state after each; returns the function that stops listening. */
  subscribe(listener: (event: StationEvent, state: StationState) => void): () => void;
}

/** A guard looking at every change that can move a level or a valve; the link's counters and alerts cannot. */
export function watchForOverfill(options: OverfillWatchOptions): () => void {
  const guard = new OverfillGuard(options);
  return options.subscribe((event, state) => {
    if (event.type !== 'link_stats' && event.type !== 'alert') guard.check(state);
  });
}
