/**
 * Whether a sensor's readings can be trusted, as a pure state machine: readings with their
 * times go in, the sensor's new watch and any change of verdict come out. No clocks, no I/O, so
 * every rule is tested with plain numbers.
 *
 * A real probe always moves a little: a reading that stays flat for long is a frozen probe or a
 * dead amplifier, not a calm tank. A value no tank can have (pH 15, a negative EC) and a jump no
 * tank can make in a second are flagged too. A suspect sensor is cleared only once it has
 * behaved for a while (`clearAfterMs`), so one good reading does not re-arm a dosing loop.
 */
import type { SensorKind } from '../../shared/station';
import { DEFAULT_SENSOR_HEALTH } from '../settings';

export type SuspectReason = 'stuck' | 'range' | 'jump' | 'unresponsive';

export interface Suspicion {
  reason: SuspectReason;
  /** What was seen, in words: "reading has not moved for 20 min". */
  detail: string;
  since: number;
}

export interface HealthRules {
  /** A reading flat for this long is stuck. */
  stuckAfterMs: number;
  /** A suspect sensor that behaves for this long is trusted again. */
  clearAfterMs: number;
  /** Readings whose spread stays within this are flat, per kind (probe noise is wider). */
  flatWithin: Record<SensorKind, number>;
  /** The most a reading can plausibly change per second, per kind. */
  jumpPerSecond: Record<SensorKind, number>;
  /** What a working probe can show; level's upper end is the tank's capacity (see `rangeFor`). */
  range: Record<Exclude<SensorKind, 'level'>, { min: number; max: number }>;
}

export const DEFAULT_HEALTH_RULES: HealthRules = {
  // The two a grower may change, in settings.json's `sensorHealth`.
  ...DEFAULT_SENSOR_HEALTH,
  // Two steps of the last shown digit: a frozen probe whose converter flickers one count is still flat.
  flatWithin: { ph: 0.02, ec: 0.02, temp: 0.1, level: 0.1 },
  // Far past what a dose, a fill or a drain does to a mixed tank in a second.
  jumpPerSecond: { ph: 1.5, ec: 1, temp: 2, level: 5 },
  range: { ph: { min: 0, max: 14 }, ec: { min: 0, max: 20 }, temp: { min: -5, max: 60 } },
};

/** What a sensor of this kind can read; a level probe reads between empty and the tank's capacity. */
export function rangeFor(kind: SensorKind, rules: HealthRules, capacityL: number | null): { min: number; max: number } {
  if (kind === 'level') return { min: 0, max: capacityL ?? Infinity };
  return rules.range[kind];
}

export interface SensorWatch {
  kind: SensorKind;
  range: { min: number; max: number };
  /** The run of readings that stayed within `flatWithin`: since when, and its spread. */
  flat: { since: number; min: number; max: number } | null;
  last: { value: number; at: number } | null;
  suspicion: Suspicion | null;
  /**
   * While suspect: since when it has behaved, or null. A stuck or unresponsive sensor must move
   * (`moved`), then keep moving, before it counts as behaving.
   */
  goodSince: number | null;
  moved: boolean;
}

export type HealthTransition = { to: 'suspect'; suspicion: Suspicion } | { to: 'ok'; was: Suspicion; at: number };

export interface Observed {
  watch: SensorWatch;
  transition: HealthTransition | null;
}

