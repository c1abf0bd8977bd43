import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StationSource } from './types';

export const DEFAULT_BAUD = 115200;

/**
 * Where the controller is, from `settings.json` in the data folder. With no hardware configured
 * the app runs on the simulated station, so a fresh install has something to show.
 *
 * A settings file that cannot be read is never overwritten here: the grower's file stays as it
 * is, the app falls back to the simulator, and the returned warning says why.
 */
export function loadStationSource(dataDir: string): StationSource & { warning?: string } {
  const file = join(dataDir, 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { kind: 'simulated' };
  }
  try {
    const settings = JSON.parse(text) as { station?: { serialPath?: unknown; baud?: unknown } };
    const path = settings.station?.serialPath;
    const baud = settings.station?.baud ?? DEFAULT_BAUD;
    if (typeof path !== 'string' || path === '') return { kind: 'simulated' };
    if (typeof baud !== 'number' || !Number.isInteger(baud) || baud <= 0) {
      return { kind: 'simulated', warning: `${file}: station.baud must be a whole number such as 115200; using the simulated station` };
    }
    return path === 'auto' ? { kind: 'auto', baud } : { kind: 'serial', path, baud };
  } catch (err) {
    return { kind: 'simulated', warning: `${file} is not valid JSON (${(err as Error).message}); using the simulated station until it is fixed` };
  }
}
