/**
 * The station's parts of settings.json, as read by the settings module (src/main/settings). The
 * core is handed them from the one read at start; these ask for a fresh read, for the shells and
 * tests that want one part alone.
 */
import { loadSettings, warningOf, type StationLayout } from '../settings';
import type { StationSource } from './types';

export { DEFAULT_BAUD } from '../../shared/baud';
export { DEFAULT_ML_PER_SECOND, type StationLayout } from '../settings';


/**
 * Where the controller is. A settings file that cannot be read is never overwritten: the
 * grower's file stays as it is, the app falls back to the simulator, and the warning says why.
 */
export function loadStationSource(dataDir: string): StationSource & { warning?: string } {
  const settings = loadSettings(dataDir);
  const warning = warningOf(settings, 'station');
  return warning ? { ...settings.station, warning } : settings.station;
}

/** Tanks and pump calibration; a layout that cannot be used leaves the defaults and says what to fix. */
export function loadStationLayout(dataDir: string): StationLayout & { warning?: string } {
  const settings = loadSettings(dataDir);
  const warning = warningOf(settings, 'layout');
  return warning ? { ...settings.layout, warning } : settings.layout;
}
