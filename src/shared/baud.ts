/**
 * The serial speeds Tendril talks at. One rule for every place a baud comes from: the
 * controller picker, `station.connect`, `station.baud` in settings.json, the headless entry's
 * `--baud` and the simulator's.
 */
import { z } from 'zod';

/** The rates controllers are built for; anything else is almost certainly a typo. */
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400, 250000, 460800, 500000, 921600, 1000000] as const;

/** What the stock firmware runs at. */
export const DEFAULT_BAUD = 115200;

/** The rule in words, to follow the name of whatever gave the baud: "--baud must be …". */
export const BAUD_RULE = `one of ${BAUD_RATES.join(', ')}`;

export function isBaud(value: unknown): value is number {
  return (BAUD_RATES as readonly unknown[]).includes(value);
}

export const BAUD_SCHEMA = z.number({ error: 'baud must be a number such as 115200' }).refine(isBaud, { error: `baud must be ${BAUD_RULE}` });
