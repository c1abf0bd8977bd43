/**
 * A job as a form holds it while the grower types: every number is still text, and fields of
 * the other kinds are kept, so switching from dose to fill and back loses nothing. The shared
 * schemas judge what it becomes; this file only turns text into the shape they read.
 */
import type { StartableJobSpec } from '../../../../shared/jobs';

export type JobKindChoice = StartableJobSpec['kind'];

export const JOB_KIND_LABELS: Record<JobKindChoice, string> = {
  dose: 'Dose',
  fill: 'Fill',
  mix: 'Mix',
  'adjust-ph': 'Adjust pH',
  'adjust-ec': 'Adjust EC',
  recipe: 'Recipe',
};

export interface JobDraft {
  kind: JobKindChoice;
  pumpId: string;
  ml: string;
  tankId: string;
  liters: string;
  relayId: string;
  seconds: string;
  /** pH and EC live on different scales, so each keeps its own target and band. */
  phTarget: string;
  phBand: string;
  ecTarget: string;
  ecBand: string;
  recipeId: string;
}

/** Where a new draft points before the grower picks: the first of each the station has. */
export interface JobDefaults {
  pumpId?: string;
  tankId?: string;
  relayId?: string;
  recipeId?: string;
}

export function emptyJobDraft(kind: JobKindChoice = 'dose', defaults: JobDefaults = {}): JobDraft {
  return {
    kind,
    pumpId: defaults.pumpId ?? '',
    ml: '',
    tankId: defaults.tankId ?? '',
    liters: '',
    relayId: defaults.relayId ?? '',
    seconds: '',
    phTarget: '5.8',
    phBand: '0.2',
    ecTarget: '1.8',
    ecBand: '0.1',
    recipeId: defaults.recipeId ?? '',
  };
}

/**
 * A number when the text is one; otherwise the text itself, so the schema answers "must be a
 * number of millilitres" rather than the form guessing. Empty text is a missing field.
 */
export function numberFrom(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return Number.isFinite(value) ? value : trimmed;
}

/** What the schemas read: only the fields of the chosen kind. */
export function jobInput(draft: JobDraft): Record<string, unknown> {
  switch (draft.kind) {
    case 'dose':
      return { kind: 'dose', pumpId: draft.pumpId, ml: numberFrom(draft.ml) };
    case 'fill':
      return { kind: 'fill', tankId: draft.tankId, liters: numberFrom(draft.liters) };
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

/** `defaults` fill the fields of the other kinds, so a switch of kind starts somewhere sensible. */
export function draftFromJob(spec: StartableJobSpec, defaults: JobDefaults = {}): JobDraft {
  const draft = emptyJobDraft(spec.kind, defaults);
  switch (spec.kind) {
    case 'dose':
      return { ...draft, pumpId: spec.pumpId, ml: String(spec.ml) };
    case 'fill':
      return { ...draft, tankId: spec.tankId, liters: String(spec.liters) };
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

/** A channel, tank or recipe by the name the grower gave it, or its id when it has none. */
export type NameOf = (id: string) => string;

/** One line on what a job does, for lists and summaries. */
export function describeJob(spec: StartableJobSpec, nameOf: NameOf = (id) => id): string {
  switch (spec.kind) {
    case 'dose':
      return `Dose ${spec.ml} mL with ${nameOf(spec.pumpId)}`;
    case 'fill':
      return `Fill ${nameOf(spec.tankId)} with ${spec.liters} L`;
    case 'mix':
      return `Run ${nameOf(spec.relayId)} for ${formatSeconds(spec.seconds)}`;
    case 'adjust-ph':
      return `Bring pH of ${nameOf(spec.tankId)} to ${spec.target} ± ${spec.band}`;
    case 'adjust-ec':
      return `Bring EC of ${nameOf(spec.tankId)} to ${spec.target} ± ${spec.band} mS/cm`;
    case 'recipe':
      return `Run recipe ${nameOf(spec.recipeId)}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${+(seconds / 60).toFixed(1)} min`;
  return `${+(seconds / 3600).toFixed(1)} h`;
}
