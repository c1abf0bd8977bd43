/**
 * Every tank in the live state says which channel the station uses as its fill valve, drain,
 * circulation and so on (`Tank.roles`), as the jobs and the valve guards work it out. A screen
 * then shows and guards the same valves the station does, instead of guessing from names.
 */
import type { StationChange } from '../../shared/events';
import { resolvePlumbing } from '../../shared/plumbing';
import { canonicalJson } from '../../shared/state-hash';
import type { Channel, StationState, Tank, TankRoles } from '../../shared/station';

function rolesOf(tank: Tank, channels: readonly Channel[]): TankRoles {
  const resolved = resolvePlumbing(tank, channels);
  // Only the parts the tank has: a role nobody fills is left out, not sent as null.
  return Object.fromEntries(Object.entries(resolved).filter(([, channel]) => channel !== undefined)) as TankRoles;
}

/** The tanks with the roles the station gives their channels now, or null when every tank already says so. */
export function tanksWithRoles(tanks: readonly Tank[], channels: readonly Channel[]): Tank[] | null {
  let changed = false;
  const next = tanks.map((tank) => {
    const roles = rolesOf(tank, channels);
    if (tank.roles && canonicalJson(tank.roles) === canonicalJson(roles)) return tank;
    changed = true;
    return { ...tank, roles };
  });
  return changed ? next : null;
}

export interface TankRoleTargets {
  state(): StationState;
  apply(change: StationChange): void;
  onChange(listener: (change: StationChange) => void): () => void;
}

/**
 * Keeps the roles up to date when the tanks or the channel table change. The new tank list is
 * applied after the change that called for it has reached every listener, so no screen gets the
 * roles before the channel table they come from.
 */
export function keepTankRoles(to: TankRoleTargets): () => void {
  let queued = false;
  const renew = (): void => {
    queued = false;
    const state = to.state();
    const tanks = tanksWithRoles(state.tanks, state.channels);
    if (tanks) to.apply({ type: 'tanks_update', tanks });
  };
  const stop = to.onChange((change) => {
    if ((change.type !== 'tanks_update' && change.type !== 'device_update') || queued) return;
    queued = true;
    queueMicrotask(renew);
  });
  renew();
  return stop;
}
