/**
 * Sensor history and the station's other records: what is recorded as the station runs, how
 * long it is kept, and how a screen asks for it. The request and answer shapes are the wire
 * contract in src/shared/history.ts and src/shared/records.ts; the table itself is kept by the
 * station database (db/sensor-history.ts).
 */
export { ReadingHistory, type ReadingHistoryOptions } from './recent-readings';
export { answerRecord, databaseRecords, type HistorySource, type RecordAnswer, type RecordSources, type StationRecords } from './records';
export { RETENTION_EVERY_MS, StationHistory, type StationHistoryOptions } from './station-history';
