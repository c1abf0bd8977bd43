/**
 * The caps as Settings → Safety edits them: times in seconds, as a grower thinks of them, turned
 * back into the station's milliseconds, and checked with the station's own rules (shared/caps.ts)
 * so a field says what is wrong before anything is sent.
 */
import { CAP_FIELDS, capChanges, capsProblem, withCaps, type CapChange, type CapKey, type SafetyEdit } from '../../../../shared/caps';
import type { SafetyLimits } from '../../../../shared/limits';
import type { Channel } from '../../../../shared/station';
import { numberFromText } from '../../format';

export type CapDraft = Record<CapKey, string>;

type Field = (typeof CAP_FIELDS)[number];

const valueOf = (limits: SafetyLimits, key: CapKey): number | boolean => {
  const [section, name] = key.split('.') as [keyof SafetyLimits, string];
  return (limits[section] as unknown as Record<string, number | boolean>)[name]!;
};

/** What the field shows: millilitres as they are, milliseconds as seconds, on/off as "on"/"off". */
export function draftOf(limits: SafetyLimits): CapDraft {
  const draft = {} as CapDraft;
  for (const field of CAP_FIELDS) {
    const value = valueOf(limits, field.key);
    draft[field.key] = typeof value === 'boolean' ? (value ? 'on' : 'off') : field.unit === 'ms' ? String(value / 1000) : String(value);
  }
  return draft;
}

/** The field's label with the unit it is typed in. */
export function fieldLabel(field: Field): string {
  return field.unit === 'mL' ? `${field.label} (mL)` : field.unit === 'ms' ? `${field.label} (seconds)` : field.label;
}

const shown = (field: Field, value: number) => (field.unit === 'ms' ? `${value / 1000} s` : `${value} mL`);

/** A field's key: a station-wide cap ("pump.maxMlPerDose") or a pump's own ("pumps.nut_a.maxMlPerDose"). */
export type DraftCheck =
  | { ok: true; edit: SafetyEdit; changes: CapChange[] }
  | { ok: false; problems: Partial<Record<string, string>>; problem?: string };

export type PumpCapName = 'maxMlPerDose' | 'maxMlPerDay';

/** Each pump's own caps as typed, by pump id; "" keeps to the cap for every pump. */
export type PumpCapDraft = Record<string, Record<PumpCapName, string>>;

export const PUMP_CAP_NAMES: readonly PumpCapName[] = ['maxMlPerDose', 'maxMlPerDay'];

export const pumpCapKey = (pumpId: string, name: PumpCapName): string => `pumps.${pumpId}.${name}`;

/** The label a pump's own cap is typed under, in mL like the caps for every pump. */
export function pumpCapLabel(pumpName: string, name: PumpCapName): string {
  return `${pumpName}, ${name === 'maxMlPerDose' ? 'per dose' : 'per 24 hours'} (mL)`;
}

/** Every pump on the controller, with its own caps or empty fields. */
export function pumpDraftOf(limits: SafetyLimits, channels: readonly Pick<Channel, 'id' | 'kind'>[]): PumpCapDraft {
  const draft: PumpCapDraft = {};
  for (const pump of channels.filter((channel) => channel.kind === 'pump')) {
    const own = limits.pumps[pump.id];
    draft[pump.id] = { maxMlPerDose: own?.maxMlPerDose === undefined ? '' : String(own.maxMlPerDose), maxMlPerDay: own?.maxMlPerDay === undefined ? '' : String(own.maxMlPerDay) };
  }
  return draft;
}

