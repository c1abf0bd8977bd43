export { CalibrationDesk, type CalibrationBook, type CalibrationDeskOptions, type SavedFigure, type UnmeasuredFigures } from './calibration-desk';
export { INSTRUMENTS, type Instrument, type InstrumentKind } from './instruments';
export { calibrationCommands } from './commands';
