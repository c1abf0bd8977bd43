/**
 * What the jobs read as they run, and the setup reads to refuse a schedule whose job would never
 * pass: the safety limits, the recipes, the calibrated figures, and what each tank has shown a
 * dose to do.
 */
import type { SafetyLimits } from '../../shared/limits';
import type { DoseResponses } from '../health';
import type { JobSettings } from '../jobs';
import type { SetupDesks } from './setup-desks';

export interface JobSettingsOptions {
  limits: SafetyLimits;
  /** The recipes and calibrations; read when a job asks, as they are built after the jobs. */
  setup(): Pick<SetupDesks, 'recipes' | 'calibration'>;
  doseResponses: Pick<DoseResponses, 'figure' | 'learn'>;
  now(): number;
  log(line: string): void;
}

export function stationJobSettings(options: JobSettingsOptions): JobSettings {
  const { limits, setup, doseResponses, log } = options;
  return {
    limits: () => limits,
    recipe: (id) => setup().recipes.recipe(id),
    pulsesPerLiter: (meterId) => setup().calibration.pulsesPerLiter(meterId),
    mlPerSecond: (pumpId) => setup().calibration.mlPerSecond(pumpId),
    doseResponse: (tank, kind) => doseResponses.figure(tank, kind),
    learnDoseResponse: (tank, kind, measured) => {
      try {
        const figure = doseResponses.learn(tank, kind, measured, options.now());
        log(`dose response: tank ${tank.id} ${kind} now ${figure.toPrecision(3)} per mL per litre (measured ${measured.toPrecision(3)})`);
      } catch (err) {
        log(`dose response: could not save what tank ${tank.id} measured (${(err as Error).message}); the figure stays as it was`);
      }
    },
  };
}
