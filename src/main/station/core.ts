/**
 * The station core: the link to the controller and the one live state every screen shows.
 * Plain Node: the Electron entry, the headless entry and the tests all run this same code.
 *
 * This file only puts the parts together and says in what order they start; they stop in the
 * reverse, so the schedules stop before the jobs, the jobs before the link switches every output
 * off, and the records after the link's last readings.
 */
import type { StationChange } from '../../shared/events';
import { initialStationState } from '../../shared/station';
import { CapsDesk, JobEngine, memoryCapsAudit, MemoryJournal, TankDesk } from '../jobs';
import { controllerCommands, StationLink } from '../link';
import { StationStore } from '../store';
import { loadSettings, warningOf } from '../settings';
import { DoseResponses, healthRulesFrom, StationHealth } from '../health';
import { Notifier } from '../notify';
import { systemClock } from '../schedules';
import { databaseAlarmKeeper, memoryAlarmKeeper, ReadingAlarmDesk } from '../alarms';
import { StationHistory } from '../history';
import { memorySetup } from './memory-setup';
import { databaseJournal } from './persistence';
import { DEFAULT_ML_PER_SECOND } from './settings';
import { createSetupDesks } from './setup-desks';
import { watchForOverfill } from './overfill-guard';
import { ControllerSource, stationConnection } from './controller-source';
import { alertNumbering, createStationAlerts } from './station-alerts';
import { createManualCommands } from './manual-commands';
import { stationJobSettings } from './job-settings';
import { interruptedJobs } from './interrupted-jobs';
import { routeLinkEvent } from './link-events';
import { keepTankRoles } from './tank-roles';
import { createLifecycle, type Part } from './lifecycle';
import type { StationCore, StationCoreOptions } from './types';

