/**
 * A fill is metered by its flow meter and bounded by the tank's level probe, and each checks the
 * other. When the meter counts water going in and the level does not rise with it, one of them
 * is wrong: a stuck level probe would let fill after fill run on into a full tank (its reading
 * never reaches the headroom), and a burst hose or a wrong valve sends the water elsewhere.
 * Either way the valve closes and a person looks.
 */
import { litres } from '../../shared/amounts';
import type { Tank } from '../../shared/station';

/** Water metered before the level is judged: more than a probe's lag and ripple can hide. */
export function meteredBeforeJudging(tank: Pick<Tank, 'capacityL'>): number {
  return Math.max(2, tank.capacityL * 0.05);
}

/** The share of the metered water the level must show; a probe's lag takes some of the rest. */
const LEAST_RISE = 0.25;

/** Why the fill must stop, or null while the level keeps up with the meter. */
export function levelStillProblem(tank: Pick<Tank, 'name' | 'capacityL'>, levelName: string, meterName: string, startLevel: number, level: number, meteredL: number): string | null {
  if (meteredL < meteredBeforeJudging(tank)) return null;
  const rise = level - startLevel;
  if (rise >= meteredL * LEAST_RISE) return null;
  return (
    `${meterName} counted ${litres(meteredL)} into tank ${tank.name}, but ${levelName} rose only ${litres(Math.max(0, rise))}; ` +
    'the level sensor may be stuck, or the water is going somewhere else. The fill valve was closed: check the level sensor, the hoses and the valve before filling again'
  );
}
