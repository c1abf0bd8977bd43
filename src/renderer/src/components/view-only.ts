import { useStationStore } from '../store';

/**
 * A screen paired with a viewer link watches and does not control: its controls are disabled,
 * and the station would refuse them anyway. The emergency stop is the exception: anyone may stop.
 */
export function useViewOnly(): boolean {
  return useStationStore((s) => s.role === 'viewer');
}

/** Shown on disabled controls, so a viewer learns why rather than thinking the screen is broken. */
export const VIEW_ONLY_HINT = 'View only: pair with an operator link to control the station';
