export { createStationCore } from './core';
export { loadStationLayout, loadStationSource, DEFAULT_BAUD, DEFAULT_ML_PER_SECOND } from './settings';
export type { StationConnection, StationCore, StationCoreOptions, StationSource } from './types';
export { saveStationSource, SettingsFileError, updateSettingsSection } from './settings-file';
export { memorySetup } from './memory-setup';
export { createSetupDesks, type SetupDesks, type SetupDesksOptions, type SetupKeeper } from './setup-desks';
export { stationCommands } from './commands';
