/**
 * The station's own section of settings.json: which controller to talk to. Reading, merging and
 * replacing the file is the settings module's, shared with every subsystem that keeps its
 * settings there.
 */
import { sectionOf, updateSettingsFile } from '../settings';
import type { StationSource } from './types';

export { SettingsFileError, updateSettingsSection } from '../settings';

/** The controller choice, as `station.serialPath` and `station.baud` (see settings/station.ts). */
export function saveStationSource(dataDir: string, source: StationSource): void {
  updateSettingsFile(dataDir, (settings) => {
    const station = sectionOf(settings, 'station');
    switch (source.kind) {
      case 'simulated':
        // No port is how a fresh install says "the simulated station".
        delete station['serialPath'];
        break;
      case 'serial':
        station['serialPath'] = source.path;
        station['baud'] = source.baud;
        break;
      case 'auto':
        station['serialPath'] = 'auto';
        station['baud'] = source.baud;
        break;
    }
    settings['station'] = station;
  });
}
