import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared/limits';
import type { Tank } from '../../shared/station';
import { DoseResponses } from '../health';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { stationJobSettings } from './job-settings';
import type { SetupDesks } from './setup-desks';

const scratch = useScratchFolders();
const main: Tank = { id: 'main', name: 'Main', capacityL: 100, channelIds: [] };

/** Calibrations and recipes as the setup desks answer them; the jobs read nothing else of them. */
const setup = {
  recipes: { recipe: (id: string) => (id === 'veg' ? { id: 'veg', name: 'Veg', steps: [] } : undefined) },
  calibration: { mlPerSecond: (pump: string) => (pump === 'nut_a' ? 1.2 : 1.25), pulsesPerLiter: () => 450 },
} as unknown as Pick<SetupDesks, 'recipes' | 'calibration'>;

describe('what the jobs read as they run', () => {
  it('is the limits, the recipes and the calibrated figures of the moment', () => {
    const settings = stationJobSettings({ limits: DEFAULT_LIMITS, setup: () => setup, doseResponses: new DoseResponses(null), now: () => 0, log: () => {} });
    expect(settings.limits()).toBe(DEFAULT_LIMITS);
    expect(settings.recipe('veg')).toMatchObject({ name: 'Veg' });
    expect(settings.mlPerSecond('nut_a')).toBe(1.2);
    expect(settings.pulsesPerLiter('inlet')).toBe(450);
  });

  it('keeps what a tank showed a dose to do, and logs when it could not be saved', () => {
    const lines: string[] = [];
    const folder = scratch();
    const saved = stationJobSettings({ limits: DEFAULT_LIMITS, setup: () => setup, doseResponses: new DoseResponses(folder), now: () => 5_000, log: (line) => lines.push(line) });
    const before = saved.doseResponse!(main, 'ph');
    saved.learnDoseResponse!(main, 'ph', before * 2);
    expect(saved.doseResponse!(main, 'ph')).toBeGreaterThan(before);
    expect(lines).toEqual([expect.stringMatching(/^dose response: tank main ph now [\d.e-]+ per mL per litre \(measured [\d.e-]+\)$/)]);

    // A file where the data folder should be: nothing can be written under it.
    const blocked = join(folder, 'not-a-folder');
    writeFileSync(blocked, '');
    const unsaved = stationJobSettings({ limits: DEFAULT_LIMITS, setup: () => setup, doseResponses: new DoseResponses(blocked), now: () => 5_000, log: (line) => lines.push(line) });
    unsaved.learnDoseResponse!(main, 'ec', 0.01);
    expect(lines[1]).toMatch(/^dose response: could not save what tank main measured \(.+\); the figure stays as it was$/);
  });
});
