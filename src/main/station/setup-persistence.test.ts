/**
 * The setup outlives the process: recipes, schedules (with when they last ran) and measured
 * calibrations are read back from the station database, a real file, on the next start.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { DEFAULT_LIMITS, type SafetyLimits } from '../../shared/limits';
import { initialStationState, type Channel } from '../../shared/station';
import type { JobSettings } from '../jobs';
import { openStationDatabase } from '../db';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { standInCore } from '../../test-support/main/stand-in-core';
import { createSetupDesks, type SetupDesks } from './setup-desks';

const scratch = useScratchFolders();

const channels: Channel[] = [
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
  { id: 'lights', kind: 'relay', name: 'Lights' },
];

type Raised = { level: string; code: string; message: string };

function setupOn(file: string, published: StationChange[], limits: SafetyLimits = DEFAULT_LIMITS, alerts: Raised[] = []): { setup: SetupDesks; close(): void } {
  const db = openStationDatabase(file);
  const state = { ...initialStationState(false, null), channels, limits };
  // Only what planning a job reads; the closed loops' figures are not asked for.
  const jobSettings = {
    limits: () => limits,
    recipe: (id: string) => db.recipes.get(id),
    pulsesPerLiter: () => 450,
    mlPerSecond: () => 1.1,
  } as Partial<JobSettings> as JobSettings;
  const setup = createSetupDesks({
    jobSettings,
    keeper: db,
    figures: { pump: { configured: { nut_a: 1.1 }, default: () => 1.25 }, flow: { configured: {}, default: () => 450 } },
    state: () => state,
    apply: (change) => void published.push(change),
    jobs: standInCore().jobs,
    setRelay: async () => {},
    alert: (level, code, message) => void alerts.push({ level, code, message }),
  });
  return {
    setup,
    close() {
      setup.stop();
      db.close();
    },
  };
}

describe('the setup in the station database', () => {
  it('reads back recipes, schedules and measured calibrations after a restart', () => {
    const file = join(scratch(), 'tendril.db');
    const first = setupOn(file, []);
    first.setup.start();
    first.setup.recipes.create({ id: 'feed', name: 'Feed', steps: [{ kind: 'notify', message: 'fed' }] });
    first.setup.schedules.create({ id: 'lights', name: 'Lights', enabled: false, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on: '06:00', off: '18:00' }, missedRun: { policy: 'skip' } });
    const db = openStationDatabase(file);
    db.calibrations.setPump('nut_a', 1.19, 1_000);
    db.close();
    first.close();

    const published: StationChange[] = [];
    const second = setupOn(file, published);
    second.setup.start();
    const last = <T extends StationChange['type']>(type: T) => published.filter((change): change is Extract<StationChange, { type: T }> => change.type === type).at(-1);
    expect(last('recipes_update')?.recipes.map((recipe) => recipe.id)).toEqual(['feed']);
    expect(last('schedules_update')?.schedules).toEqual([{ schedule: expect.objectContaining({ id: 'lights', enabled: false }), lastRunAt: null, nextRunAt: null }]);
    expect(last('calibration_update')?.calibration).toEqual({
      pumps: { nut_a: { mlPerSecond: 1.19, source: 'measured', at: 1_000 } },
      flowMeters: { flow1: { pulsesPerLiter: 450, source: 'default', at: null } },
    });
    expect(second.setup.calibration.mlPerSecond('nut_a')).toBe(1.19);
    second.close();
  });

  it('flags a stored schedule that the caps, lowered since, would refuse at every run', () => {
    const file = join(scratch(), 'tendril.db');
    const first = setupOn(file, []);
    first.setup.start();
    first.setup.schedules.create({ id: 'feed', name: 'Morning feed', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '0 8 * * *', action: { kind: 'dose', pumpId: 'nut_a', ml: 40 } }, missedRun: { policy: 'skip' } });
    first.close();

    const alerts: Raised[] = [];
    const lowered = { ...DEFAULT_LIMITS, pump: { maxMlPerDose: 25, maxMlPerDay: 500 } };
    const second = setupOn(file, [], lowered, alerts);
    second.setup.start();
    expect(alerts).toEqual([
      {
        level: 'warning',
        code: 'SCHEDULE_BREAKS_CAPS',
        message: expect.stringMatching(/^schedule "Morning feed" would be refused every time it runs: a dose of 40 mL exceeds the 25 mL per-dose cap for Nutrient A; dose less, or raise the cap in Settings → Safety\. Change the schedule, or disable it/),
      },
    ]);
    // Once: a new channel table (a reconnect) does not repeat it.
    second.setup.channelsChanged();
    expect(alerts).toHaveLength(1);
    second.close();
  });
});
