/**
 * The keyboard shortcut for the emergency stop. Shift+Escape: Escape already means "stop" to
 * most people, and the Shift makes it a deliberate chord that typing never produces, while one
 * hand can still find it without looking.
 */
export const EMERGENCY_STOP_KEYS = 'Shift+Escape';
/** How the shortcut reads on a key cap. */
export const EMERGENCY_STOP_KEYS_LABEL = 'Shift+Esc';

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export function isEmergencyStopKey(press: KeyPress): boolean {
  // Some keyboards report Escape as "Esc" (old Edge, some Android keyboards).
  return (press.key === 'Escape' || press.key === 'Esc') && press.shiftKey && !press.ctrlKey && !press.altKey && !press.metaKey;
}
