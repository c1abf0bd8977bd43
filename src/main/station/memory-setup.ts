/**
 * Recipes, schedules and calibrations kept in memory, for a station run without a database
 * (tests of the live state, the stand-in used by UI tests). Same interface as the database's.
 */
import type { Recipe } from '../../shared/jobs';
import type { ProbeCalibration } from '../../shared/probe-calibration';
import type { Measured, StoredSchedule } from '../db';
import type { SetupKeeper } from './setup-desks';

export function memorySetup(): SetupKeeper {
  const recipes = new Map<string, Recipe>();
  const schedules = new Map<string, StoredSchedule>();
  const pumps: Record<string, Measured> = {};
  const meters: Record<string, Measured> = {};
  const probes: Record<string, ProbeCalibration> = {};
  const sorted = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, value]) => value);
  return {
    recipes: {
      all: () => sorted(recipes),
      get: (id) => recipes.get(id) ?? null,
      put: (recipe) => void recipes.set(recipe.id, recipe),
      remove: (id) => recipes.delete(id),
    },
    schedules: {
      all: () => sorted(schedules),
      get: (id) => schedules.get(id) ?? null,
      put: (schedule) => void schedules.set(schedule.id, schedule),
      remove: (id) => schedules.delete(id),
      markRun(id, at) {
        const schedule = schedules.get(id);
        if (schedule) schedules.set(id, { ...schedule, lastRunAt: at });
      },
      markSkipped(id, why) {
        const schedule = schedules.get(id);
        if (schedule) schedules.set(id, { ...schedule, lastRunSkipped: why });
      },
    },
    calibrations: {
      pumps: () => ({ ...pumps }),
      setPump: (pumpId, value, at) => void (pumps[pumpId] = { value, at }),
      flowMeters: () => ({ ...meters }),
      setFlowMeter: (meterId, value, at) => void (meters[meterId] = { value, at }),
      forgetPump: (pumpId) => void delete pumps[pumpId],
      forgetFlowMeter: (meterId) => void delete meters[meterId],
      probes: () => ({ ...probes }),
      setProbe: (sensorId, calibration) => void (probes[sensorId] = calibration),
      resetProbe: (sensorId) => void delete probes[sensorId],
    },
  };
}
