import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a small JSON file in one step: a crash or a power cut mid-write leaves the old file or
 * the new one, never half of each. The station PC is often switched off at the wall, and a torn
 * settings or token file would be refused at the next start. Synchronous, because the files are
 * small and callers need to know it was saved before they act on it.
 *
 * @param mode Exactly these permissions (the umask may have narrowed them), for secrets.
 */
export function replaceJsonFile(file: string, value: unknown, mode?: number): void {
  const folder = dirname(file);
  const temp = join(folder, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    mkdirSync(folder, { recursive: true });
    fd = openSync(temp, 'wx', mode ?? 0o666);
    if (mode !== undefined) fchmodSync(fd, mode);
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
