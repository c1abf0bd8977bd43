/**
 * The data folder holds the dose audit, the grower's names and schedules, the station's history
 * and the pairing tokens' hashes. Nobody else on the computer needs to read any of it: the folder
 * is the owner's alone (0700) and so is every file Tendril keeps in it (0600), whatever the umask.
 */
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** Creates `folder` (and its parents) for the owner alone; an existing one is left as it is. */
export function makePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

/**
 * Creates `file` empty and 0600 when it does not exist yet, so whatever opens it next (SQLite
 * among them, which gives its -wal and -shm files the database's mode) starts from a private file.
 */
export function createPrivateFile(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/** Sets `file` to 0600 if it exists; a file that is not there yet is no error. */
export function makeFilePrivate(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * At start: the data folder and each of `files` in it that others may read (or write) is made
 * the owner's alone, with one line each saying what it was and what it is now. A data folder
 * written by an older Tendril, or copied in from a backup, would otherwise stay readable by every
 * user of the computer. Windows keeps its permissions elsewhere, so nothing is checked there.
 */
export function tightenDataFolder(folder: string, files: readonly string[], log: (line: string) => void): void {
  if (process.platform === 'win32') return;
  tighten(folder, PRIVATE_FOLDER_MODE, 'the data folder', log);
  for (const name of files) tighten(join(folder, name), PRIVATE_FILE_MODE, name, log);
}

function tighten(path: string, mode: number, what: string, log: (line: string) => void): void {
  let was: number;
  try {
    was = statSync(path).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    log(`files: could not check who may read ${path} (${(err as Error).message})`);
    return;
  }
  if ((was & ~mode) === 0) return;
  try {
    chmodSync(path, mode);
    log(`files: ${what} (${path}) was ${octal(was)}, open to other users of this computer; it is now ${octal(mode)}`);
  } catch (err) {
    log(`files: ${what} (${path}) is ${octal(was)}, open to other users of this computer, and could not be made ${octal(mode)} (${(err as Error).message}); change it by hand with chmod ${octal(mode)}`);
  }
}
