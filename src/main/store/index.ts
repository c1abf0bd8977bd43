export { StationStore, newEpoch, type Snapshot } from './station-store';
