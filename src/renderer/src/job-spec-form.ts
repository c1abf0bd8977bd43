/**
 * A job as a form holds it while the grower types, and the spec it becomes. The Jobs screen,
 * schedules and recipe steps all build their jobs here, so the same text makes the same job
 * everywhere. Every number is still text, and the fields of every kind are kept, so switching
 * from dose to fill and back loses nothing. The shared job schema judges each field, so the
 * grower reads the words the station would answer with; the station's tables add what the
 * schema cannot know (a pump's bound, a tank's size).
 */
import type { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import { pumpBoundRefusal, pumpOf } from '../../shared/dose';
import { JOB_SPEC_SCHEMA, type Recipe, type StartableJobSpec } from '../../shared/jobs';
import { fillLimitOf, floorOf, valveRole } from '../../shared/plumbing';
import type { Channel, Tank } from '../../shared/station';
import { formatLiters, LITERS_PER_GALLON, litersFrom, type UnitSystem } from './units';

export type JobKind = StartableJobSpec['kind'];

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  dose: 'Dose',
  fill: 'Fill',
  'fill-to': 'Fill to a level',
  drain: 'Drain',
  'drain-to': 'Drain to a level',
  mix: 'Mix',
  'adjust-ph': 'Adjust pH',
  'adjust-ec': 'Adjust EC',
  recipe: 'Recipe',
};

/** Every kind but a recipe: what a recipe step may run, since a recipe inside a recipe could loop. */
export const SIMPLE_JOB_KINDS: readonly JobKind[] = ['dose', 'fill', 'fill-to', 'drain', 'drain-to', 'mix', 'adjust-ph', 'adjust-ec'];
export const JOB_KINDS: readonly JobKind[] = [...SIMPLE_JOB_KINDS, 'recipe'];

export interface JobDraft {
  kind: JobKind;
  pumpId: string;
  ml: string;
  tankId: string;
  /** Water to add or let out, in the grower's units: litres, or gallons in US units. */
  liters: string;
  /** The level a fill or drain stops at, in the same units. */
  toLiters: string;
  relayId: string;
  seconds: string;
  /** pH and EC live on different scales, so each keeps its own target and band. */
  phTarget: string;
  phBand: string;
  ecTarget: string;
  ecBand: string;
  recipeId: string;
}

/** A field of the spec that a form shows a problem under. */
export type JobField = 'kind' | 'pumpId' | 'ml' | 'tankId' | 'liters' | 'toLiters' | 'relayId' | 'seconds' | 'target' | 'band' | 'recipeId';

export type JobProblems = Partial<Record<JobField, string>>;

export type JobCheck = { ok: true; spec: StartableJobSpec } | { ok: false; problems: JobProblems };

export interface StationTables {
  channels: readonly Channel[];
  tanks: readonly Tank[];
  recipes: readonly Pick<Recipe, 'id'>[];
}

/** What a job form needs besides the grower's text. */
export interface JobFormContext {
  tables: StationTables;
  units: UnitSystem;
}

/** Where a new draft's pickers point before the grower picks. */
export interface JobDefaults {
  pumpId?: string;
  tankId?: string;
  /** For a mix: a mixing or circulation relay, never a valve. */
  relayId?: string;
  /** For a light timer: a relay named for lights, or none. */
  lightRelayId?: string;
  recipeId?: string;
}

/**
 * The relays a mix or a light timer may switch: every one but the tanks' fill and drain valves,
 * which open only in their jobs (the station refuses them anywhere else).
 */
export function switchableRelays(tables: StationTables): Channel[] {
  return tables.channels.filter((channel) => channel.kind === 'relay' && !valveRole(tables.tanks, tables.channels, channel.id));
}

export type RelayPurpose = 'mix' | 'light';

const MIXING = /\b(mix|mixer|mixing|circulation|circ|recirc\w*|stirrer|agitator|wavemaker)\b/;
const LIGHTING = /\b(lights?|lighting|lamps?|led|leds|grow ?lights?|hps)\b/;

function relayWords(channel: Channel): string {
  return `${channel.id} ${channel.name}`.toLowerCase().replace(/[_-]/g, ' ');
}

/** Whether a relay's name says it does what the purpose needs. */
export function relayFits(channel: Channel, purpose: RelayPurpose): boolean {
  return (purpose === 'mix' ? MIXING : LIGHTING).test(relayWords(channel));
}

/**
 * The switchable relays in the order a picker offers them for a purpose: those named for it
 * first, then the rest, each group in the station's order. Valves are never among them.
 */
export function relaysFor(tables: StationTables, purpose: RelayPurpose): Channel[] {
  const relays = switchableRelays(tables);
  return [...relays.filter((relay) => relayFits(relay, purpose)), ...relays.filter((relay) => !relayFits(relay, purpose))];
}

