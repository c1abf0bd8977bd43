/** The closed loop's decisions, one rule at a time, with plain inputs. */
import { describe, expect, it } from 'vitest';
import { decideAdjustment, doseStep, FAR_BELOW_RESPONSE, judgeResponse, NO_PROGRESS, suspectProbeRefusal, type AdjustGoal, type AdjustPumps } from './adjust-loop';
import { DEFAULT_LIMITS } from './limits';

const goal: AdjustGoal = { kind: 'adjust-ph', target: 5.8, band: 0.1 };
const pumps: AdjustPumps = { raise: ['ph_up'], lower: ['ph_down'] };
const limits = DEFAULT_LIMITS.loop;
const now = 1_000_000;

describe('decideAdjustment', () => {
  it('ignores a reading older than the maximum age, and a missing one', () => {
    const old = decideAdjustment(goal, pumps, { value: 6.5, at: now - limits.maxReadingAgeMs - 1000 }, now, limits, NO_PROGRESS);
    expect(old).toMatchObject({ kind: 'abort', code: 'READING_STALE', message: expect.stringMatching(/16 s old/) });
    expect(decideAdjustment(goal, pumps, undefined, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'abort', code: 'READING_STALE' });
  });

  it('is done within the band, and doses the right way outside it, in bounded steps', () => {
    expect(decideAdjustment(goal, pumps, { value: 5.85, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'done' });
    expect(decideAdjustment(goal, pumps, { value: 6.0, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'dose', doses: [{ pumpId: 'ph_down', ml: 2 }] });
    expect(decideAdjustment(goal, pumps, { value: 5.5, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'dose', doses: [{ pumpId: 'ph_up', ml: 3 }] });
    expect(decideAdjustment(goal, pumps, { value: 8.5, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'dose', doses: [{ ml: limits.maxStepMl }] });
  });

  it('never doses past the total for one run', () => {
    const spent = { ...NO_PROGRESS, dosedMl: limits.maxTotalMl - 1 };
    expect(decideAdjustment(goal, pumps, { value: 7, at: now }, now, limits, spent)).toMatchObject({ kind: 'dose', doses: [{ ml: 1 }] });
    const all = { ...NO_PROGRESS, dosedMl: limits.maxTotalMl };
    expect(decideAdjustment(goal, pumps, { value: 7, at: now }, now, limits, all)).toMatchObject({ kind: 'abort', code: 'LOOP_CAP' });
  });

  it('counts doses the reading did not answer, and gives up on the sensor after the limit', () => {
    let progress = NO_PROGRESS;
    // The first dose has nothing to answer yet; each after it counts the one before.
    for (let step = 0; step <= limits.unresponsiveSteps; step++) {
      const decision = decideAdjustment(goal, pumps, { value: 6.8, at: now }, now, limits, progress);
      if (step === limits.unresponsiveSteps) {
        expect(decision).toMatchObject({ kind: 'abort', code: 'SENSOR_NO_RESPONSE' });
      } else {
        expect(decision.kind).toBe('dose');
        if (decision.kind === 'dose') progress = decision.progress;
      }
    }
    // A reading that moves resets the count.
    const moved = decideAdjustment(goal, pumps, { value: 6.0, at: now }, now, limits, progress);
    expect(moved).toMatchObject({ kind: 'dose', progress: { unresponsive: 0 } });
  });

  it('splits EC steps over the nutrients, and says EC cannot be lowered by dosing', () => {
    const ec: AdjustGoal = { kind: 'adjust-ec', target: 1.6, band: 0.1 };
    const nutrients: AdjustPumps = { raise: ['nut_a', 'nut_b'], lower: [] };
    expect(decideAdjustment(ec, nutrients, { value: 1.2, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'dose', doses: [{ pumpId: 'nut_a', ml: 4 }, { pumpId: 'nut_b', ml: 4 }] });
    expect(decideAdjustment(ec, nutrients, { value: 2.2, at: now }, now, limits, NO_PROGRESS)).toMatchObject({ kind: 'abort', code: 'CANNOT_ADJUST', message: expect.stringMatching(/adding water/) });
  });
});

describe('judgeResponse', () => {
  // 10 mL of pH down into 60 L, at 2 pH per mL per litre: about 0.33 pH expected.
  const step = doseStep(7.9, -1, 10, 60, 2);

  it('expects the move the tank response figure predicts for the dose and the volume', () => {
    expect(step.expected).toBeCloseTo(0.333, 3);
  });

  it('calls a reading that did not move, or moved far less than expected, far below', () => {
    expect(judgeResponse(goal, step, 7.9)).toMatchObject({ kind: 'far-below', moved: expect.closeTo(0, 9) });
    expect(judgeResponse(goal, step, 7.95)).toMatchObject({ kind: 'far-below' });
    expect(judgeResponse(goal, step, 7.9 - step.expected * FAR_BELOW_RESPONSE + 0.01)).toMatchObject({ kind: 'far-below' });
  });

  it('takes a move of a quarter or more as answered, with the response it measured', () => {
    const answered = judgeResponse(goal, step, 7.07);
    expect(answered).toMatchObject({ kind: 'answered' });
    if (answered.kind === 'answered') expect(answered.perMlPerL).toBeCloseTo(0.83 / (10 / 60), 5);
    expect(judgeResponse(goal, step, 7.9 - step.expected * 0.3)).toMatchObject({ kind: 'answered' });
  });

  it('does not judge a step too small to tell from probe noise', () => {
    expect(judgeResponse(goal, doseStep(5.9, -1, 0.5, 60, 2), 5.9)).toEqual({ kind: 'unjudged' });
  });
});

describe('suspectProbeRefusal', () => {
  it('names the probe, the reason and what to do; nothing for a trusted probe', () => {
    expect(suspectProbeRefusal('adjust-ph', 'ph1', { status: 'ok' }, now)).toBeNull();
    expect(suspectProbeRefusal('adjust-ph', 'ph1', undefined, now)).toBeNull();
    const refusal = suspectProbeRefusal('adjust-ph', 'ph1', { status: 'suspect', reason: 'stuck', detail: 'reading has not moved for 20 min', since: now - 5 * 60_000 }, now);
    expect(refusal).toMatch(/^the pH probe ph1 is suspect \(reading has not moved for 20 min; for 5 min\), so no dose is based on it\. Check that it is in the water/);
  });
});
