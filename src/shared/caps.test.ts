import { describe, expect, it } from 'vitest';
import { capChanges, capsProblem, capWords, doseCapOf, SAFETY_EDIT_SCHEMA, withCaps } from './caps';
import { DEFAULT_LIMITS } from './limits';

const pumps = [
  { id: 'nut_a', kind: 'pump' as const, name: 'Nutrient A', maxMl: 250 },
  { id: 'ph_down', kind: 'pump' as const, name: 'pH down', maxMl: 25 },
];

describe('the caps an operator edits', () => {
  it('are bounded, with the bound and why in the words', () => {
    const issue = (edit: unknown) => SAFETY_EDIT_SCHEMA.safeParse(edit).error?.issues[0]?.message;
    expect(issue({ fill: { noFlowMs: 400 } })).toBe('fill.noFlowMs must be at least 0.5 s, the least the controller accepts');
    expect(issue({ loop: { maxReadingAgeMs: 3_600_000 } })).toBe('loop.maxReadingAgeMs must be at most 10 min');
    expect(issue({ pump: { maxMlPerDose: 'lots' } })).toBe('pump.maxMlPerDose must be a number of millilitres');
    expect(issue({ pump: { maxMlPerDose: 0 } })).toBe('pump.maxMlPerDose must be at least 0.1 mL');
    expect(issue({ loop: { mlPerUnit: 3 } })).toMatch(/mlPerUnit/);
    expect(issue({ pump: { maxMlPerDose: 20 }, loop: { abPauseMs: 0 } })).toBeUndefined();
  });

  it('keep what an edit leaves out, and a null takes a pump’s own caps away', () => {
    const own = withCaps(DEFAULT_LIMITS, { pumps: { ph_down: { maxMlPerDose: 5 } }, loop: { abPauseMs: 40_000 } });
    expect(own.pumps).toEqual({ ph_down: { maxMlPerDose: 5 } });
    expect(own.loop).toEqual({ ...DEFAULT_LIMITS.loop, abPauseMs: 40_000 });
    expect(withCaps(own, { pumps: { ph_down: null } }).pumps).toEqual({});
  });

  it('must agree with each other and with the controller’s bounds', () => {
    expect(capsProblem(DEFAULT_LIMITS, pumps)).toBeNull();
    expect(capsProblem(withCaps(DEFAULT_LIMITS, { loop: { maxStepMl: 80 } }), pumps)).toMatch(/^loop\.maxStepMl \(80 mL\) is more than an adjustment may dose in all/);
    expect(capsProblem(withCaps(DEFAULT_LIMITS, { fill: { noFlowMs: 600_000, timeoutMs: 300_000 } }), pumps)).toBe(
      'fill.noFlowMs (10 min) is longer than the longest fill (fill.timeoutMs, 5 min); shorten it',
    );
    expect(capsProblem(withCaps(DEFAULT_LIMITS, { pumps: { ph_down: { maxMlPerDose: 30 } } }), pumps)).toBe(
      "pumps.ph_down.maxMlPerDose (30 mL) is more than pH down doses at once (at most 25 mL, the controller's bound); set 25 mL or less",
    );
    // A controller whose pumps report no bound leaves the per-dose cap to the host.
    expect(capsProblem(withCaps(DEFAULT_LIMITS, { pump: { maxMlPerDose: 400 } }), [{ id: 'p', kind: 'pump', name: 'P' }])).toBeNull();
  });

  it('list what changed, old and new, as the confirmation and the audit show it', () => {
    const after = withCaps(DEFAULT_LIMITS, { pump: { maxMlPerDose: 20 }, pumps: { nut_a: { maxMlPerDay: 100 } }, loop: { requireCirculation: false } });
    expect(capChanges(DEFAULT_LIMITS, after, () => 'Nutrient A')).toEqual([
      { key: 'pump.maxMlPerDose', label: 'Each pump, per dose', old: 50, new: 20, unit: 'mL' },
      { key: 'loop.requireCirculation', label: 'Circulation must run to adjust', old: true, new: false, unit: 'on/off' },
      { key: 'pumps.nut_a.maxMlPerDay', label: 'Nutrient A, per 24 hours', old: null, new: 100, unit: 'mL' },
    ]);
    expect(capWords('ms', 90_000)).toBe('90 s');
    expect(capWords('ms', 1_200_000)).toBe('20 min');
  });

  it('give a dose field the cap that applies: the smaller of Tendril’s and the controller’s', () => {
    expect(doseCapOf(pumps[0]!, DEFAULT_LIMITS)).toEqual({ ml: 50, by: 'tendril' });
    expect(doseCapOf(pumps[1]!, DEFAULT_LIMITS)).toEqual({ ml: 25, by: 'controller' });
    expect(doseCapOf(pumps[0]!, withCaps(DEFAULT_LIMITS, { pumps: { nut_a: { maxMlPerDose: 8 } } }))).toEqual({ ml: 8, by: 'tendril' });
    expect(doseCapOf(pumps[0]!, null)).toEqual({ ml: 250, by: 'controller' });
  });
});
