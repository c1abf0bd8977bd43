import { describe, expect, it } from 'vitest';
import { parseServeArgs, UsageError } from '../headless/serve-args';
import { parseCliArgs } from '../simulator/cli-options';
import { STATION_SOURCE_SCHEMA } from '../../shared/admin';
import { BAUD_RATES, BAUD_RULE, DEFAULT_BAUD, isBaud } from '../../shared/baud';

const RULE = 'one of 9600, 19200, 38400, 57600, 115200, 230400, 250000, 460800, 500000, 921600, 1000000';

describe('the baud rule', () => {
  it('allows the rates controllers are built for, the default among them, and nothing else', () => {
    expect(BAUD_RULE).toBe(RULE);
    expect(BAUD_RATES).toContain(DEFAULT_BAUD);
    for (const rate of BAUD_RATES) expect(isBaud(rate)).toBe(true);
    for (const typo of [115201, 0, -9600, 9600.5, '115200', null]) expect(isBaud(typo)).toBe(false);
  });

  it('is what station.connect checks', () => {
    expect(STATION_SOURCE_SCHEMA.safeParse({ kind: 'auto', baud: 57600 }).success).toBe(true);
    expect(STATION_SOURCE_SCHEMA.safeParse({ kind: 'auto', baud: 57601 }).error?.issues[0]?.message).toBe(`baud must be ${RULE}`);
  });

  it("is what headless's --baud checks", () => {
    expect(parseServeArgs(['--baud', '57600']).baud).toBe(57600);
    expect(parseServeArgs([]).baud).toBe(DEFAULT_BAUD);
    for (const text of ['57601', '50', '4000000', 'fast']) {
      expect(() => parseServeArgs(['--baud', text])).toThrow(new UsageError(`--baud must be ${RULE}, not "${text}"`));
    }
  });

  it("is what the simulator's --baud checks", () => {
    expect(parseCliArgs(['--baud', '9600'])).toMatchObject({ ok: true, options: { baud: 9600 } });
    expect(parseCliArgs([])).toMatchObject({ ok: true, options: { baud: DEFAULT_BAUD } });
    expect(parseCliArgs(['--baud', '12345'])).toEqual({ ok: false, error: `--baud must be ${RULE}, not "12345"` });
  });
});
