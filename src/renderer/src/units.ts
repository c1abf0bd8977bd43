/**
 * Volumes and temperatures as the grower reads them. The station works in SI (mL, L, °C); this
 * screen shows metric or US units, a choice kept per device, so the phone of a grower who
 * thinks in gallons does not change what the office PC shows.
 */
import { create } from 'zustand';

export type UnitSystem = 'metric' | 'us';

export const UNITS_STORAGE_KEY = 'tendril.units';

export const ML_PER_FL_OZ = 29.5735295625;
export const LITERS_PER_GALLON = 3.785411784;
const FL_OZ_PER_GALLON = 128;

/** Fewer decimals as numbers grow: "2.5 mL" matters on a dose, "12.5 L" is noise on a tank. */
function rounded(value: number, places: number): string {
  const text = value.toFixed(places);
  return text === '-0' || /^-0\.0+$/.test(text) ? text.slice(1) : text;
}

/** A volume given in mL: mL below a litre, then litres; fl oz below a gallon, then gallons. */
export function formatVolume(ml: number, system: UnitSystem): string {
  if (!Number.isFinite(ml)) return '—';
  const size = Math.abs(ml);
  if (system === 'metric') {
    if (size < 1000) return `${rounded(ml, size < 10 ? 1 : 0)} mL`;
    const liters = ml / 1000;
    return `${rounded(liters, Math.abs(liters) < 100 ? 1 : 0)} L`;
  }
  const flOz = ml / ML_PER_FL_OZ;
  if (Math.abs(flOz) < FL_OZ_PER_GALLON) return `${rounded(flOz, Math.abs(flOz) < 10 ? 2 : 1)} fl oz`;
  const gallons = flOz / FL_OZ_PER_GALLON;
  return `${rounded(gallons, Math.abs(gallons) < 100 ? 1 : 0)} gal`;
}

/**
 * A tank-sized volume given in litres (capacities, fills). In US units always gallons, however
 * small, so a list of fills and levels does not switch between fl oz and gal from line to line;
 * below a gallon more decimals keep a small fill from reading as nothing.
 */
export function formatLiters(liters: number, system: UnitSystem): string {
  if (system === 'metric' || !Number.isFinite(liters)) return formatVolume(liters * 1000, system);
  const gallons = liters / LITERS_PER_GALLON;
  const size = Math.abs(gallons);
  const places = size === 0 ? 0 : size < 0.0995 ? 3 : size < 0.995 ? 2 : size < 99.95 ? 1 : 0;
  return `${rounded(gallons, places)} gal`;
}

/** A flow meter's rate: litres or gallons per minute. */
export function formatFlowRate(litersPerMinute: number, system: UnitSystem): string {
  if (!Number.isFinite(litersPerMinute)) return '—';
  return system === 'metric' ? `${rounded(litersPerMinute, 1)} L/min` : `${rounded(litersPerMinute / LITERS_PER_GALLON, 2)} gal/min`;
}

export function formatTemperature(celsius: number, system: UnitSystem): string {
  if (!Number.isFinite(celsius)) return '—';
  return system === 'metric' ? `${rounded(celsius, 1)} °C` : `${rounded((celsius * 9) / 5 + 32, 1)} °F`;
}

/** The unit a grower types a tank or fill volume in. */
export function tankVolumeUnit(system: UnitSystem): 'L' | 'gal' {
  return system === 'metric' ? 'L' : 'gal';
}

/** A tank or fill volume typed in `tankVolumeUnit`, in the litres the station works in. */
export function litersFrom(value: number, system: UnitSystem): number {
  return system === 'metric' ? value : value * LITERS_PER_GALLON;
}

/** Without a saved choice: US units where people buy water by the gallon, metric elsewhere. */
export function defaultUnitSystem(locale: string): UnitSystem {
  const region = locale.split(/[-_]/)[1]?.toUpperCase();
  return region === 'US' || region === 'LR' || region === 'MM' ? 'us' : 'metric';
}

export interface UnitStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readUnitSystem(storage: UnitStorage | null, locale: string): UnitSystem {
  try {
    const saved = storage?.getItem(UNITS_STORAGE_KEY);
    if (saved === 'metric' || saved === 'us') return saved;
  } catch {
    // Storage may be refused (private browsing); fall back to the locale.
  }
  return defaultUnitSystem(locale);
}

export function saveUnitSystem(storage: UnitStorage | null, system: UnitSystem): void {
  try {
    storage?.setItem(UNITS_STORAGE_KEY, system);
  } catch {
    // Refused storage: the choice holds until the page closes.
  }
}

function pageStorage(): UnitStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function pageLocale(): string {
  return typeof navigator === 'undefined' ? '' : navigator.language;
}

interface UnitsStore {
  system: UnitSystem;
  setSystem(system: UnitSystem): void;
}

/** This device's choice, as a zustand store: `useUnits((units) => units.system)`. */
export const useUnits = create<UnitsStore>()((set) => ({
  system: readUnitSystem(pageStorage(), pageLocale()),
  setSystem(system) {
    saveUnitSystem(pageStorage(), system);
    set({ system });
  },
}));

/** The choice outside React, e.g. for a CSV export's headers. */
export function unitSystem(): UnitSystem {
  return useUnits.getState().system;
}

/** Another tab of this browser changed the choice: follow it. Returns the function that stops. */
export function followUnitChoice(page: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
  const onStorage = (event: StorageEvent): void => {
    if (event.key === UNITS_STORAGE_KEY && (event.newValue === 'metric' || event.newValue === 'us')) useUnits.setState({ system: event.newValue });
  };
  page.addEventListener('storage', onStorage);
  return () => page.removeEventListener('storage', onStorage);
}
