import { describe, expect, it } from 'vitest';
import { DEFAULT_READING_ALARMS, resolveLimits, type ResolvedLimits } from '../../shared/reading-alarms';
import { feedReading, initialAlarmState, isEasing, type SensorAlarmState, type ZoneTransition } from './reading-alarms';

const PH: ResolvedLimits = { criticalLow: 5.0, warningLow: 5.5, warningHigh: 6.5, criticalHigh: 7.0, hysteresis: 0.05, holdMs: 30_000 };

/** Feeds readings one a second from `start` (a fake clock), and returns every transition. */
function run(values: number[], limits = PH, start = 0, state: SensorAlarmState = initialAlarmState(start)) {
  const transitions: ZoneTransition[] = [];
  let current = state;
  values.forEach((value, i) => {
    const step = feedReading(current, value, start + i * 1000, limits);
    current = step.state;
    if (step.transition) transitions.push(step.transition);
  });
  return { transitions, state: current };
}

const repeat = (value: number, seconds: number) => Array.from({ length: seconds }, () => value);

describe('a reading alarm', () => {
  it('stays quiet in band', () => {
    expect(run(repeat(6.0, 120)).transitions).toEqual([]);
  });

  it('raises a crossing only once it has lasted the hold time', () => {
    const { transitions } = run([6.0, ...repeat(7.9, 31)]);
    expect(transitions).toEqual([{ from: 'in_band', to: 'critical_high', value: 7.9, at: 31_000, limit: 7.0 }]);
    // 30 readings out is 29 s: one short of the hold.
    expect(run([6.0, ...repeat(7.9, 30)]).transitions).toEqual([]);
  });

  it('raises at once with no hold', () => {
    const { transitions } = run([6.0, 3.67], { ...PH, holdMs: 0 });
    expect(transitions).toEqual([{ from: 'in_band', to: 'critical_low', value: 3.67, at: 1000, limit: 5.0 }]);
  });

  it('forgets a spike shorter than the hold', () => {
    expect(run([...repeat(7.9, 10), ...repeat(6.0, 5), ...repeat(7.9, 10), ...repeat(6.0, 60)]).transitions).toEqual([]);
  });

  it('raises once for noise flapping around a limit, and does not clear within the hysteresis', () => {
    // A drift up to the warning limit, then noise of ±0.03 around it for ten minutes.
    const noisy = Array.from({ length: 600 }, (_, i) => 6.5 + (i % 2 === 0 ? 0.03 : -0.03));
    const { transitions, state } = run([...repeat(6.3, 10), ...noisy]);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: 'in_band', to: 'warning_high', limit: 6.5 });
    expect(state.zone).toBe('warning_high');
  });

  it('clears only once the reading is back inside by the margin, held for the hold time', () => {
    const out = run(repeat(6.8, 40)).state;
    expect(out.zone).toBe('warning_high');
    // 6.47 is under the limit but within the 0.05 margin: still high.
    expect(run(repeat(6.47, 120), PH, 40_000, out).transitions).toEqual([]);
    // 6.40 is inside by the margin, but comes and goes: the hold starts over each time.
    expect(run([...repeat(6.4, 20), 6.47, ...repeat(6.4, 20)], PH, 40_000, out).transitions).toEqual([]);
    const back = run(repeat(6.4, 31), PH, 40_000, out);
    expect(back.transitions).toEqual([{ from: 'warning_high', to: 'in_band', value: 6.4, at: 70_000, limit: 6.5 }]);
  });

  it('eases from critical to warning before clearing', () => {
    const critical = run(repeat(7.5, 40)).state;
    expect(critical.zone).toBe('critical_high');
    const { transitions } = run([...repeat(6.8, 40), ...repeat(6.0, 40)], PH, 40_000, critical);
    expect(transitions.map((t) => [t.from, t.to, t.limit])).toEqual([
      ['critical_high', 'warning_high', 6.5],
      ['warning_high', 'in_band', 6.5],
    ]);
    expect(isEasing(transitions[0]!)).toBe(true);
  });

  it('climbs from warning to critical', () => {
    const { transitions } = run([...repeat(6.8, 40), ...repeat(7.3, 40)]);
    expect(transitions.map((t) => t.to)).toEqual(['warning_high', 'critical_high']);
    expect(isEasing(transitions[1]!)).toBe(false);
  });

  it('goes straight across when a reading jumps from high to low', () => {
    const high = run(repeat(6.8, 40)).state;
    const { transitions } = run(repeat(5.3, 40), PH, 40_000, high);
    expect(transitions.map((t) => [t.from, t.to])).toEqual([['warning_high', 'warning_low']]);
  });

  it('ignores readings older than its state, and values that are not numbers', () => {
    const state = run(repeat(6.0, 5), PH, 10_000).state;
    expect(feedReading(state, 7.9, 0, PH)).toEqual({ state, transition: null });
    expect(feedReading(state, Number.NaN, 20_000, PH)).toEqual({ state, transition: null });
  });

  it('watches only the limits that are set', () => {
    const lowOnly: ResolvedLimits = { criticalLow: 10, warningLow: 25, warningHigh: null, criticalHigh: null, hysteresis: 2, holdMs: 0 };
    expect(run([50, 500, 24, 9], lowOnly).transitions.map((t) => t.to)).toEqual(['warning_low', 'critical_low']);
  });
});

describe('level limits in percent', () => {
  it('are taken against the tank’s capacity', () => {
    const level = { id: 'level1', kind: 'level' as const, name: 'Tank level', unit: 'L' };
    const tank = { id: 'main', name: 'Main tank', capacityL: 200, channelIds: ['level1'] };
    expect(resolveLimits(DEFAULT_READING_ALARMS.kinds.level, level, tank)).toEqual({
      criticalLow: 20,
      warningLow: 50,
      warningHigh: null,
      criticalHigh: 190,
      hysteresis: 4,
      holdMs: 10_000,
    });
  });

  it('call a level under the tank’s floor low, when the floor is above the low limit', () => {
    const level = { id: 'level1', kind: 'level' as const, name: 'Tank level', unit: 'L' };
    const tank = { id: 'main', name: 'Main tank', capacityL: 200, channelIds: ['level1'] };
    expect(resolveLimits(DEFAULT_READING_ALARMS.kinds.level, level, { ...tank, floorL: 80 }).warningLow).toBe(80);
    expect(resolveLimits(DEFAULT_READING_ALARMS.kinds.level, level, { ...tank, floorL: 30 }).warningLow).toBe(50);
  });
});
