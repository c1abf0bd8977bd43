/**
 * The station core: the link to the controller and the one live state every screen shows.
 * Plain Node: the Electron entry, the headless entry and the tests all run this same code.
 */
import { initialStationState, type AlertLevel, type Tank } from '../../shared/station';
import { pumpBoundRefusal, pumpOf } from '../../shared/dose';
import { Refusal } from '../../shared/refusal';
import { describeJob, doseBoundMs, JobEngine, MemoryJournal, type JobSettings } from '../jobs';
import { controllerCommands, detectController, listPorts, openSerialPort, StationLink, type LinkTarget } from '../link';
import { createDuplexPair, StationSimulator } from '../simulator';
import { StationStore } from '../store';
import { memorySetup } from './memory-setup';
import { databaseJournal } from './persistence';
import { DEFAULT_ML_PER_SECOND } from './settings';
import { loadSettings, warningOf } from '../settings';
import { createSetupDesks, type SetupDesks } from './setup-desks';
import { OverfillGuard } from './overfill-guard';
import { valveRefusal } from '../jobs/checks';
import { saveStationSource } from './settings-file';
import { DoseResponses, healthRulesFrom, StationHealth } from '../health';
import { Notifier } from '../notify';
import { AlertBook, StationWatch } from '../alerts';
import { systemClock } from '../schedules';
import { databaseAlarmKeeper, memoryAlarmKeeper, ReadingAlarmDesk } from '../alarms';
import { StationHistory } from '../history';
import type { StationCore, StationCoreOptions, StationSource } from './types';

