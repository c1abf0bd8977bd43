export { startStation, StationStartError, type PairingLinks, type StartPolicy, type StartStationOptions, type Station, type StationPart } from './start-station';
