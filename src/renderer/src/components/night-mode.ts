/**
 * Night mode: a dim red-on-black palette for the dark period, when a bright screen is a light
 * leak. Remembered per device, because the phone in the grow room wants it and the office PC
 * does not. The palette itself lives in styles.css under [data-theme='night'].
 */
import { useSyncExternalStore } from 'react';

export const NIGHT_MODE_KEY = 'tendril.nightMode';

/** The parts of localStorage this needs; storage may be missing or refuse (private windows). */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readNightMode(storage: PreferenceStorage | null): boolean {
  try {
    const stored = storage?.getItem(NIGHT_MODE_KEY);
    return stored === 'true' || stored === '1' || stored === 'on';
  } catch {
    return false;
  }
}

export function writeNightMode(storage: PreferenceStorage | null, on: boolean): void {
  try {
    storage?.setItem(NIGHT_MODE_KEY, on ? 'true' : 'false');
  } catch {
    // Not remembered, but still applied for as long as the page is open.
  }
}

function browserStorage(): PreferenceStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const listeners = new Set<() => void>();
let nightMode = readNightMode(browserStorage());

function apply(on: boolean): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = on ? 'night' : 'day';
}

// Applied as soon as this module loads. Until then the page is black (styles.css, html without
// data-theme): on slow grow-room Wi-Fi the script may take seconds, and a white page for that
// long at night is the very light leak this mode exists to prevent.
apply(nightMode);

if (typeof window !== 'undefined') {
  // Another tab or window on this device switched it.
  window.addEventListener('storage', (event) => {
    if (event.key !== NIGHT_MODE_KEY) return;
    setNightMode(readNightMode(browserStorage()), false);
  });
}

export function setNightMode(on: boolean, remember = true): void {
  if (remember) writeNightMode(browserStorage(), on);
  if (on === nightMode) return;
  nightMode = on;
  apply(on);
  for (const notify of listeners) notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useNightMode(): boolean {
  return useSyncExternalStore(subscribe, () => nightMode);
}
