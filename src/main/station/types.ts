import type { Presence, StationEvent } from '../../shared/events';
import type { StationDatabase } from '../db';
import type { StationSimulator } from '../simulator';
import type { CapsDesk, JobControl, JobJournal, TankDesk } from '../jobs';
import type { Job } from '../../shared/station';
import type { AlertLevel, BrokerLinkState, FleetStation, StationState } from '../../shared/station';
import type { ScheduleClock } from '../schedules';
import type { PortInfo } from '../link';
import type { SetupKeeper } from './setup-desks';
import type { RecipeBook } from '../recipes';
import type { ScheduleBook } from '../schedules';
import type { CalibrationBook } from '../calibration';
import type { ReadingAlarmDesk } from '../alarms';
import type { NotifierOptions, NotifyDesk } from '../notify';
import type { LoadedSettings } from '../settings';
import type { HistorySource } from '../history';

/** Where the station controller is. */
export type StationSource =
  | { kind: 'simulated'; timeScale?: number }
  /** `timeScale`: the simulator on a pty, run that many times faster; absent for real hardware. */
  | { kind: 'serial'; path: string; baud: number; timeScale?: number }
  | { kind: 'auto'; baud: number };

export interface StationConnection {
  source(): StationSource;
  /** The serial ports this computer has, for choosing the controller's. */
  ports(): Promise<PortInfo[]>;
  /**
   * Saves the choice to settings.json, switches every output off on the current controller,
   * and connects to the chosen one. Refused while jobs are running or queued: they were planned
   * for the controller they were started on. Resolves once the new port has been tried; when
   * it could not be opened the link keeps retrying, and `problem` says why it failed.
   */
  switchTo(source: StationSource): Promise<{ opened: boolean; problem?: string }>;
}

export interface StationCoreOptions {
  source: StationSource;
  /** The app's data folder (settings, and later the database). */
  dataDir: string;
  /** settings.json as the shell read it at start; read here when not given. */
  settings?: LoadedSettings;
  log?: (line: string) => void;
  /**
   * The station database: jobs, the dose audit, alerts, sensor history, calibrations, recipes.
   * Without one (tests of the live state) they are kept in memory.
   */
  database?: StationDatabase;
  /** Where jobs and the dose audit are kept, when not in `database`. */
  journal?: JobJournal;
  /** The simulated station to use, for tests that need its ground truth and faults. */
  simulator?: StationSimulator;
  /** Where recipes, schedules and calibrations are kept when not in `database` (else memory). */
  setup?: SetupKeeper;
  /** The clock schedules fire by; tests pass a fake one. */
  clock?: ScheduleClock;
  /** Notification timing and senders, for tests; the settings come from settings.json. */
  notify?: Omit<NotifierOptions, 'dataDir' | 'log'>;
}

/**
 * The station as the rest of the app uses it: the Electron entry, the headless entry and the
 * LAN server all hold one of these and nothing deeper.
 */
export interface StationCore {
  state(): StationState;
  /** Called after every change with the new state; returns the unsubscribe function. */
  subscribe(listener: (state: StationState) => void): () => void;
  /** Called with every numbered event, in order; returns the unsubscribe function. */
  onEvent(listener: (event: StationEvent) => void): () => void;
  /**
   * Starts the station's parts in their declared order, opening the controller's port last;
   * resolves once the first connection attempt has been made. When a part cannot start, what had
   * started is stopped again and the reason thrown.
   */
  start(): Promise<void>;
  /**
   * Stops the parts in the reverse of their start: the schedules and the jobs first, then every
   * output off and the port closed, then the records. A part that fails to stop is logged and
   * the rest still stop. Safe to call twice: the second call returns the first one's promise.
   */
  shutdown(): Promise<void>;
  setRelay(channel: string, on: boolean): Promise<void>;
  /** Alerts sent to the grower by webhook, ntfy and e-mail; absent where nothing is sent (stand-ins in tests). */
  readonly notify?: NotifyDesk;
  /**
   * Doses `ml` with a pump, as a job: within the pump's caps, written to the dose audit, and
   * refused while another job holds the pump. Resolves with the job once it is accepted.
   */
  dose(pump: string, ml: number, requestedBy?: string): Promise<Job>;
  /** Jobs: doses, fills, mixing, closed loops and recipes, with their queues and limits. */
  readonly jobs: JobControl;
  /** The grower's recipes. */
  readonly recipes: RecipeBook;
  /** The grower's schedules: jobs at their times, lights in their windows. */
  readonly schedules: ScheduleBook;
  /** The figures doses and fills are measured with, and the runs that measure them. */
  readonly calibration: CalibrationBook;
  /**
   * Sensor history as the station records it: in the database when there is one, else the recent
   * readings in memory. The LAN server and the desktop window both answer from this one.
   */
  readonly history: HistorySource;
  /** Which controller the station talks to, and switching to another. */
  readonly connection: StationConnection;
  /** Screens came or went, as the LAN server sees them: the count and the latest changes. */
  setPresence(presence: Presence): void;
  /** The MQTT broker link as the publisher sees it (main/mqtt), for every screen to show; null once MQTT is switched off. */
  setBrokerLink(broker: BrokerLinkState | null): void;
  /** The stations seen on the broker (main/mqtt/fleet), for the Stations screen; null once MQTT is switched off. */
  setFleet(fleet: FleetStation[] | null): void;
  /** Reading alarms: the limits each sensor is held to, changed by operators and audited. */
  readonly alarms: Pick<ReadingAlarmDesk, 'configure' | 'current'>;
  /** The caps jobs run within, changed by operators from Settings → Safety and audited. */
  readonly caps: Pick<CapsDesk, 'configure'>;
  /** The tanks' size, headroom, floor and valves, changed by operators from Settings → Tanks and audited. */
  readonly tankSettings: Pick<TankDesk, 'configure'>;
  /** `by`: who pressed it (a screen's name, "the desktop", "the tray"), for the alert it raises. */
  emergencyStop(by?: string): void;
  resetEmergencyStop(by?: string): Promise<void>;
  /** Saying "seen" to alerts, for every screen at once. */
  readonly alerts: {
    /** The ids it acknowledged: those waiting for a person among `which`. */
    acknowledge(which: readonly number[] | 'all', by: string): number[];
    /** Raises an alert about a part outside the core (the MQTT broker link), stored and sent like any other. */
    raise(level: AlertLevel, code: string, message: string, subject?: string): void;
  };
}
