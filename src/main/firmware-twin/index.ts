/**
 * The firmware twin: the reference firmware (firmware/tendril), compiled for the Arduino Mega,
 * running on an emulated ATmega2560 (the harness, firmware/emulator), with its pins wired to the
 * simulator's tank model. A peer for the app and a bench for the firmware's own tests.
 *
 *   const twin = new FirmwareTwin();        // firmware/build/tendril-twin on tendril.elf
 *   const pty = await twin.start();         // the host opens pty, as it would a USB port
 *   twin.setFloatSwitch('on');
 *   twin.snapshot().outChanges;             // output edges, in emulated CPU cycles
 *   await twin.stop();
 */
export { FirmwareTwin, type FirmwareTwinOptions, type LoopTiming } from './firmware-twin';
export { floatSwitchLevelL, type FirmwareTwinSnapshot, type FloatMode, type OutChange } from './bench';
export { CYCLES_PER_MS } from './harness-lines';
export { NOT_BUILT, twinBuildProblem, twinBuildStale } from './build';
