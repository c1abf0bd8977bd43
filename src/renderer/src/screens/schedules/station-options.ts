import { useMemo } from 'react';
import type { StationState } from '../../../../shared/station';
import { jobDefaults, relaysFor, type JobDefaults, type JobFormContext } from '../../job-spec-form';
import { useStationStore } from '../../store';
import { useUnits, type UnitSystem } from '../../units';
import type { StepDefaults } from './recipe-draft';

export interface Option {
  value: string;
  label: string;
}

/** A channel, tank or recipe by the name the grower gave it, or its id when it has none. */
export type NameOf = (id: string) => string;

/** What the forms pick from, by the grower's names, and the tables and units their drafts are checked against. */
export interface StationOptions extends JobFormContext {
  pumps: Option[];
  /** For a mix: mixing and circulation relays first, never a fill or drain valve. */
  relays: Option[];
  /** For a light timer: relays named for lights first, never a valve. */
  lightRelays: Option[];
  tanks: Option[];
  recipes: Option[];
  sensors: Option[];
  defaults: StepDefaults & JobDefaults;
  nameOf: NameOf;
}

const SENSOR_KINDS = new Set(['ec', 'ph', 'temp', 'level']);

export function stationOptions(
  channels: StationState['channels'],
  tanks: StationState['tanks'],
  recipes: StationState['recipes'],
  units: UnitSystem = 'metric',
): StationOptions {
  const of = (kind: (k: string) => boolean): Option[] => channels.filter((c) => kind(c.kind)).map((c) => ({ value: c.id, label: c.name || c.id }));
  const pumps = of((k) => k === 'pump');
  // Mixes and light timers never switch a fill or drain valve; the station would refuse it.
  const allRelays = of((k) => k === 'relay');
  const ordered = (purpose: 'mix' | 'light') => relaysFor({ channels, tanks, recipes }, purpose).map((c) => ({ value: c.id, label: c.name || c.id }));
  const relays = ordered('mix');
  const lightRelays = ordered('light');
  const sensors = of((k) => SENSOR_KINDS.has(k));
  const meters = of((k) => k === 'flow');
  const tankOptions = tanks.map((t) => ({ value: t.id, label: t.name || t.id }));
  const recipeOptions = recipes.map((r) => ({ value: r.id, label: r.name || r.id }));
  const names = new Map<string, string>();
  for (const option of [...pumps, ...allRelays, ...sensors, ...meters, ...tankOptions, ...recipeOptions]) names.set(option.value, option.label);
  const tables = { channels, tanks, recipes };
  return {
    pumps,
    relays,
    lightRelays,
    tanks: tankOptions,
    recipes: recipeOptions,
    sensors,
    defaults: { ...jobDefaults(tables), sensorId: sensors[0]?.value },
    nameOf: (id) => names.get(id) ?? id,
    tables,
    units,
  };
}

const NONE: never[] = [];

/** The pumps, relays, tanks, recipes and sensors a form may pick from, by the grower's names. */
export function useStationOptions(): StationOptions {
  const channels = useStationStore((s) => s.station?.channels ?? NONE);
  const tanks = useStationStore((s) => s.station?.tanks ?? NONE);
  const recipes = useStationStore((s) => s.station?.recipes ?? NONE);
  const units = useUnits((choice) => choice.system);
  return useMemo(() => stationOptions(channels, tanks, recipes, units), [channels, tanks, recipes, units]);
}
