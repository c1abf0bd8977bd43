/**
 * The shared schemas name a field by its key and a volume in litres ("liters must be at most
 * 100000"), which is right for the station's log and wrong beside a field in gallons. Next to
 * its input a problem says what to enter, in that field's unit.
 */
import { LITERS_PER_GALLON, type UnitSystem } from './units';

export type AmountField = 'ml' | 'liters' | 'toLiters' | 'seconds';

export function isAmountField(field: string): field is AmountField {
  return field === 'ml' || field === 'liters' || field === 'toLiters' || field === 'seconds';
}

interface FieldUnit {
  words: string;
  symbol: string;
  /** The schema's number (mL, L or s) in the field's unit, rounded toward `way`. */
  from(value: number, way: 'up' | 'down'): number;
}

function fieldUnit(field: AmountField, units: UnitSystem): FieldUnit {
  const same = (value: number) => value;
  if (field === 'ml') return { words: 'millilitres', symbol: 'mL', from: same };
  if (field === 'seconds') return { words: 'seconds', symbol: 's', from: same };
  if (units === 'metric') return { words: 'litres', symbol: 'L', from: same };
  // A bound in gallons is rounded inward, so what the field allows the station allows too.
  return {
    words: 'gallons',
    symbol: 'gal',
    from: (liters, way) => {
      const gallons = liters / LITERS_PER_GALLON;
      const step = gallons >= 100 ? 1 : 1000;
      return (way === 'up' ? Math.ceil : Math.floor)(gallons * step) / step;
    },
  };
}

const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`;

/** The problem a schema gave for an amount field, in the field's words; any other stays as it is. */
export function amountProblem(field: AmountField, problem: string | undefined, units: UnitSystem): string | undefined {
  if (problem === undefined) return undefined;
  const unit = fieldUnit(field, units);
  const rest = problem.startsWith(`${field} must be `) ? problem.slice(field.length + ' must be '.length) : null;
  if (rest === null) return problem;
  if (/^a number of /.test(rest)) return `Enter a number of ${unit.words}.`;
  if (rest === 'more than 0') return `Enter more than 0 ${unit.symbol}.`;
  const least = new RegExp(`^at least ${NUMBER}`).exec(rest);
  if (least) return `Enter at least ${unit.from(Number(least[1]), 'up')} ${unit.symbol}.`;
  const most = new RegExp(`^at most ${NUMBER}`).exec(rest);
  if (most) return `Enter at most ${unit.from(Number(most[1]), 'down')} ${unit.symbol}.`;
  return problem;
}
