export { ScheduleRunner, systemClock, type ScheduleClock, type ScheduleRunnerOptions } from './runner';
export { latestDue, missedRuns, nextRuns, previewRuns, type ScheduledRun } from './occurrences';
export { isLightSchedule, lightShouldBeOn, lightStateAt, lightSwitches, type LightSchedule } from './light-timer';
export { describeMismatch, LIGHT_MISMATCH_GRACE_MS, LightWatch, type LightMismatch, type RelayView } from './light-watch';
export { scheduleCapProblem } from './schedule-caps';
export { ScheduleDesk, type ScheduleBook, type ScheduleDeskOptions } from './schedule-desk';
export { scheduleCommands } from './commands';
