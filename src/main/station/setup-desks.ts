/**
 * How the grower set the station up, as the commands change it: recipes, schedules (and the
 * runner that fires them), and the calibrations doses and fills are measured with. Each is its
 * own desk; this wires them to one another and to the station, and starts and stops them together.
 */
import type { StationChange } from '../../shared/events';
import type { AlertLevel, StationState } from '../../shared/station';
import { CalibrationDesk, DEFAULT_PROBE_REMINDER_DAYS, type ProbeDesk, type InstrumentKind, type UnmeasuredFigures } from '../calibration';
import type { Calibrations, Recipes, Schedules } from '../db';
import type { JobControl, JobSettings } from '../jobs';
import { RecipeDesk } from '../recipes';
import { ScheduleDesk, systemClock, type ScheduleClock } from '../schedules';

/** Where the setup is kept: the station database, or memory (memory-setup.ts). */
export interface SetupKeeper {
  recipes: Recipes;
  schedules: Schedules;
  calibrations: Calibrations;
}

export interface SetupDesksOptions {
  keeper: SetupKeeper;
  /** Each instrument kind's figures from settings.json and its default; a measured one wins. */
  figures: Record<InstrumentKind, UnmeasuredFigures>;
  state(): StationState;
  apply(change: StationChange): void;
  jobs: JobControl;
  /** What the job engine checks jobs with; a schedule whose job it would always refuse is refused. */
  jobSettings?: JobSettings;
  /** Switches a relay for a light timer, as a manual command would (refused while a job holds it). */
  setRelay(relayId: string, on: boolean): Promise<void>;
  alert(level: AlertLevel, code: string, message: string, subject?: string): void;
  /** A probe calibration older than this many days raises a reminder (settings' sensorHealth); default 30 days. */
  probeReminderDays?: number;
  clock?: ScheduleClock;
  log?: (line: string) => void;
}

export interface SetupDesks {
  recipes: RecipeDesk;
  schedules: ScheduleDesk;
  calibration: CalibrationDesk;
  /** pH and EC probe calibrations, applied to every reading on its way in. */
  probes: ProbeDesk;
  /** Publishes the setup and starts the schedules, making up missed runs as each one says. */
  start(): void;
  stop(): void;
  /** A new channel table: pumps and meters may have come or gone, and a schedule may now break the caps. */
  channelsChanged(): void;
}

export function createSetupDesks(options: SetupDesksOptions): SetupDesks {
  const { keeper, state, apply, jobs, log } = options;
  const clock = options.clock ?? systemClock;
  const schedules: ScheduleDesk = new ScheduleDesk({
    keeper: keeper.schedules,
    recipe: (id) => keeper.recipes.get(id),
    state,
    apply,
    jobs,
    jobSettings: options.jobSettings,
    setRelay: options.setRelay,
    alert: options.alert,
    clock,
    log,
  });
  const recipes = new RecipeDesk({
    keeper: keeper.recipes,
    state,
    apply,
    scheduledWith: (recipeId) => schedules.scheduledWith(recipeId),
    // A schedule that ran the old steps within the caps may not run the new ones.
    changed: () => schedules.recheckCaps(),
  });
  const calibration = new CalibrationDesk({
    keeper: keeper.calibrations,
    figures: options.figures,
    state,
    apply,
    jobs,
    now: () => clock.now(),
    log,
    probes: { alert: options.alert, reminderDays: options.probeReminderDays ?? DEFAULT_PROBE_REMINDER_DAYS },
  });
  const probes = calibration.probes;
  return {
    recipes,
    schedules,
    calibration,
    probes,
    start() {
      recipes.start();
      calibration.start();
      probes.remindIfDue(clock.now());
      schedules.start();
    },
    stop() {
      schedules.stop();
    },
    channelsChanged() {
      calibration.channelsChanged();
      schedules.recheckCaps();
    },
  };
}
