/**
 * The reading alarm of one sensor, as a pure state machine: its state and a reading (with the
 * time it was taken) go in, the new state and the transition to announce, if any, come out.
 * Nothing here keeps time; a reading's own time drives the hold, so tests feed a fake clock.
 *
 * Zones are ranked along the reading's axis: critical low -2, warning low -1, in band 0,
 * warning high 1, critical high 2. Moving away from 0 (or to the other side) is a crossing;
 * moving towards 0 is a clearing, and needs the reading back inside by the hysteresis margin.
 * Either must last the hold time before it counts.
 */
import type { ReadingZone, ResolvedLimits } from '../../shared/reading-alarms';

export interface SensorAlarmState {
  /** The zone announced last. */
  zone: ReadingZone;
  since: number;
  /** A different zone the readings have been in since `since`, not yet held long enough. */
  pending: { zone: ReadingZone; since: number } | null;
}

export interface ZoneTransition {
  from: ReadingZone;
  to: ReadingZone;
  /** The reading that completed the hold. */
  value: number;
  at: number;
  /** The limit now past (for a crossing), or the one cleared (back in band); in the sensor's unit. */
  limit: number | null;
}

export function initialAlarmState(at: number): SensorAlarmState {
  return { zone: 'in_band', since: at, pending: null };
}

const RANK: Record<ReadingZone, number> = { critical_low: -2, warning_low: -1, in_band: 0, warning_high: 1, critical_high: 2 };
const ZONE_OF_RANK: Record<number, ReadingZone> = { [-2]: 'critical_low', [-1]: 'warning_low', 0: 'in_band', 1: 'warning_high', 2: 'critical_high' };

/** The rank of a value, with every limit moved `margin` towards the middle of the band. */
function rankOf(value: number, limits: ResolvedLimits, margin: number): number {
  const below = (limit: number | null) => limit !== null && value < limit + margin;
  const above = (limit: number | null) => limit !== null && value > limit - margin;
  if (below(limits.criticalLow)) return -2;
  if (above(limits.criticalHigh)) return 2;
  if (below(limits.warningLow)) return -1;
  if (above(limits.warningHigh)) return 1;
  return 0;
}

/** Where the readings are heading from the announced zone, hysteresis applied to clearings. */
function targetRank(value: number, limits: ResolvedLimits, current: number): number {
  const strict = rankOf(value, limits, 0);
  if (strict === current) return current;
  const sameSide = Math.sign(strict) === Math.sign(current) || strict === 0;
  if (!sameSide || Math.abs(strict) > Math.abs(current)) return strict;
  // Towards the middle: only as far as the reading is inside by the margin.
  const held = rankOf(value, limits, limits.hysteresis);
  return current > 0 ? Math.min(current, Math.max(strict, held)) : Math.max(current, Math.min(strict, held));
}

/**
 * Whether a reading keeps a pending crossing alive. Noise within the hysteresis margin of the
 * limit neither clears an alarm nor restarts the hold of one on its way, so a reading that
 * hovers at a limit raises once rather than never or over and over.
 */
function keepsPending(value: number, limits: ResolvedLimits, current: number, pending: number): boolean {
  const outward = Math.abs(pending) > Math.abs(current) && Math.sign(pending) !== -Math.sign(current);
  if (!outward) return false;
  const loose = rankOf(value, limits, limits.hysteresis);
  return Math.sign(loose) === Math.sign(pending) && Math.abs(loose) >= Math.abs(pending);
}

/** The limit that bounds a zone: the one crossed to enter it. */
function limitOf(zone: ReadingZone, limits: ResolvedLimits): number | null {
  switch (zone) {
    case 'critical_low':
      return limits.criticalLow;
    case 'warning_low':
      return limits.warningLow;
    case 'warning_high':
      return limits.warningHigh;
    case 'critical_high':
      return limits.criticalHigh;
    case 'in_band':
      return null;
  }
}

/** The limit a transition names: the one now past, or for a clearing the one left behind. */
export function transitionLimit(from: ReadingZone, to: ReadingZone, limits: ResolvedLimits): number | null {
  return to === 'in_band' ? limitOf(from, limits) : limitOf(to, limits);
}

/** Feeds one reading. Readings out of order (older than the state) change nothing. */
export function feedReading(
  state: SensorAlarmState,
  value: number,
  at: number,
  limits: ResolvedLimits,
): { state: SensorAlarmState; transition: ZoneTransition | null } {
  if (!Number.isFinite(value) || at < state.since || (state.pending && at < state.pending.since)) return { state, transition: null };
  const current = RANK[state.zone];
  let target = targetRank(value, limits, current);
  const pending = state.pending ? RANK[state.pending.zone] : null;
  if (pending !== null && target !== pending && keepsPending(value, limits, current, pending)) target = pending;
  if (target === current) return { state: state.pending ? { ...state, pending: null } : state, transition: null };

  const zone = ZONE_OF_RANK[target]!;
  const since = pending === target && state.pending ? state.pending.since : at;
  if (at - since < limits.holdMs) {
    return { state: pending === target ? state : { ...state, pending: { zone, since } }, transition: null };
  }
  return {
    state: { zone, since: at, pending: null },
    transition: { from: state.zone, to: zone, value, at, limit: transitionLimit(state.zone, zone, limits) },
  };
}

/** Whether a zone is out of band, and how badly: for alert levels and colours. */
export function severityOf(zone: ReadingZone): 'critical' | 'warning' | null {
  if (zone === 'critical_low' || zone === 'critical_high') return 'critical';
  if (zone === 'warning_low' || zone === 'warning_high') return 'warning';
  return null;
}

/** A transition towards the middle of the band: an alarm easing or clearing. */
export function isEasing(transition: ZoneTransition): boolean {
  const from = RANK[transition.from];
  const to = RANK[transition.to];
  return Math.sign(to) !== -Math.sign(from) && Math.abs(to) < Math.abs(from);
}
