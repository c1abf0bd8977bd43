/**
 * The start-a-job form as text, and what it becomes. The shared job schema judges every field,
 * so the grower reads the same words the station would answer with; the station's own tables
 * add what the schema cannot know (a pump's bound, a tank's size).
 */
import { describeIssue } from '../../../../shared/commands';
import { JOB_SPEC_SCHEMA, type StartableJobSpec } from '../../../../shared/jobs';
import type { Channel, Tank } from '../../../../shared/station';
import { formatMl, numberFromText } from '../../format';
import { formatLiters, litersFrom, type UnitSystem } from '../../units';

export type FormKind = 'dose' | 'fill' | 'mix' | 'adjust-ph' | 'adjust-ec';

export const FORM_KINDS: readonly { kind: FormKind; label: string }[] = [
  { kind: 'dose', label: 'Dose' },
  { kind: 'fill', label: 'Fill' },
  { kind: 'mix', label: 'Mix' },
  { kind: 'adjust-ph', label: 'Adjust pH' },
  { kind: 'adjust-ec', label: 'Adjust EC' },
];

/** Every field of every kind, so switching kinds and back loses nothing typed. */
export interface JobForm {
  kind: FormKind;
  pumpId: string;
  ml: string;
  tankId: string;
  liters: string;
  relayId: string;
  seconds: string;
  phTarget: string;
  phBand: string;
  ecTarget: string;
  ecBand: string;
}

/** A spec field the form shows a problem under. */
export type SpecField = 'pumpId' | 'ml' | 'tankId' | 'liters' | 'relayId' | 'seconds' | 'target' | 'band';

export type Problems = Partial<Record<SpecField, string>>;

export type FormResult = { ok: true; spec: StartableJobSpec } | { ok: false; problems: Problems };

export interface StationTables {
  channels: readonly Channel[];
  tanks: readonly Tank[];
}

/** Targets common to leafy greens and most fruiting crops; the grower changes them per crop. */
export function newJobForm(tables: StationTables): JobForm {
  return withPicks(
    { kind: 'dose', pumpId: '', ml: '', tankId: '', liters: '', relayId: '', seconds: '', phTarget: '5.8', phBand: '0.2', ecTarget: '1.6', ecBand: '0.1' },
    tables,
  );
}

/**
 * The form with every picker that is still blank pointing at the first of its kind. The
 * channel table may arrive after the form opened, and a select must show what will be sent.
 */
export function withPicks(form: JobForm, tables: StationTables): JobForm {
  const first = (kind: Channel['kind']) => tables.channels.find((channel) => channel.kind === kind)?.id ?? '';
  return {
    ...form,
    pumpId: form.pumpId || first('pump'),
    relayId: form.relayId || first('relay'),
    tankId: form.tankId || (tables.tanks[0]?.id ?? ''),
  };
}

/** Water volumes are typed in the grower's units (L or gal); the station works in litres. */
function waterInLiters(text: string, units: UnitSystem): number | undefined {
  const value = numberFromText(text);
  return value === undefined || Number.isNaN(value) ? value : litersFrom(value, units);
}

function specInput(form: JobForm, units: UnitSystem): Record<string, unknown> {
  switch (form.kind) {
    case 'dose':
      return { kind: 'dose', pumpId: form.pumpId, ml: numberFromText(form.ml) };
    case 'fill':
      return { kind: 'fill', tankId: form.tankId, liters: waterInLiters(form.liters, units) };
    case 'mix':
      return { kind: 'mix', relayId: form.relayId, seconds: numberFromText(form.seconds) };
    case 'adjust-ph':
      return { kind: 'adjust-ph', tankId: form.tankId, target: numberFromText(form.phTarget), band: numberFromText(form.phBand) };
    case 'adjust-ec':
      return { kind: 'adjust-ec', tankId: form.tankId, target: numberFromText(form.ecTarget), band: numberFromText(form.ecBand) };
  }
}

export function jobFromForm(form: JobForm, tables: StationTables, units: UnitSystem = 'metric'): FormResult {
  const parsed = JOB_SPEC_SCHEMA.safeParse(specInput(form, units));
  if (!parsed.success) {
    const problems: Problems = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SpecField;
      problems[field] ??= describeIssue(issue);
    }
    return { ok: false, problems };
  }
  const spec = parsed.data;
  const beyond = beyondStation(spec, tables, units);
  return beyond ? { ok: false, problems: beyond } : { ok: true, spec };
}

/** What only the station's tables can tell. The station checks all of it again. */
function beyondStation(spec: StartableJobSpec, tables: StationTables, units: UnitSystem): Problems | null {
  if (spec.kind === 'dose') {
    const pump = tables.channels.find((channel) => channel.id === spec.pumpId && channel.kind === 'pump');
    if (!pump) return { pumpId: 'Pick a pump.' };
    if (pump.maxMl !== undefined && spec.ml > pump.maxMl) return { ml: `${pump.name} doses at most ${formatMl(pump.maxMl)} mL at a time.` };
  }
  if (spec.kind === 'mix' && !tables.channels.some((channel) => channel.id === spec.relayId && channel.kind === 'relay')) {
    return { relayId: 'Pick a relay.' };
  }
  if (spec.kind === 'fill' || spec.kind === 'adjust-ph' || spec.kind === 'adjust-ec') {
    const tank = tables.tanks.find((candidate) => candidate.id === spec.tankId);
    if (!tank) return { tankId: 'Pick a tank.' };
    if (spec.kind === 'fill' && spec.liters > tank.capacityL) return { liters: `${tank.name} holds ${formatLiters(tank.capacityL, units)} in all.` };
  }
  return null;
}