export function createStationCore(options: StationCoreOptions): StationCore {
  const log = options.log ?? (() => {});
  const db = options.database;
  const clock = options.clock ?? systemClock;
  const controllerSource = new ControllerSource({ source: options.source, simulator: options.simulator, log });
  const target = controllerSource.target();
  const nextAlertId = alertNumbering();
  const link = new StationLink({ ...target, log, nextAlertId });
  const controller = controllerCommands(link);
  const store = new StationStore(initialStationState(target.simulated, target.port, Date.now()));
  const state = () => store.state;
  const apply = (change: StationChange) => void store.apply(change);
  const onChange = (listener: (change: StationChange) => void) => store.subscribe((event) => listener(event));

  // settings.json, read once: each section the core uses, and a line for each that fell back.
  const settings = options.settings ?? loadSettings(options.dataDir);
  for (const section of ['layout', 'safety', 'sensorHealth'] as const) {
    const warning = warningOf(settings, section);
    if (warning) log(`settings: ${warning}`);
  }
  const { layout, safety: limits } = settings;
  if (layout.tanks) store.apply({ type: 'tanks_update', tanks: layout.tanks });
  keepTankRoles({ state, apply, onChange });
  store.apply({ type: 'limits_update', limits });

  // Every reading is judged, idle or not; a suspect probe is shown everywhere and no loop doses on it.
  const health = new StationHealth({ state, onChange, apply, alert: (level, code, message) => alerts.raise(level, code, message), rules: healthRulesFrom(settings.sensorHealth) });
  const doseResponses = new DoseResponses(options.dataDir, log);
  const notifier = new Notifier({ dataDir: options.dataDir, log, settings: settings.notify, settingsProblem: warningOf(settings, 'notify'), ...options.notify });
  const alerts = createStationAlerts({ store, clock, nextId: nextAlertId, keeper: db?.alerts, notify: (alert) => notifier.alert(alert), log });
  const raise = alerts.raise;

  const manual = createManualCommands({ state, onChange, controller, mlPerSecond: (pump) => setup.calibration.mlPerSecond(pump), jobs: () => jobs });
  // The caps as they are now: an operator may change them while the station runs.
  const jobSettings = { ...stationJobSettings({ limits, setup: () => setup, doseResponses, now: () => Date.now(), log }), limits: () => store.state.limits };
  const settingsAudit = db?.settingsAudit ?? memoryCapsAudit();
  const caps = new CapsDesk({ dataDir: options.dataDir, state, apply, audit: settingsAudit, log });
  const tankSettings = new TankDesk({ dataDir: options.dataDir, state, apply, audit: settingsAudit, log });
  const jobs = new JobEngine({
    station: {
      state,
      onChange,
      dose: (pumpId, ml) => manual.startDose(pumpId, ml),
      fill: (valveId, meterId, pulses, maxMs, noFlowMs) => controller.fill(valveId, meterId, pulses, maxMs, noFlowMs),
      setRelay: (relayId, on, maxMs) => controller.setRelay(relayId, on, maxMs),
      stop: (channelId) => controller.stop(channelId),
      alert: raise,
      suspectSensor: (sensorId, detail) => health.suspect(sensorId, 'unresponsive', detail, Date.now()),
      timeScale: () => controllerSource.timeScale(),
    },
    journal: options.journal ?? (db ? databaseJournal(db) : new MemoryJournal()),
    settings: jobSettings,
    publish: (job) => store.apply({ type: 'job_update', job }),
  });

  // Recipes, schedules and calibrations, set up through commands. The jobs read them only once
  // they run, by which time these exist.
  const setup = createSetupDesks({
    keeper: options.setup ?? db ?? memorySetup(),
    // Calibrations measured in Tendril win over the settings file's.
    figures: {
      pump: { configured: layout.mlPerSecond, default: () => DEFAULT_ML_PER_SECOND },
      flow: { configured: layout.pulsesPerLiter, default: () => limits.fill.defaultPulsesPerLiter },
    },
    state, apply, jobs, jobSettings, alert: raise, clock: options.clock, log,
    probeReminderDays: settings.sensorHealth.calibrationReminderDays,
    setRelay: (relayId, on) => manual.setRelay(relayId, on),
  });

  // With a database, samples are kept and expired there; without one, recent readings in memory.
  // A simulated station at a time scale expires its history every hour of its own time.
  const history = new StationHistory({ store: db?.sensorHistory ?? null, changes: (listener) => store.subscribe(listener), log, timeScale: controllerSource.timeScale() });
  watchForOverfill({ subscribe: (listener) => store.subscribe(listener), closeValve: (valveId) => controller.setRelay(valveId, false), alert: raise });
  const alarms = new ReadingAlarmDesk({ keeper: db ? databaseAlarmKeeper(db) : memoryAlarmKeeper(), state, apply, alert: raise, log });
  link.onEvent((change) => routeLinkEvent(change, { store, alerts, alarms, setup, tanksConfigured: Boolean(layout.tanks) || tankSettings.edited }));

  // Start order, top to bottom; shutdown runs it bottom to top.
  const parts: Part[] = [
    controllerSource.part,
    // The notifier closes last but one: alerts raised while stopping still reach the grower.
    { name: 'notifier', stop: () => notifier.close() },
    // Stopped after the link: the last readings it reported are still kept.
    { name: 'history', start: () => history.start(), stop: () => history.stop() },
    // Every output off, then the port closed. Nothing above may hold it back.
    { name: 'link', stop: () => link.stop() },
    { name: 'jobs', stop: () => jobs.dispose() },
    alerts.part,
    { name: 'sensor health', stop: () => health.dispose() },
    interruptedJobs({ jobs: db?.jobs, doses: db?.doseAudit, apply, alert: raise, now: () => Date.now() }),
    { name: 'reading alarms', start: () => alarms.start() },
    { name: 'setup', start: () => setup.start(), stop: () => setup.stop() },
    // Opened last, once everything that acts on the controller's changes is listening.
    { name: 'controller port', start: () => link.start() },
  ];
  const lifecycle = createLifecycle(parts, log);

  return {
    state,
    subscribe: (listener) => store.subscribe((_event, next) => listener(next)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    start: () => lifecycle.start(),
    shutdown: () => lifecycle.stop(),
    setRelay: manual.setRelay,
    notify: notifier,
    dose: manual.dose,
    jobs,
    recipes: setup.recipes,
    schedules: setup.schedules,
    calibration: setup.calibration,
    history,
    setPresence: (presence) => apply({ type: 'presence', ...presence }),
    setBrokerLink: (broker) => apply({ type: 'broker_update', broker }),
    setFleet: (fleet) => apply({ type: 'fleet_update', fleet }),
    alarms,
    caps,
    tankSettings,
    connection: stationConnection({
      controller: controllerSource,
      retarget: (next) => link.retarget(next),
      jobs: () => store.state.jobs,
      stopping: () => lifecycle.stopping,
      dataDir: options.dataDir,
      log,
    }),
    emergencyStop(by = "the station's computer") {
      alerts.stopRequested(by);
      link.emergencyStop();
    },
    async resetEmergencyStop(by = "the station's computer") {
      alerts.resetRequested(by);
      await link.resetEmergencyStop();
    },
    alerts: { acknowledge: alerts.acknowledge, raise },
  };
}
