export { JobEngine, describe as describeJob, type JobAnswer, type JobControl, type JobPriority, type JobRefusal } from './engine';
export { doseBoundMs, DEFAULT_LIMITS, type SafetyLimits } from './limits';
export { MemoryJournal } from './memory-journal';
export type { DoseAuditEntry, JobJournal, JobSettings, JobStation } from './ports';
export { CapsDesk, memoryCapsAudit, type CapsAudit } from './caps-desk';
export { capsCommands, tankCommands } from './caps-commands';
export { TankDesk } from './tank-desk';
