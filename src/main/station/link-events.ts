/**
 * Where each change the link reports goes: alerts to the alert book (which numbers and folds
 * them), everything else to the store, then to the parts that act on it.
 */
import type { StationChange } from '../../shared/events';
import type { StationState } from '../../shared/station';
import type { AlertInput } from '../alerts';
import { defaultTanks } from './default-tank';

export interface LinkEventTargets {
  state(): StationState;
  apply(change: StationChange): void;
  raiseReported(alert: AlertInput): void;
  /** The reading alarms, fed every change after it is applied. */
  observe(change: StationChange): void;
  /** Whether settings.json names the tanks; without, one tank holds every channel. */
  tanksConfigured: boolean;
  /** A new channel table: calibrations and schedule caps are checked again. */
  channelsChanged(): void;
  linkReady(): void;
  emergencyStopReleased(): void;
}

export function routeLinkEvent(change: StationChange, to: LinkEventTargets): void {
  if (change.type === 'alert') {
    const { level, code, message, at, source, subject } = change.alert;
    to.raiseReported({ level, code, message, at, source, subject });
    return;
  }
  to.apply(change);
  // Fed here rather than from a store listener: an alert applied inside a listener would reach
  // the listeners after it (the LAN feed) before the reading that raised it.
  to.observe(change);
  if (change.type === 'device_update') to.channelsChanged();
  if (change.type === 'link_update' && change.link.status === 'ready') to.linkReady();
  if (change.type === 'estop_update' && !change.latched) to.emergencyStopReleased();
  if (change.type === 'device_update' && !to.tanksConfigured) {
    const tanks = defaultTanks(to.state().tanks, change.channels);
    if (tanks) to.apply({ type: 'tanks_update', tanks });
  }
}
