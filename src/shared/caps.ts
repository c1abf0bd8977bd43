/**
 * The caps an operator changes from Settings → Safety (`safety.configure`): which ones, their
 * bounds, and how a change is checked against the controller's own bounds. The station and the
 * screens check with these same words, so a field error on screen is the refusal the station
 * would give.
 */
import { z } from 'zod';
import type { Channel } from './station';
import type { PumpLimits, SafetyLimits } from './limits';

type Unit = 'mL' | 'ms' | 'on/off';

interface CapField {
  /** Where it is in `safety` (and settings.json). */
  key: string;
  /** What the grower calls it. */
  label: string;
  unit: Unit;
  min: number;
  max: number;
  /** Why the lower bound is where it is, when it is not obvious. */
  minWhy?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The caps Settings edits, in the order it shows them. The rest stay settings.json's. */
export const CAP_FIELDS = [
  { key: 'pump.maxMlPerDose', label: 'Each pump, per dose', unit: 'mL', min: 0.1, max: 10_000 },
  { key: 'pump.maxMlPerDay', label: 'Each pump, per 24 hours', unit: 'mL', min: 0.1, max: 100_000 },
  { key: 'loop.maxStepMl', label: 'An adjustment, per step', unit: 'mL', min: 0.1, max: 10_000 },
  { key: 'loop.maxTotalMl', label: 'An adjustment, in all', unit: 'mL', min: 0.1, max: 10_000 },
  { key: 'loop.mixWaitMs', label: 'Mixing wait after a dose', unit: 'ms', min: 0, max: HOUR },
  { key: 'loop.abPauseMs', label: 'Pause between nutrient A and B', unit: 'ms', min: 0, max: HOUR },
  { key: 'loop.maxReadingAgeMs', label: 'Oldest reading dosed on', unit: 'ms', min: 1_000, max: 10 * MINUTE },
  { key: 'loop.requireCirculation', label: 'Circulation must run to adjust', unit: 'on/off', min: 0, max: 1 },
  { key: 'fill.timeoutMs', label: 'Longest fill', unit: 'ms', min: MINUTE, max: 24 * HOUR },
  { key: 'fill.noFlowMs', label: 'Fill stops after no flow for', unit: 'ms', min: 500, max: 10 * MINUTE, minWhy: 'the least the controller accepts' },
  { key: 'drain.timeoutMs', label: 'Longest drain', unit: 'ms', min: MINUTE, max: 24 * HOUR },
  { key: 'drain.noFallMs', label: 'Drain stops after the level holds for', unit: 'ms', min: 10_000, max: HOUR },
] as const satisfies readonly CapField[];

export type CapKey = (typeof CAP_FIELDS)[number]['key'];

/** A number of seconds or millilitres as the grower reads it: "90 s", "2 min", "12.5 mL". */
export function capWords(unit: Unit, value: number | boolean | undefined): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'boolean' || unit === 'on/off') return value ? 'on' : 'off';
  if (unit === 'mL') return `${value} mL`;
  if (value >= 2 * MINUTE && value % MINUTE === 0) return `${value / MINUTE} min`;
  return `${value / 1000} s`;
}

const bounded = (field: CapField) => {
  const words = (value: number) => capWords(field.unit, value);
  return z
    .number({ error: `${field.key} must be a number of ${field.unit === 'mL' ? 'millilitres' : 'milliseconds'}` })
    .min(field.min, { error: `${field.key} must be at least ${words(field.min)}${field.minWhy ? `, ${field.minWhy}` : ''}` })
    .max(field.max, { error: `${field.key} must be at most ${words(field.max)}` });
};

const byKey = Object.fromEntries(CAP_FIELDS.map((field) => [field.key, field])) as Record<CapKey, CapField>;
const cap = (key: CapKey) => bounded(byKey[key]).optional();
const PUMP_CAPS = z.strictObject({ maxMlPerDose: cap('pump.maxMlPerDose'), maxMlPerDay: cap('pump.maxMlPerDay') });

