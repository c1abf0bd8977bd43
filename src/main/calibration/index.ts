export { CalibrationDesk, type CalibrationBook, type CalibrationDeskOptions, type SavedFigure, type UnmeasuredFigures } from './calibration-desk';
export { INSTRUMENTS, type Instrument, type InstrumentKind } from './instruments';
export { calibrationCommands } from './commands';
export { DEFAULT_PROBE_REMINDER_DAYS, ProbeDesk, settledReminders, type CapturedPoint, type ProbeDeskOptions, type SavedProbe } from './probe-desk';