/**
 * The first pump, tank and recipe the station has. A mix starts on a mixing or circulation relay
 * (or the first relay that is not a valve); a light timer only on a relay named for lights, since
 * switching anything else twice a day on a guess could do harm.
 */
export function jobDefaults(tables: StationTables): JobDefaults {
  const first = (kind: Channel['kind']) => tables.channels.find((channel) => channel.kind === kind)?.id;
  const lights = relaysFor(tables, 'light')[0];
  return {
    pumpId: first('pump'),
    relayId: relaysFor(tables, 'mix')[0]?.id,
    lightRelayId: lights && relayFits(lights, 'light') ? lights.id : undefined,
    tankId: tables.tanks[0]?.id,
    recipeId: tables.recipes[0]?.id,
  };
}

/**
 * A new draft aims at pH 5.8 ± 0.2, which suits most crops, and at EC 1.6 ± 0.1 mS/cm, on the
 * low side on purpose: an EC adjustment can only dose nutrient, so a target set too high takes a
 * partial drain and refill to undo, while one set too low takes only another run.
 */
export function emptyJobDraft(kind: JobKind = 'dose', defaults: JobDefaults = {}): JobDraft {
  return {
    kind,
    pumpId: defaults.pumpId ?? '',
    ml: '',
    tankId: defaults.tankId ?? '',
    liters: '',
    toLiters: '',
    relayId: defaults.relayId ?? '',
    seconds: '',
    phTarget: '5.8',
    phBand: '0.2',
    ecTarget: '1.6',
    ecBand: '0.1',
    recipeId: defaults.recipeId ?? '',
  };
}

/**
 * The draft with every picker that is still blank pointing at `defaults`. The station's tables
 * may arrive after the form opened, and a select must show what will be sent.
 */
export function withPicks(draft: JobDraft, defaults: JobDefaults): JobDraft {
  return {
    ...draft,
    pumpId: draft.pumpId || (defaults.pumpId ?? ''),
    relayId: draft.relayId || (defaults.relayId ?? ''),
    tankId: draft.tankId || (defaults.tankId ?? ''),
    recipeId: draft.recipeId || (defaults.recipeId ?? ''),
  };
}

/**
 * A number when the text is one, comma or point; otherwise the text itself, so the schema
 * answers "must be a number of millilitres" rather than the form guessing. Empty text is a
 * missing field.
 */
export function numberFrom(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : trimmed;
}

/**
 * A tank-sized volume typed in the grower's units, in litres. Gallons are kept to the
 * millilitre, so a volume loaded into a form and saved unchanged comes back as it was.
 */
export function litersFromTyped(value: number, units: UnitSystem): number {
  return units === 'metric' ? value : Math.round(litersFrom(value, units) * 1000) / 1000;
}

/** Litres as a form shows them for typing: four decimals of a gallon are finer than a millilitre. */
export function typedFromLiters(liters: number, units: UnitSystem): string {
  return units === 'metric' ? String(liters) : String(+(liters / LITERS_PER_GALLON).toFixed(4));
}

function litersInput(text: string, units: UnitSystem): number | string | undefined {
  const typed = numberFrom(text);
  return typeof typed === 'number' ? litersFromTyped(typed, units) : typed;
}

/** What the schema reads: only the fields of the chosen kind, with water in litres. */
export function jobInput(draft: JobDraft, units: UnitSystem): Record<string, unknown> {
  switch (draft.kind) {
    case 'dose':
      return { kind: 'dose', pumpId: draft.pumpId, ml: numberFrom(draft.ml) };
    case 'fill':
    case 'drain':
      return { kind: draft.kind, tankId: draft.tankId, liters: litersInput(draft.liters, units) };
    case 'fill-to':
    case 'drain-to':
      return { kind: draft.kind, tankId: draft.tankId, toLiters: litersInput(draft.toLiters, units) };
    case 'mix':
      return { kind: 'mix', relayId: draft.relayId, seconds: numberFrom(draft.seconds) };
    case 'adjust-ph':
      return { kind: 'adjust-ph', tankId: draft.tankId, target: numberFrom(draft.phTarget), band: numberFrom(draft.phBand) };
    case 'adjust-ec':
      return { kind: 'adjust-ec', tankId: draft.tankId, target: numberFrom(draft.ecTarget), band: numberFrom(draft.ecBand) };
    case 'recipe':
      return { kind: 'recipe', recipeId: draft.recipeId };
  }
}

