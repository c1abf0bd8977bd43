import { describe, expect, it } from 'vitest';
import { levelStillProblem, meteredBeforeJudging } from './level-watch';

const tank = { name: 'Main tank', capacityL: 100 };
const judge = (level: number, metered: number) => levelStillProblem(tank, 'Tank level', 'Supply meter', 50, level, metered);

describe('a fill’s level against its meter', () => {
  it('waits for enough water before judging: a probe lags and ripples', () => {
    expect(meteredBeforeJudging(tank)).toBe(5);
    expect(meteredBeforeJudging({ capacityL: 20 })).toBe(2);
    expect(judge(50, 4.9)).toBeNull();
  });

  it('lets a fill go on while the level rises with the meter, even with a lag', () => {
    expect(judge(60, 10)).toBeNull();
    expect(judge(52.5, 10)).toBeNull();
  });

  it('stops a fill whose level does not rise: a stuck probe, or water going elsewhere', () => {
    expect(judge(50, 5)).toBe(
      "Supply meter counted 5 L into tank Main tank, but Tank level rose only 0 L; the level sensor may be stuck, or the water is going somewhere else. The fill valve was closed: check the level sensor, the hoses and the valve before filling again",
    );
    expect(judge(49, 12)).toMatch(/rose only 0 L/);
    expect(judge(52.4, 10)).toMatch(/rose only 2\.4 L/);
  });
});
