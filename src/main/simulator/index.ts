/**
 * Tendril's station simulator: a reference peer for docs/protocol.md.
 *
 *   const sim = new StationSimulator({ seed: 7, timeScale: 10 });
 *   const [hostEnd, stationEnd] = createDuplexPair();
 *   sim.attach(stationEnd);   // the host talks protocol on hostEnd
 *   sim.faults.corruptNext(3);
 *   sim.snapshot();
 *   sim.stop();
 */
export { StationSimulator, type SimulatorOptions, type SimulatorFaults, type SimSnapshot } from './simulator';
export { createDuplexPair } from './duplex-pair';
export { defaultLayout, type StationLayout } from './layout';
export { TankPhysics, type TankTruth } from './physics';
