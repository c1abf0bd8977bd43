/**
 * What the tray icon says about the station: a one-line tooltip, and a menu that opens with the
 * status (the emergency stop, the controller link, the jobs) above the three things a grower
 * does from the tray. Pure, so the entry only has to hand it to Electron when it changes.
 *
 * Linux desktops often show no tooltip at all, so everything the tooltip says is in the menu too.
 */
import { unacknowledgedCount } from '../../shared/alerts';
import type { LinkState, StationState } from '../../shared/station';
import { activeJobLine, activeJobs } from './active-jobs';

export type TrayAction = 'estop' | 'open' | 'quit';

export type TrayMenuEntry = { kind: 'status'; label: string } | { kind: 'separator' } | { kind: 'action'; action: TrayAction; label: string };

export interface TrayView {
  tooltip: string;
  menu: TrayMenuEntry[];
}

/** Jobs listed by name; the rest are counted. */
export const MAX_LISTED_JOBS = 5;
/** Windows cuts a tray tooltip at 127 characters. */
export const MAX_TOOLTIP = 127;

export function trayView(state: StationState): TrayView {
  const jobs = activeJobs(state);
  const running = jobs.filter((job) => job.state === 'running').length;
  const waiting = jobs.length - running;
  const latched = state.estop.latched;
  const alertsWaiting = unacknowledgedCount(state.alerts);

  const summary = [
    ...(latched ? ['EMERGENCY STOP latched'] : []),
    ...(alertsWaiting > 0 ? [plural(alertsWaiting, 'alert') + ' waiting'] : []),
    `controller ${linkWords(state.link)}`,
    running === 0 && waiting === 0 ? 'no jobs' : [running > 0 ? plural(running, 'job') + ' running' : '', waiting > 0 ? `${waiting} waiting` : ''].filter(Boolean).join(', '),
  ];
  const tooltip = clip(`Tendril: ${summary.join(', ')}`, MAX_TOOLTIP);

  const status: TrayMenuEntry[] = [];
  if (latched) status.push({ kind: 'status', label: 'EMERGENCY STOP latched: reset it in Tendril' });
  if (alertsWaiting > 0) status.push({ kind: 'status', label: `${plural(alertsWaiting, 'alert')} waiting for you: see Alerts in Tendril` });
  status.push({ kind: 'status', label: `Controller: ${linkWords(state.link)}${state.link.simulated ? ' (simulated station)' : ''}` });
  if (jobs.length === 0) status.push({ kind: 'status', label: 'No jobs running' });
  for (const job of jobs.slice(0, MAX_LISTED_JOBS)) status.push({ kind: 'status', label: clip(activeJobLine(job, state), 80) });
  if (jobs.length > MAX_LISTED_JOBS) status.push({ kind: 'status', label: `…and ${jobs.length - MAX_LISTED_JOBS} more` });

  return {
    tooltip,
    menu: [
      ...status,
      { kind: 'separator' },
      // Stopping is always allowed, latched or not: pressing it again does no harm.
      { kind: 'action', action: 'estop', label: 'Emergency stop' },
      { kind: 'action', action: 'open', label: 'Open Tendril' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit' },
    ],
  };
}

/** True when the two views would show the same thing; the menu is rebuilt only on a change. */
export function sameTrayView(a: TrayView | null, b: TrayView): boolean {
  return a !== null && a.tooltip === b.tooltip && JSON.stringify(a.menu) === JSON.stringify(b.menu);
}

function linkWords(link: LinkState): string {
  if (link.status === 'ready' || link.status === 'connecting' || link.status === 'handshaking') return link.status;
  return link.reason ? `${link.status} (${clip(link.reason, 60)})` : link.status;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