export function createStationCore(options: StationCoreOptions): StationCore {
  const log = options.log ?? (() => {});
  let source = options.source;
  // Created the first time the simulated station is chosen, then kept: like a real board, it
  // keeps its tanks between connections.
  let simulator: StationSimulator | null = null;
  const simulatorFor = (timeScale: number | undefined): StationSimulator =>
    (simulator ??= options.simulator ?? new StationSimulator({ timeScale: timeScale ?? 1 }));

  /** How to reach the controller a source names. */
  function targetFor(chosen: StationSource): LinkTarget {
    switch (chosen.kind) {
      case 'simulated': {
        const sim = simulatorFor(chosen.timeScale);
        return {
          port: 'simulated',
          simulated: true,
          open: async () => {
            const [host, device] = createDuplexPair();
            sim.attach(device);
            return {
              stream: host,
              close: async () => {
                sim.detach();
                host.destroy();
              },
            };
          },
        };
      }
      case 'serial':
        return { port: chosen.path, simulated: false, open: () => openSerialPort(chosen.path, chosen.baud) };
      case 'auto':
        return {
          port: 'auto-detect',
          simulated: false,
          open: async () => {
            const found = await detectController(chosen.baud);
            if (!found) throw new Error('no controller answered on any serial port; check the USB cable and power');
            log(`station: found ${found.identity.device} ${found.identity.serial} on ${found.path}`);
            return openSerialPort(found.path, chosen.baud);
          },
        };
    }
  }
  const target = targetFor(source);

  // One numbering for alerts, whether the controller or Tendril raised them.
  let alertCount = 0;
  const nextAlertId = () => ++alertCount;
  const link = new StationLink({ ...target, log, nextAlertId });
  const controller = controllerCommands(link);
  const store = new StationStore(initialStationState(target.simulated, target.port, Date.now()));
  // settings.json, read once: each section the core uses, and a line for each that fell back.
  const settings = options.settings ?? loadSettings(options.dataDir);
  for (const section of ['layout', 'safety', 'sensorHealth'] as const) {
    const warning = warningOf(settings, section);
    if (warning) log(`settings: ${warning}`);
  }
  const layout = settings.layout;
  if (layout.tanks) store.apply({ type: 'tanks_update', tanks: layout.tanks });
  const limits = settings.safety;
  store.apply({ type: 'limits_update', limits });
  const db = options.database;

  // Every reading is judged, idle or not; a suspect probe is shown everywhere and no loop doses on it.
  const health = new StationHealth({
    state: () => store.state,
    onChange: (listener) => store.subscribe((event) => listener(event)),
    apply: (change) => store.apply(change),
    alert: (level, code, message) => raiseAlert(level, code, message),
    rules: healthRulesFrom(settings.sensorHealth),
  });
  const doseResponses = new DoseResponses(options.dataDir, log);
  // Alerts reach growers with no screen open too. The notifier queues them and returns at once,
  // so a channel that is down or slow never holds up the station.
  const notifier = new Notifier({ dataDir: options.dataDir, log, settings: settings.notify, settingsProblem: warningOf(settings, 'notify'), ...options.notify });

  function startDose(pump: string, ml: number): Promise<void> {
    const channel = pumpOf(store.state.channels, pump);
    if (!channel) throw new Refusal('REFUSED', `there is no pump "${pump}" on this controller`);
    const refusal = pumpBoundRefusal(channel, ml);
    if (refusal) throw new Refusal('REFUSED', refusal);
    const rate = setup.calibration.mlPerSecond(pump);
    const runMs = (ml / rate) * 1000;
    const maxMs = Math.min(doseBoundMs(ml, rate), channel.maxMs ?? Infinity);
    if (runMs > maxMs) {
      throw new Refusal('REFUSED', `${ml} mL at ${rate} mL/s takes ${Math.ceil(runMs / 1000)} s, longer than pump ${pump} may run (${Math.floor(maxMs / 1000)} s); dose less`);
    }
    return controller.dose(pump, ml, rate, maxMs);
  }

  const clock = options.clock ?? systemClock;
  const alerts = new AlertBook({
    alerts: () => store.state.alerts,
    apply: (change) => store.apply(change),
    nextId: nextAlertId,
    now: () => clock.now(),
    keeper: db?.alerts,
    log,
  });
  // What waited for a person when Tendril stopped still does.
  alerts.restore();
  // Subscribed after the restore: alerts that waited across a restart were sent when raised.
  store.subscribe((event) => {
    if (event.type === 'alert') notifier.alert(event.alert);
  });

  /** `subject`: what the alert is about, so its repeats fold into one entry (see Alert.subject). */
  function raiseAlert(level: AlertLevel, code: string, message: string, subject?: string): void {
    alerts.raise({ level, code, message, subject });
  }

  const watch = new StationWatch({
    clock,
    raise: (alert) => alerts.raise(alert),
    acknowledgeStop: (by) => {
      const latched = store.state.alerts.filter((alert) => alert.code === 'ESTOP_LATCHED').map((alert) => alert.id);
      alerts.acknowledge(latched, by);
    },
  });
  let watched = store.state;
  store.subscribe((event, state) => {
    const before = watched;
    watched = state;
    watch.observe(event, before);
  });

  // Read by the jobs as they run, and by the setup to refuse a schedule whose job would never pass.
  const jobSettings: JobSettings = {
    limits: () => limits,
    recipe: (id) => setup.recipes.recipe(id),
    pulsesPerLiter: (meterId) => setup.calibration.pulsesPerLiter(meterId),
    mlPerSecond: (pumpId) => setup.calibration.mlPerSecond(pumpId),
    doseResponse: (tank, kind) => doseResponses.figure(tank, kind),
    learnDoseResponse: (tank, kind, measured) => {
      try {
        const figure = doseResponses.learn(tank, kind, measured, Date.now());
        log(`dose response: tank ${tank.id} ${kind} now ${figure.toPrecision(3)} per mL per litre (measured ${measured.toPrecision(3)})`);
      } catch (err) {
        log(`dose response: could not save what tank ${tank.id} measured (${(err as Error).message}); the figure stays as it was`);
      }
    },
  };
  const jobs: JobEngine = new JobEngine({
    station: {
      state: () => store.state,
      onChange: (listener) => store.subscribe((event) => listener(event)),
      dose: (pumpId, ml) => startDose(pumpId, ml),
      fill: (valveId, meterId, pulses, maxMs, noFlowMs) => controller.fill(valveId, meterId, pulses, maxMs, noFlowMs),
      setRelay: (relayId, on, maxMs) => controller.setRelay(relayId, on, maxMs),
      stop: (channelId) => controller.stop(channelId),
      alert: (level, code, message) => raiseAlert(level, code, message),
      suspectSensor: (sensorId, detail) => health.suspect(sensorId, 'unresponsive', detail, Date.now()),
    },
    journal: options.journal ?? (db ? databaseJournal(db) : new MemoryJournal()),
    settings: jobSettings,
    publish: (job) => store.apply({ type: 'job_update', job }),
  });

  // Recipes, schedules and calibrations, set up through commands. The jobs above read them only
  // once they run, by which time this exists.
  const setup: SetupDesks = createSetupDesks({
    keeper: options.setup ?? db ?? memorySetup(),
    // Calibrations measured in Tendril win over the settings file's.
    figures: {
      pump: { configured: layout.mlPerSecond, default: () => DEFAULT_ML_PER_SECOND },
      flow: { configured: layout.pulsesPerLiter, default: () => limits.fill.defaultPulsesPerLiter },
    },
    state: () => store.state,
    apply: (change) => store.apply(change),
    jobs,
    jobSettings,
    setRelay: (relayId, on) => setRelay(relayId, on),
    alert: raiseAlert,
    clock: options.clock,
    log,
  });

  // Without a database there is nothing to expire; each screen's server keeps recent readings.
  const history = db ? new StationHistory({ store: db.sensorHistory, changes: (listener) => store.subscribe(listener), log }) : null;
  history?.start();
  if (db) {
    // What was running when Tendril last stopped is over: say so, and resume nothing.
    for (const job of db.jobs.interruptUnfinished(Date.now())) {
      const detail = `interrupted: Tendril stopped while it ran (${job.detail})`;
      db.jobs.update(job.id, { detail });
      store.apply({ type: 'job_update', job: { ...job, detail, etaMs: null } });
      raiseAlert(
        'warning',
        'JOB_INTERRUPTED',
        `job ${job.id} (${describeJob(job.spec)}) was interrupted when Tendril stopped, ${Math.round(job.progress * 100)}% done; nothing was resumed. Check the tank, then start it again if it is still needed`,
      );
    }
  }

  const overfill = new OverfillGuard({
    closeValve: (valveId) => controller.setRelay(valveId, false),
    alert: raiseAlert,
  });
  store.subscribe((event, state) => {
    if (event.type !== 'link_stats' && event.type !== 'alert') overfill.check(state);
  });

  const alarms = new ReadingAlarmDesk({
    keeper: db ? databaseAlarmKeeper(db) : memoryAlarmKeeper(),
    state: () => store.state,
    apply: (change) => store.apply(change),
    alert: raiseAlert,
    log,
  });
  alarms.start();

  /** A channel a job is driving takes no manual commands until the job ends or is cancelled. */
  function refuseIfHeld(channelId: string, what: string): void {
    const job = jobs.holding(channelId);
    if (job) throw new Refusal('REFUSED', `${what} ${channelId} is busy with job ${job.id} (${describeJob(job.spec)}); wait for it or cancel it`);
  }

  link.onEvent((change) => {
    if (change.type === 'alert') {
      const { level, code, message, at, source, subject } = change.alert;
      alerts.raise({ level, code, message, at, source, subject });
      return;
    }
    store.apply(change);
    // Fed here rather than from a store listener: an alert applied inside a listener would reach
    // the listeners after it (the LAN feed) before the reading that raised it.
    alarms.observe(change);
    if (change.type === 'device_update') setup.channelsChanged();
    if (change.type === 'link_update' && change.link.status === 'ready') setup.schedules.linkReady();
    if (change.type === 'estop_update' && !change.latched) setup.schedules.emergencyStopReleased();
    // No tanks configured: one tank holds whatever the controller reports, so every screen
    // (and every tank-following phone) sees the whole station.
    if (change.type === 'device_update' && !layout.tanks) {
      const channelIds = change.channels.map((channel) => channel.id);
      const current = store.state.tanks;
      if (current.length === 1 && current[0]?.channelIds.join() === channelIds.join()) return;
      const tank: Tank = { id: 'main', name: 'Main tank', capacityL: 100, channelIds };
      store.apply({ type: 'tanks_update', tanks: [tank] });
    }
  });

  async function setRelay(channel: string, on: boolean): Promise<void> {
    const relay = store.state.channels.find((c) => c.id === channel);
    if (!relay || relay.kind !== 'relay') {
      throw new Refusal('REFUSED', `there is no relay "${channel}" on this controller`);
    }
    refuseIfHeld(channel, 'relay');
    // Fill and drain valves open only in their jobs, which measure the water and stop in time.
    const refusal = on ? valveRefusal(store.state, relay) : null;
    if (refusal) throw new Refusal('REFUSED', refusal);
    // Relays the device bounds must carry that bound; the device would refuse the command.
    await controller.setRelay(channel, on, relay.maxMs);
  }

  let shutdown: Promise<void> | null = null;

  return {
    state: () => store.state,
    subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
    onEvent: (listener) => store.subscribe((event) => listener(event)),
    async start() {
      setup.start();
      await link.start();
    },
    shutdown() {
      shutdown ??= (async () => {
        setup.stop();
        health.dispose();
        watch.dispose();
        jobs.dispose();
        await link.stop();
        // After the link: the last readings it reported are still kept.
        history?.stop();
        notifier.close();
        simulator?.stop();
      })();
      return shutdown;
    },
    setRelay,
    notify: notifier,
    async dose(pump, ml, requestedBy = 'desktop') {
      const answer = jobs.start({ kind: 'dose', pumpId: pump, ml }, requestedBy, 'high');
      if (!answer.ok) throw new Refusal(answer.error.code, answer.error.message);
      return answer.job;
    },
    jobs,
    recipes: setup.recipes,
    schedules: setup.schedules,
    calibration: setup.calibration,
    setViewers(viewers) {
      store.apply({ type: 'presence', viewers });
    },
    alarms,
    connection: {
      source: () => source,
      ports: () => listPorts(),
      async switchTo(next) {
        const busy = store.state.jobs.filter((job) => job.state === 'running' || job.state === 'paused' || job.state === 'queued');
        if (busy.length > 0) {
          const named = busy.map((job) => `job ${job.id} (${describeJob(job.spec)})`).join(', ');
          throw new Refusal('REFUSED', `${named} would run on another controller; wait for ${busy.length === 1 ? 'it' : 'them'} or cancel ${busy.length === 1 ? 'it' : 'them'} first`);
        }
        if (shutdown) throw new Refusal('NOT_READY', 'Tendril is shutting down');
        // Written first: if the file cannot be saved, nothing changes and the grower is told why.
        saveStationSource(options.dataDir, next);
        source = next;
        log(`station: switching to ${next.kind === 'serial' ? next.path : next.kind}`);
        try {
          await link.retarget(targetFor(source));
          return { opened: true };
        } catch (err) {
          return { opened: false, problem: (err as Error).message };
        }
      },
    },
    emergencyStop(by = "the station's computer") {
      watch.stopRequested(by);
      link.emergencyStop();
    },
    async resetEmergencyStop(by = "the station's computer") {
      watch.resetRequested(by);
      await link.resetEmergencyStop();
    },
    alerts: {
      acknowledge: (which, by) => alerts.acknowledge(which, by),
    },
  };
}
