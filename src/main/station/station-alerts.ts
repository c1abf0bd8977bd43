/**
 * The station's alerts, wired: one book every screen reads, one numbering shared with the
 * controller's alarms, the watch that raises what the link's and the stop's changes mean, and the
 * notifier that carries each new alert to growers with no screen open.
 */
import type { Alert, AlertLevel } from '../../shared/station';
import type { Alerts as AlertKeeper } from '../db';
import { AlertBook, StationWatch, type AlertInput } from '../alerts';
import { settledReminders } from '../calibration';
import type { ScheduleClock } from '../schedules';
import type { StationStore } from '../store';
import type { Part } from './lifecycle';

/** One numbering for alerts, whether the controller or Tendril raised them. */
export function alertNumbering(): () => number {
  let count = 0;
  return () => ++count;
}

export interface StationAlertsOptions {
  store: StationStore;
  clock: ScheduleClock;
  /** The numbering the link numbers the controller's alarms with. */
  nextId(): number;
  /** Where alerts are kept across restarts; memory only without one. */
  keeper?: AlertKeeper;
  /** Queues an alert for the grower's channels and returns at once. */
  notify(alert: Alert): void;
  log(line: string): void;
}

export interface StationAlerts {
  /** `subject`: what the alert is about, so its repeats fold into one entry (see Alert.subject). */
  raise(level: AlertLevel, code: string, message: string, subject?: string): void;
  /** An alert as the controller reported it, stamped and sourced. */
  raiseReported(alert: AlertInput): void;
  acknowledge(which: readonly number[] | 'all', by: string): number[];
  /** Who pressed the stop and who reset it, for the alerts the stop's changes raise. */
  stopRequested(by: string): void;
  resetRequested(by: string): void;
  /** The watch, stopped with the station. */
  readonly part: Part;
}

export function createStationAlerts(options: StationAlertsOptions): StationAlerts {
  const { store } = options;
  const book = new AlertBook({
    alerts: () => store.state.alerts,
    apply: (change) => store.apply(change),
    nextId: options.nextId,
    now: () => options.clock.now(),
    keeper: options.keeper,
    log: options.log,
  });
  // What waited for a person when Tendril stopped still does.
  book.restore();
  // Subscribed after the restore: alerts that waited across a restart were sent when raised.
  // The notifier queues and returns at once, so a channel that is down never holds up the station.
  store.subscribe((event) => {
    if (event.type === 'alert') options.notify(event.alert);
  });

  const watch = new StationWatch({
    clock: options.clock,
    raise: (alert) => book.raise(alert),
    acknowledgeStop: (by) => {
      const latched = store.state.alerts.filter((alert) => alert.code === 'ESTOP_LATCHED').map((alert) => alert.id);
      book.acknowledge(latched, by);
    },
  });
  let watched = store.state;
  store.subscribe((event, state) => {
    const before = watched;
    watched = state;
    watch.observe(event, before);
  });
  // A probe calibrated again settles its calibration reminder, in the name of who calibrated it.
  store.subscribe((event, state) => {
    if (event.type !== 'calibration_update') return;
    for (const { id, by } of settledReminders(state.alerts, event.calibration.probes ?? {})) book.acknowledge([id], by);
  });

  return {
    raise: (level, code, message, subject) => void book.raise({ level, code, message, subject }),
    raiseReported: (alert) => void book.raise(alert),
    acknowledge: (which, by) => book.acknowledge(which, by),
    stopRequested: (by) => watch.stopRequested(by),
    resetRequested: (by) => watch.resetRequested(by),
    part: { name: 'alert watch', stop: () => watch.dispose() },
  };
}
