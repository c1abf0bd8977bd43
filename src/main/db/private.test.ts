/**
 * The database holds the dose audit, the grower's names and the station's history: a real SQLite
 * file, its -wal and -shm, checked with stat under the loosest umask.
 */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { DATABASE_FILE, openStationDatabase } from '.';

const scratch = useScratchFolders();
const modeOf = (path: string): number => statSync(path).mode & 0o777;

let umask: number;
beforeEach(() => {
  umask = process.umask(0o000);
});
afterEach(() => {
  process.umask(umask);
});

describe('the database file', () => {
  it('is created 0600 in a 0700 folder, and so are its -wal and -shm', () => {
    const folder = join(scratch(), 'Tendril');
    const file = join(folder, DATABASE_FILE);
    const db = openStationDatabase(file);
    try {
      db.settings.set('units', 'metric');
      expect(modeOf(folder)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(path), path).toBe(true);
        expect(modeOf(path), path).toBe(0o600);
      }
    } finally {
      db.close();
    }
  });

  it('is made 0600 when opened, with its write-ahead files, if it was looser', () => {
    const file = join(scratch(), DATABASE_FILE);
    openStationDatabase(file).close();
    chmodSync(file, 0o644);
    const db = openStationDatabase(file);
    try {
      db.settings.set('units', 'us');
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(path), path).toBe(0o600);
      expect(db.settings.get('units')).toBe('us');
    } finally {
      db.close();
    }
  });
});
