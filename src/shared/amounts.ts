/**
 * Amounts as the station writes them in refusals, job details and alerts: litres and
 * millilitres, rounded as a grower reads them ("37.9 L", never "37.85411784 L"). Every volume of
 * water is written "<number> L", so a screen in US units can read it in gallons
 * (renderer/src/volume-words.ts) without the station knowing which units each screen uses.
 */

/** Litres to a tenth, or to a hundredth below 1 L: "37.9 L", "0.25 L". */
export function litres(liters: number): string {
  const places = Math.abs(liters) >= 1 ? 10 : 100;
  return `${Math.round(liters * places) / places} L`;
}

/** Millilitres to a tenth below 100 mL, whole above: "2.5 mL", "120 mL". */
export function millilitres(ml: number): string {
  return `${Math.abs(ml) >= 100 ? Math.round(ml) : Math.round(ml * 10) / 10} mL`;
}