/** What `safety.configure` may change: any of the fields above, and a pump's own caps. */
export const SAFETY_EDIT_SCHEMA = z.strictObject(
  {
    pump: PUMP_CAPS.optional(),
    /** A pump's own caps; null takes them away, so the pump follows `pump` again. */
    pumps: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, { error: 'pumps must be keyed by pump id, such as "nut_a"' }), PUMP_CAPS.nullable()).optional(),
    loop: z
      .strictObject({
        maxStepMl: cap('loop.maxStepMl'),
        maxTotalMl: cap('loop.maxTotalMl'),
        mixWaitMs: cap('loop.mixWaitMs'),
        abPauseMs: cap('loop.abPauseMs'),
        maxReadingAgeMs: cap('loop.maxReadingAgeMs'),
        requireCirculation: z.boolean({ error: 'loop.requireCirculation must be true or false' }).optional(),
      })
      .optional(),
    fill: z.strictObject({ timeoutMs: cap('fill.timeoutMs'), noFlowMs: cap('fill.noFlowMs') }).optional(),
    drain: z.strictObject({ timeoutMs: cap('drain.timeoutMs'), noFallMs: cap('drain.noFallMs') }).optional(),
  },
  { error: 'limits must be an object such as {"pump": {"maxMlPerDose": 40}}' },
);

export type SafetyEdit = z.infer<typeof SAFETY_EDIT_SCHEMA>;

export const SAFETY_CONFIGURE_PAYLOAD = { limits: SAFETY_EDIT_SCHEMA };

/** The limits with an edit applied; keys the edit leaves out keep their values. */
export function withCaps(limits: SafetyLimits, edit: SafetyEdit): SafetyLimits {
  const pumps = { ...limits.pumps };
  for (const [pumpId, caps] of Object.entries(edit.pumps ?? {})) {
    if (caps === null) delete pumps[pumpId];
    else pumps[pumpId] = { ...pumps[pumpId], ...defined(caps) };
  }
  return {
    pump: { ...limits.pump, ...defined(edit.pump ?? {}) },
    pumps,
    fill: { ...limits.fill, ...defined(edit.fill ?? {}) },
    drain: { ...limits.drain, ...defined(edit.drain ?? {}) },
    loop: { ...limits.loop, ...defined(edit.loop ?? {}) },
  };
}

function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Why a set of limits may not be used on this controller, or null. Each cap stays within its
 * bounds (the schema), the caps agree with each other, and no pump's per-dose cap is above what
 * the controller lets that pump dose at once: such a cap would never be the one that applies.
 */
