import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { makePrivateFolder, PRIVATE_FILE_MODE } from './private-files';

/**
 * Replaces a small JSON file in one step: a crash or a power cut mid-write leaves the old file or
 * the new one, never half of each. The station PC is often switched off at the wall, and a torn
 * settings or token file would be refused at the next start. Synchronous, because the files are
 * small and callers need to know it was saved before they act on it.
 *
 * The new file is the owner's alone (0600, whatever the umask) unless `mode` says otherwise: what
 * Tendril keeps is the grower's, not every user's of the computer. A folder it has to create is
 * 0700 for the same reason.
 */
export function replaceJsonFile(file: string, value: unknown, mode: number = PRIVATE_FILE_MODE): void {
  const folder = dirname(file);
  const temp = join(folder, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    makePrivateFolder(folder);
    fd = openSync(temp, 'wx', mode);
    fchmodSync(fd, mode);
    writeFileSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed into place.
    }
    throw err;
  }
}
