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

export type DraftCheck =
  | { ok: true; edit: SafetyEdit; changes: CapChange[] }
  | { ok: false; problems: Partial<Record<CapKey, string>>; problem?: string };

/**
 * The edit a draft asks for (only the caps it changes), or what is wrong: each field against its
 * bounds, then the caps against each other and the controller's bounds, as the station checks.
 */
export function checkDraft(draft: CapDraft, limits: SafetyLimits, channels: readonly Pick<Channel, 'id' | 'kind' | 'name' | 'maxMl'>[]): DraftCheck {
  const problems: Partial<Record<CapKey, string>> = {};
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
  const next = withCaps(limits, edit as SafetyEdit);
  const problem = capsProblem(next, channels);
  if (problem) {
    const field = CAP_FIELDS.find((candidate) => problem.startsWith(candidate.key));
    const sentence = field ? problem.replace(field.key, field.label) : problem;
    const words = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
    return field ? { ok: false, problems: { [field.key]: words } } : { ok: false, problems: {}, problem: words };
  }
  const nameOf = (id: string) => channels.find((channel) => channel.id === id)?.name || id;
  return { ok: true, edit: edit as SafetyEdit, changes: capChanges(limits, next, nameOf) };
}
