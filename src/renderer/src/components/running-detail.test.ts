import { describe, expect, it } from 'vitest';
import { runningDetail } from './running-detail';

describe('a running job’s detail', () => {
  it('drops the station’s percent words, which the bar and title say in the screen’s units', () => {
    expect(runningDetail('45% of fill Main tank with 37.85 L', false)).toBeNull();
  });

  it('drops a recipe’s step label beside its checklist, keeping what an adjustment is doing', () => {
    expect(runningDetail('step 1 of 3: fill Main tank with 10 L', true)).toBeNull();
    expect(runningDetail('step 2 of 3: water change of Main tank (drain to the floor, fill to 10 L)', true)).toBeNull();
    expect(runningDetail('step 3 of 3: bring Main tank to pH 5.8 (step 1: dosing 2 mL of pH down)', true)).toBe('step 1: dosing 2 mL of pH down');
  });

  it('keeps a recipe’s step label where no checklist is shown, and every other detail', () => {
    expect(runningDetail('step 1 of 3: fill Main tank with 10 L', false)).toBe('step 1 of 3: fill Main tank with 10 L');
    expect(runningDetail('waiting for Mixer', true)).toBe('waiting for Mixer');
    expect(runningDetail('paused by desktop', false)).toBe('paused by desktop');
    expect(runningDetail('', false)).toBeNull();
  });
});
