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

/** What the schemas call a field, in the words of the form it sits in. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  name: 'the name',
  expression: 'the cron expression',
  timezone: 'the time zone',
  graceMinutes: 'the grace',
  on: 'the on time',
  off: 'the off time',
  target: 'the target',
  band: 'the band',
  min: 'the lowest reading',
  max: 'the highest reading',
  message: 'the message',
  timeoutSeconds: 'the time to give up after',
  pumpId: 'the pump',
  relayId: 'the relay',
  tankId: 'the tank',
  sensorId: 'the sensor',
  recipeId: 'the recipe',
  kind: 'the kind',
};

const sentence = (text: string) => {
  const capital = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const keyOf = (path: string) => path.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? '';

/**
 * A schema's problem with a field ("graceMinutes must be at least 1") as the form says it ("The
 * grace must be at least 1."). An amount is left as the schema gave it, for `amountProblem` to
 * say in the unit the field is shown in.
 */
export function namedProblem(path: string, problem: string): string {
  if (isAmountField(keyOf(path))) return problem;
  // The field a sentence begins with ("timezone \"Mars\" is not…"), and the few that name another.
  const named = problem
    .replace(/^on and off must differ/, 'The on and off times must differ')
    .replace(/ at least min$/, ' at least the lowest reading')
    .replace(/^(\w+)(?= )/, (key: string) => FIELD_WORDS[key] ?? key);
  return sentence(named);
}

/** A field's problem in the form's words, amounts in the field's unit. */
export function fieldProblem(path: string, problem: string | undefined, units: UnitSystem): string | undefined {
  if (problem === undefined) return undefined;
  const key = keyOf(path);
  return isAmountField(key) ? amountProblem(key, problem, units) : namedProblem(path, problem);
}

/**
 * One sentence for a whole form, by its save button: where the first problem is ("Step 2: …")
 * and what to do, in the grower's words rather than the schema's field path.
 */
export function firstProblemWords(problems: Readonly<Record<string, string>>, units: UnitSystem): string | undefined {
  const [path, problem] = Object.entries(problems)[0] ?? [];
  if (path === undefined || problem === undefined) return undefined;
  const step = /^steps\.(\d+)(\.|$)/.exec(path);
  const words = fieldProblem(path, problem, units);
  return step ? `Step ${Number(step[1]) + 1}: ${words}` : words;
}
