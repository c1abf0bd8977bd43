export { databaseAlarmKeeper, READING_ALARMS_KEY } from './keeper';
export { memoryAlarmKeeper, ReadingAlarmDesk, type AlarmKeeper, type AlarmSettingsChange, type AlarmTarget } from './reading-alarm-desk';
export { feedReading, initialAlarmState, type SensorAlarmState, type ZoneTransition } from './reading-alarms';