export function capsProblem(limits: SafetyLimits, channels: readonly Pick<Channel, 'id' | 'kind' | 'name' | 'maxMl'>[]): string | null {
  const pumpChannels = channels.filter((channel) => channel.kind === 'pump');
  const check = (who: string, key: string, caps: PumpLimits): string | null => {
    if (caps.maxMlPerDose > caps.maxMlPerDay) {
      return `${key}maxMlPerDose (${caps.maxMlPerDose} mL) is more than ${who}'s per-24-hour cap (${caps.maxMlPerDay} mL); lower the per-dose cap or raise the daily one`;
    }
    return null;
  };
  const general = check('each pump', 'pump.', limits.pump);
  if (general) return general;
  const bounds = pumpChannels.map((pump) => pump.maxMl);
  if (bounds.length > 0 && bounds.every((bound) => bound !== undefined)) {
    const largest = Math.max(...(bounds as number[]));
    if (limits.pump.maxMlPerDose > largest) {
      return `pump.maxMlPerDose (${limits.pump.maxMlPerDose} mL) is more than any pump on this controller doses at once (at most ${largest} mL); set ${largest} mL or less`;
    }
  }
  for (const [pumpId, own] of Object.entries(limits.pumps)) {
    const pump = pumpChannels.find((channel) => channel.id === pumpId);
    const caps = { ...limits.pump, ...own };
    const problem = check(pump?.name ?? pumpId, `pumps.${pumpId}.`, caps);
    if (problem) return problem;
    if (pump?.maxMl !== undefined && own.maxMlPerDose !== undefined && own.maxMlPerDose > pump.maxMl) {
      return `pumps.${pumpId}.maxMlPerDose (${own.maxMlPerDose} mL) is more than ${pump.name} doses at once (at most ${pump.maxMl} mL, the controller's bound); set ${pump.maxMl} mL or less`;
    }
  }
  if (limits.loop.maxStepMl > limits.loop.maxTotalMl) {
    return `loop.maxStepMl (${limits.loop.maxStepMl} mL) is more than an adjustment may dose in all (loop.maxTotalMl, ${limits.loop.maxTotalMl} mL); lower the step or raise the total`;
  }
  if (limits.fill.noFlowMs > limits.fill.timeoutMs) {
    return `fill.noFlowMs (${capWords('ms', limits.fill.noFlowMs)}) is longer than the longest fill (fill.timeoutMs, ${capWords('ms', limits.fill.timeoutMs)}); shorten it`;
  }
  if (limits.drain.noFallMs > limits.drain.timeoutMs) {
    return `drain.noFallMs (${capWords('ms', limits.drain.noFallMs)}) is longer than the longest drain (drain.timeoutMs, ${capWords('ms', limits.drain.timeoutMs)}); shorten it`;
  }
  return null;
}

export interface CapChange {
  /** As settings.json keys it, such as "pump.maxMlPerDose" or "pumps.nut_a.maxMlPerDose". */
  key: string;
  label: string;
  old: number | boolean | null;
  new: number | boolean | null;
  unit: Unit;
}

/** What an edit changes, field by field: what the confirmation shows and the audit keeps. */
export function capChanges(before: SafetyLimits, after: SafetyLimits, pumpName: (id: string) => string = (id) => id): CapChange[] {
  const changes: CapChange[] = [];
  const read = (limits: SafetyLimits, key: string): number | boolean | null => {
    const [section, name] = key.split('.') as [keyof SafetyLimits, string];
    const value = (limits[section] as unknown as Record<string, unknown>)[name];
    return typeof value === 'number' || typeof value === 'boolean' ? value : null;
  };
  for (const field of CAP_FIELDS) {
    const old = read(before, field.key);
    const next = read(after, field.key);
    if (old !== next) changes.push({ key: field.key, label: field.label, old, new: next, unit: field.unit });
  }
  for (const pumpId of [...new Set([...Object.keys(before.pumps), ...Object.keys(after.pumps)])].sort()) {
    for (const name of ['maxMlPerDose', 'maxMlPerDay'] as const) {
      const old = before.pumps[pumpId]?.[name] ?? null;
      const next = after.pumps[pumpId]?.[name] ?? null;
      if (old !== next) {
        changes.push({ key: `pumps.${pumpId}.${name}`, label: `${pumpName(pumpId)}, ${name === 'maxMlPerDose' ? 'per dose' : 'per 24 hours'}`, old, new: next, unit: 'mL' });
      }
    }
  }
  return changes;
}

/**
 * The most one dose of `pump` may be, and whose bound that is: the smaller of Tendril's cap for
 * it and the controller's own bound. What a dose field says is the most it takes.
 */
export function doseCapOf(pump: Pick<Channel, 'id' | 'maxMl'>, limits: SafetyLimits | null): { ml: number; by: 'tendril' | 'controller' } | null {
  const host = limits ? { ...limits.pump, ...limits.pumps[pump.id] }.maxMlPerDose : undefined;
  if (host === undefined) return pump.maxMl === undefined ? null : { ml: pump.maxMl, by: 'controller' };
  if (pump.maxMl !== undefined && pump.maxMl < host) return { ml: pump.maxMl, by: 'controller' };
  return { ml: host, by: 'tendril' };
}
