export { createStationCore } from './core';
export { loadStationSource, DEFAULT_BAUD } from './settings';
export type { StationCore, StationCoreOptions, StationSource } from './types';
