/**
 * Reading alarm limits kept in the station database: the settings table holds them, and every
 * change writes its audit row (who, when, old, new) in the same transaction.
 */
import type { StationDatabase } from '../db';
import type { AlarmKeeper } from './reading-alarm-desk';

/** The key in the settings table. */
export const READING_ALARMS_KEY = 'readingAlarms';

export function databaseAlarmKeeper(db: StationDatabase): AlarmKeeper {
  return {
    load: () => db.settings.get(READING_ALARMS_KEY),
    save(settings, change) {
      db.changeSetting(READING_ALARMS_KEY, settings, { at: change.at, by: change.by, setting: `${READING_ALARMS_KEY} ${change.what}`, old: change.old, new: change.new });
    },
  };
}