/** A saved job back in a form; `defaults` fill the fields of the other kinds, so a switch of kind starts somewhere sensible. */
export function draftFromJob(spec: StartableJobSpec, defaults: JobDefaults, units: UnitSystem): JobDraft {
  const draft = emptyJobDraft(spec.kind, defaults);
  switch (spec.kind) {
    case 'dose':
      return { ...draft, pumpId: spec.pumpId, ml: String(spec.ml) };
    case 'fill':
    case 'drain':
      return { ...draft, tankId: spec.tankId, liters: typedFromLiters(spec.liters, units) };
    case 'fill-to':
    case 'drain-to':
      return { ...draft, tankId: spec.tankId, toLiters: typedFromLiters(spec.toLiters, units) };
    case 'mix':
      return { ...draft, relayId: spec.relayId, seconds: String(spec.seconds) };
    case 'adjust-ph':
      return { ...draft, tankId: spec.tankId, phTarget: String(spec.target), phBand: String(spec.band) };
    case 'adjust-ec':
      return { ...draft, tankId: spec.tankId, ecTarget: String(spec.target), ecBand: String(spec.band) };
    case 'recipe':
      return { ...draft, recipeId: spec.recipeId };
  }
}

/**
 * What bounds a fill or a drain of a tank, in words for the field's hint: the floor a drain never
 * goes below, and the level a fill never passes.
 */
export function tankLimitHint(tables: StationTables, tankId: string, kind: JobKind, units: UnitSystem): string | undefined {
  const tank = tables.tanks.find((candidate) => candidate.id === tankId);
  if (!tank) return undefined;
  if (kind === 'drain' || kind === 'drain-to') return `Stops at ${tank.name}'s floor of ${formatLiters(floorOf(tank), units)}, so the pumps stay primed and the roots wet.`;
  if (kind === 'fill' || kind === 'fill-to') return `Stops at ${formatLiters(fillLimitOf(tank), units)}: ${tank.name}'s capacity less headroom.`;
  return undefined;
}

/** The pickers are selects: whatever the schema says of their id, the grower's remedy is to pick one. */
const PICK: Partial<Record<JobField, string>> = {
  pumpId: 'Pick a pump.',
  tankId: 'Pick a tank.',
  relayId: 'Pick a relay.',
  recipeId: 'Pick a recipe.',
};

export function checkJob(draft: JobDraft, { tables, units }: JobFormContext): JobCheck {
  const parsed = JOB_SPEC_SCHEMA.safeParse(jobInput(draft, units));
  if (!parsed.success) {
    const problems: JobProblems = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as JobField;
      // Next to its input the field is plain to see; without a path describeIssue gives the bare sentence.
      problems[field] ??= PICK[field] ?? describeIssue({ ...issue, path: [] } as z.core.$ZodIssue);
    }
    return { ok: false, problems };
  }
  const problems = stationProblems(parsed.data, tables, units);
  return problems ? { ok: false, problems } : { ok: true, spec: parsed.data };
}

/** What only the station's tables can tell. The station checks all of it again. */
function stationProblems(spec: StartableJobSpec, tables: StationTables, units: UnitSystem): JobProblems | null {
  switch (spec.kind) {
    case 'dose': {
      const pump = pumpOf(tables.channels, spec.pumpId);
      if (!pump) return { pumpId: PICK.pumpId };
      const bound = pumpBoundRefusal(pump, spec.ml);
      return bound ? { ml: bound } : null;
    }
    case 'mix': {
      const relay = tables.channels.find((channel) => channel.id === spec.relayId && channel.kind === 'relay');
      if (!relay) return { relayId: PICK.relayId };
      const valve = valveRole(tables.tanks, tables.channels, relay.id);
      if (!valve) return null;
      return valve.role === 'fill'
        ? { relayId: `${relay.name} is a fill valve: it opens only in a Fill job. Pick another relay, or start a fill.` }
        : { relayId: `${relay.name} is a drain valve: it opens only in a Drain job. Pick another relay, or start a drain.` };
    }
    case 'recipe':
      return tables.recipes.some((recipe) => recipe.id === spec.recipeId) ? null : { recipeId: PICK.recipeId };
    case 'fill':
    case 'fill-to':
    case 'drain':
    case 'drain-to':
    case 'adjust-ph':
    case 'adjust-ec': {
      const tank = tables.tanks.find((candidate) => candidate.id === spec.tankId);
      if (!tank) return { tankId: PICK.tankId };
      if ((spec.kind === 'fill' || spec.kind === 'drain') && spec.liters > tank.capacityL) return { liters: `${tank.name} holds ${formatLiters(tank.capacityL, units)} in all.` };
      if (spec.kind === 'fill-to' && spec.toLiters > fillLimitOf(tank)) {
        return { toLiters: `${tank.name} fills to at most ${formatLiters(fillLimitOf(tank), units)} (its capacity less headroom).` };
      }
      if (spec.kind === 'drain-to' && spec.toLiters < floorOf(tank)) {
        return { toLiters: `${tank.name} drains to no less than its floor of ${formatLiters(floorOf(tank), units)}, so the pumps stay primed and the roots wet.` };
      }
      return null;
    }
  }
}
