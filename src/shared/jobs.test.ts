/** The smallest amount a job may ask for, one rule and one set of words in every door. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';
import { abPauseShortfall, abPauseWords, MIN_AMOUNTS, RECIPE_SCHEMA } from './jobs';

const refusal = (command: unknown) => {
  const parsed = parseCommand(command);
  return parsed.ok ? null : parsed.error.message;
};

describe('minimum amounts', () => {
  it('refuses a denormal dose that would run as a 0 mL job, and takes the smallest real one', () => {
    expect(refusal({ id: '1', type: 'pump.dose', pumpId: 'nut_a', ml: 5e-324 })).toBe('ml must be at least 0.1 mL');
    expect(refusal({ id: '2', type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 0.09 } })).toBe('job.ml: ml must be at least 0.1 mL');
    expect(refusal({ id: '3', type: 'pump.dose', pumpId: 'nut_a', ml: MIN_AMOUNTS.ml })).toBeNull();
    // Zero and below keep their own words.
    expect(refusal({ id: '4', type: 'pump.dose', pumpId: 'nut_a', ml: -5 })).toBe('ml must be more than 0');
    expect(refusal({ id: '5', type: 'pump.dose', pumpId: 'nut_a', ml: 0 })).toBe('ml must be more than 0');
  });

  it('refuses fills and drains under 0.01 L and mixes under 1 s', () => {
    const job = (spec: object) => refusal({ id: 'j', type: 'job.start', job: spec });
    expect(job({ kind: 'fill', tankId: 'main', liters: 0.001 })).toBe('job.liters: liters must be at least 0.01 L');
    expect(job({ kind: 'fill-to', tankId: 'main', toLiters: 1e-9 })).toBe('job.toLiters: toLiters must be at least 0.01 L');
    expect(job({ kind: 'drain', tankId: 'main', liters: 5e-324 })).toBe('job.liters: liters must be at least 0.01 L');
    expect(job({ kind: 'drain-to', tankId: 'main', toLiters: 0.005 })).toBe('job.toLiters: toLiters must be at least 0.01 L');
    expect(job({ kind: 'mix', relayId: 'mixer', seconds: 0.5 })).toBe('job.seconds: seconds must be at least 1 s');
    expect(job({ kind: 'fill', tankId: 'main', liters: 0.01 })).toBeNull();
    expect(job({ kind: 'mix', relayId: 'mixer', seconds: 1 })).toBeNull();
  });

  it('refuses calibration runs and measurements below the same minimums', () => {
    expect(refusal({ id: '1', type: 'calibration.pump.run', pumpId: 'nut_a', seconds: 0.2 })).toBe('seconds must be at least 1 s');
    expect(refusal({ id: '2', type: 'calibration.flow.run', tankId: 'main', liters: 0.001 })).toBe('liters must be at least 0.01 L');
    expect(refusal({ id: '3', type: 'calibration.pump.save', jobId: 4, measuredMl: 5e-324 })).toBe('measuredMl must be at least 0.1 mL');
    expect(refusal({ id: '4', type: 'calibration.flow.save', jobId: 5, measuredLiters: 0.001 })).toBe('measuredLiters must be at least 0.01 L');
  });

  it('refuses recipe steps below them', () => {
    const recipe = (step: object) => {
      const parsed = RECIPE_SCHEMA.safeParse({ id: 'r', name: 'R', steps: [step] });
      return parsed.success ? null : parsed.error.issues[0]!.message;
    };
    expect(recipe({ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 0.01 } })).toBe('ml must be at least 0.1 mL');
    expect(recipe({ kind: 'wait', seconds: 0.1 })).toBe('seconds must be at least 1 s');
    expect(recipe({ kind: 'wait-in-band', sensorId: 'ph1', min: 5, max: 6, timeoutSeconds: 1e-3 })).toBe('timeoutSeconds must be at least 1 s');
    expect(recipe({ kind: 'water-change', tankId: 'main', toLiters: 0.001 })).toBe('toLiters must be at least 0.01 L');
  });
});

describe('recipe names', () => {
  const named = (name: string) => {
    const parsed = RECIPE_SCHEMA.safeParse({ id: 'r', name, steps: [{ kind: 'wait', seconds: 5 }] });
    return parsed.success ? null : parsed.error.issues[0]!.message;
  };

  it('are one line of plain text, refused with a message that says so', () => {
    expect(named('Veg week 3 – A+B')).toBeNull();
    for (const name of ['Veg\nweek 3', 'Veg\tweek', 'Veg \u202eweek', 'Veg\u2028week']) {
      expect(named(name)).toBe('name must be plain text on one line: no line breaks, tabs, control characters or text-direction marks');
    }
    expect(named('')).toBe('name must not be empty');
    expect(named('x'.repeat(61))).toBe('name must be at most 60 characters');
  });
});

describe('the pause between nutrient A and B', () => {
  const dose = (pumpId: string) => ({ kind: 'job' as const, job: { kind: 'dose' as const, pumpId, ml: 2 } });
  const wait = (seconds: number) => ({ kind: 'wait' as const, seconds });
  const nutrient = (pumpId: string) => pumpId.startsWith('nut_');

  it('counts only the waits and mixes between two different nutrients', () => {
    expect(abPauseShortfall([dose('nut_a'), wait(30), dose('nut_b')], nutrient, 30_000)).toBeNull();
    expect(abPauseShortfall([dose('nut_a'), wait(10), { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 5 } }, dose('nut_b')], nutrient, 30_000)).toEqual({ first: 0, second: 3, firstPumpId: 'nut_a', secondPumpId: 'nut_b', pausedMs: 10_000 });
    expect(abPauseShortfall([dose('nut_a'), wait(10), { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 20 } }, dose('nut_b')], nutrient, 30_000)).toBeNull();
  });

  it('lets one nutrient dose again, and pH follow a nutrient at once', () => {
    expect(abPauseShortfall([dose('nut_a'), dose('nut_a'), dose('ph_down'), wait(30), dose('nut_b')], nutrient, 30_000)).toBeNull();
  });

  it('measures from the latest nutrient dose', () => {
    expect(abPauseShortfall([dose('nut_a'), wait(60), dose('nut_b'), wait(5), dose('nut_a')], nutrient, 30_000)).toMatchObject({ first: 2, second: 4, pausedMs: 5_000 });
  });

  it('says it in the grower’s words, with the pumps’ names', () => {
    const shortfall = abPauseShortfall([dose('nut_a'), dose('nut_b')], nutrient, 30_000)!;
    expect(abPauseWords(shortfall, 30_000, (id) => (id === 'nut_a' ? 'Nutrient A' : 'Nutrient B'))).toMatch(/^step 2 doses Nutrient B with no wait after step 1 dosed Nutrient A; .* wait at least 30 s between them/);
  });
});