/** The pumps' own caps a draft changes: both fields emptied hand the pump back to the caps for every pump. */
function checkPumpDraft(draft: PumpCapDraft, limits: SafetyLimits): { pumps: NonNullable<SafetyEdit['pumps']>; problems: Record<string, string> } {
  const pumps: NonNullable<SafetyEdit['pumps']> = {};
  const problems: Record<string, string> = {};
  for (const [pumpId, typed] of Object.entries(draft)) {
    const own = limits.pumps[pumpId] ?? {};
    const values: Partial<Record<PumpCapName, number>> = {};
    for (const name of PUMP_CAP_NAMES) {
      const field = CAP_FIELDS.find((candidate) => candidate.key === `pump.${name}`)!;
      const value = numberFromText(typed[name]);
      if (value === undefined) {
        if (own[name] !== undefined && typed[name === 'maxMlPerDose' ? 'maxMlPerDay' : 'maxMlPerDose'].trim() !== '') {
          problems[pumpCapKey(pumpId, name)] = 'Leave both of this pump’s caps empty to keep it to the caps for every pump, or enter both.';
        }
        continue;
      }
      if (Number.isNaN(value) || value < field.min || value > field.max) {
        problems[pumpCapKey(pumpId, name)] = `Enter ${shown(field, field.min)} to ${shown(field, field.max)}, or leave it empty to keep to the cap for every pump.`;
        continue;
      }
      if (value !== own[name]) values[name] = value;
    }
    const emptied = PUMP_CAP_NAMES.every((name) => typed[name].trim() === '');
    if (emptied && limits.pumps[pumpId]) pumps[pumpId] = null;
    else if (Object.keys(values).length > 0) pumps[pumpId] = values;
  }
  return { pumps, problems };
}

/**
 * The edit a draft asks for (only the caps it changes), or what is wrong: each field against its
 * bounds, then the caps against each other and the controller's bounds, as the station checks.
 */
export function checkDraft(draft: CapDraft, limits: SafetyLimits, channels: readonly Pick<Channel, 'id' | 'kind' | 'name' | 'maxMl'>[], pumpDraft: PumpCapDraft = {}): DraftCheck {
  const own = checkPumpDraft(pumpDraft, limits);
  const problems: Partial<Record<string, string>> = { ...own.problems };
  const edit: Record<string, Record<string, number | boolean>> = {};
  for (const field of CAP_FIELDS) {
    const text = draft[field.key];
    let value: number | boolean;
    if (field.unit === 'on/off') {
      value = text === 'on';
    } else {
      const typed = numberFromText(text);
      const words = field.unit === 'mL' ? 'millilitres' : 'seconds';
      if (typed === undefined || Number.isNaN(typed)) {
        problems[field.key] = `Enter a number of ${words}, ${shown(field, field.min)} to ${shown(field, field.max)}.`;
        continue;
      }
      value = field.unit === 'ms' ? Math.round(typed * 1000) : typed;
      if (value < field.min || value > field.max) {
        problems[field.key] = `Enter ${shown(field, field.min)} to ${shown(field, field.max)}${'minWhy' in field ? ` (${field.minWhy} is ${shown(field, field.min)})` : ''}.`;
        continue;
      }
    }
    if (value !== valueOf(limits, field.key)) {
      const [section, name] = field.key.split('.') as [string, string];
      edit[section] = { ...edit[section], [name]: value };
    }
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const wanted: SafetyEdit = Object.keys(own.pumps).length > 0 ? { ...(edit as SafetyEdit), pumps: own.pumps } : (edit as SafetyEdit);
  const next = withCaps(limits, wanted);
  const problem = capsProblem(next, channels);
  const pumpProblem = problem?.match(/^pumps\.([A-Za-z0-9_-]+)\.(maxMlPerDose|maxMlPerDay)/);
  if (problem && pumpProblem) {
    // The pump's name leads the sentence, not the settings.json key.
    const [key, pumpId, name] = pumpProblem as unknown as [string, string, PumpCapName];
    const pumpName = channels.find((channel) => channel.id === pumpId)?.name || pumpId;
    const label = `${pumpName}'s cap ${name === 'maxMlPerDose' ? 'per dose' : 'per 24 hours'}`;
    return { ok: false, problems: { [key]: `${label}${problem.slice(key.length)}.` } };
  }
  if (problem) {
    const field = CAP_FIELDS.find((candidate) => problem.startsWith(candidate.key));
    const sentence = field ? problem.replace(field.key, field.label) : problem;
    const words = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
    return field ? { ok: false, problems: { [field.key]: words } } : { ok: false, problems: {}, problem: words };
  }
  const nameOf = (id: string) => channels.find((channel) => channel.id === id)?.name || id;
  return { ok: true, edit: wanted, changes: capChanges(limits, next, nameOf) };
}