export function newWatch(kind: SensorKind, range: { min: number; max: number }): SensorWatch {
  return { kind, range, flat: null, last: null, suspicion: null, goodSince: null, moved: false };
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** Takes one reading into the watch. */
export function observe(watch: SensorWatch, value: number, at: number, rules: HealthRules): Observed {
  const flatBefore = watch.flat;
  const flat = extendFlat(flatBefore, value, at, rules.flatWithin[watch.kind]);
  const movedNow = flatBefore !== null && flat.since === at;
  const seen: SensorWatch = { ...watch, flat, last: { value, at } };

  const problem = problemWith(watch, value, at, flat, rules);
  if (!watch.suspicion) {
    if (!problem) return { watch: seen, transition: null };
    const suspicion = { ...problem, since: at };
    return { watch: { ...seen, suspicion, goodSince: null, moved: false }, transition: { to: 'suspect', suspicion } };
  }

  // Suspect already: count how long it has behaved, and clear it after the hold.
  const suspicion = watch.suspicion;
  const needsMovement = suspicion.reason === 'stuck' || suspicion.reason === 'unresponsive';
  if (problem) return { watch: { ...seen, goodSince: null, moved: needsMovement ? watch.moved || movedNow : false }, transition: null };
  let goodSince = watch.goodSince;
  let moved = watch.moved;
  if (needsMovement) {
    // The first move starts the hold; it clears once the probe has moved again since.
    if (!moved) {
      if (!movedNow) return { watch: seen, transition: null };
      moved = true;
      goodSince = at;
      return { watch: { ...seen, goodSince, moved }, transition: null };
    }
    goodSince ??= at;
    const movedAgain = flat.since > goodSince;
    if (at - goodSince >= rules.clearAfterMs && movedAgain) return cleared(seen, suspicion, at);
    return { watch: { ...seen, goodSince, moved }, transition: null };
  }
  goodSince ??= at;
  if (at - goodSince >= rules.clearAfterMs) return cleared(seen, suspicion, at);
  return { watch: { ...seen, goodSince, moved }, transition: null };
}

/**
 * Marks the sensor suspect from outside: a dose it did not answer. Cleared, like a stuck one,
 * once the reading moves and keeps moving.
 */
export function suspect(watch: SensorWatch, reason: SuspectReason, detail: string, at: number): Observed {
  if (watch.suspicion) return { watch, transition: null };
  const suspicion: Suspicion = { reason, detail, since: at };
  return { watch: { ...watch, suspicion, goodSince: null, moved: false }, transition: { to: 'suspect', suspicion } };
}

function cleared(watch: SensorWatch, was: Suspicion, at: number): Observed {
  return { watch: { ...watch, suspicion: null, goodSince: null, moved: false }, transition: { to: 'ok', was, at } };
}

function extendFlat(flat: SensorWatch['flat'], value: number, at: number, within: number): NonNullable<SensorWatch['flat']> {
  if (!flat) return { since: at, min: value, max: value };
  const min = Math.min(flat.min, value);
  const max = Math.max(flat.max, value);
  // A tiny tolerance: readings arrive rounded, and 7.92 - 7.90 is not exactly 0.02 in floating point.
  if (max - min <= within + 1e-9) return { since: flat.since, min, max };
  return { since: at, min: value, max: value };
}

function problemWith(watch: SensorWatch, value: number, at: number, flat: NonNullable<SensorWatch['flat']>, rules: HealthRules): Omit<Suspicion, 'since'> | null {
  const { min, max } = watch.range;
  if (!Number.isFinite(value) || value < min || value > max) {
    return { reason: 'range', detail: `reading ${value} is outside what it can read (${min} to ${max})` };
  }
  // Coming back from a value it cannot read is no jump: that one was never the tank's.
  if (watch.last && at > watch.last.at && watch.last.value >= min && watch.last.value <= max) {
    // Readings a moment apart are judged over at least a second, so arrival jitter is no jump.
    const seconds = Math.max(1, (at - watch.last.at) / 1000);
    const change = Math.abs(value - watch.last.value);
    if (change / seconds > rules.jumpPerSecond[watch.kind]) {
      return { reason: 'jump', detail: `reading jumped from ${watch.last.value} to ${value} in ${minutes(at - watch.last.at)}` };
    }
  }
  if (at - flat.since >= rules.stuckAfterMs) {
    return { reason: 'stuck', detail: `reading has not moved for ${minutes(at - flat.since)}` };
  }
  return null;
}
