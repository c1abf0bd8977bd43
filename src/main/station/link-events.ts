/**
 * Where each change the link reports goes: alerts to the alert book (which numbers and folds
 * them), everything else to the store, then to the parts that act on it.
 */
import type { StationChange } from '../../shared/events';
import type { StationState } from '../../shared/station';
import type { AlertInput } from '../alerts';
import type { ProbeDesk } from '../calibration';
import type { ScheduleDesk } from '../schedules';
import { defaultTanks } from './default-tank';

export interface LinkEventTargets {
  store: { readonly state: StationState; apply(change: StationChange): void };
  alerts: { raiseReported(alert: AlertInput): void };
  /** The reading alarms, fed every change after it is applied. */
  alarms: { observe(change: StationChange): void };
  /** A new channel table: calibrations and schedule caps are checked again; lights go back after a reboot or a stop. */
  setup: {
    channelsChanged(): void;
    schedules: Pick<ScheduleDesk, 'linkReady' | 'emergencyStopReleased'>;
    /** Calibrated pH and EC probes: their readings go on calibrated, the controller's value kept as raw. */
    probes?: Pick<ProbeDesk, 'calibrate'>;
  };
  /** Whether settings.json names the tanks; without, one tank holds every channel. */
  tanksConfigured: boolean;
}

export function routeLinkEvent(reported: StationChange, to: LinkEventTargets): void {
  // Before anything sees the reading, so the store, the history, the loops, the alarms and the
  // exports all get the calibrated value.
  const change = to.setup.probes ? to.setup.probes.calibrate(reported) : reported;
  if (change.type === 'alert') {
    const { level, code, message, at, source, subject } = change.alert;
    to.alerts.raiseReported({ level, code, message, at, source, subject });
    return;
  }
  to.store.apply(change);
  // Fed here rather than from a store listener: an alert applied inside a listener would reach
  // the listeners after it (the LAN feed) before the reading that raised it.
  to.alarms.observe(change);
  if (change.type === 'device_update') to.setup.channelsChanged();
  if (change.type === 'link_update' && change.link.status === 'ready') to.setup.schedules.linkReady();
  if (change.type === 'estop_update' && !change.latched) to.setup.schedules.emergencyStopReleased();
  if (change.type === 'device_update' && !to.tanksConfigured) {
    const tanks = defaultTanks(to.store.state.tanks, change.channels);
    if (tanks) to.store.apply({ type: 'tanks_update', tanks });
  }
}
