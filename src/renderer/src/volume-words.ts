/**
 * The station writes every volume of water in its messages as "<number> L" (shared/amounts.ts):
 * refusals, job details, alerts. A screen in US units reads them in gallons, the way its fields
 * and tank cards already speak, so a grower never has to convert a refusal in their head.
 * Millilitres stay as they are: nutrient labels give doses in mL either way.
 */
import { useCallback } from 'react';
import { formatLiters, useUnits, type UnitSystem } from './units';

// A number, a space and a lone "L" ("37.9 L", "5 L/min"); "mL" and words starting with L are left alone.
const LITRES = /(?<![\w.])(-?\d+(?:\.\d+)?) L(?!\w)/g;

export function volumesIn(text: string, system: UnitSystem): string {
  if (system === 'metric') return text;
  return text.replace(LITRES, (_, liters: string) => formatLiters(Number(liters), system));
}

/** `volumesIn` for this screen's units, for a component that shows the station's messages. */
export function useVolumeWords(): (text: string) => string {
  const system = useUnits((units) => units.system);
  return useCallback((text: string) => volumesIn(text, system), [system]);
}
