/**
 * What Tendril keeps is the grower's alone: real files in a scratch folder, checked with stat,
 * under the loosest umask, so the modes come from the code and not from the shell that ran it.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { replaceJsonFile } from './json-file';
import { createPrivateFile, makePrivateFolder, tightenDataFolder } from './private-files';

const scratch = useScratchFolders();
const modeOf = (path: string): number => statSync(path).mode & 0o777;

let umask: number;
beforeEach(() => {
  umask = process.umask(0o000);
});
afterEach(() => {
  process.umask(umask);
});

describe('private files', () => {
  it('replaces a JSON file with one only its owner can read, in a folder only its owner can open', () => {
    const folder = join(scratch(), 'Tendril');
    const file = join(folder, 'settings.json');
    replaceJsonFile(file, { lan: { port: 4545 } });
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    // A file that was looser before is replaced by a private one.
    chmodSync(file, 0o666);
    replaceJsonFile(file, { lan: { port: 8080 } });
    expect(modeOf(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ lan: { port: 8080 } });
  });

  it('creates an empty file 0600 and leaves an existing one and its contents alone', () => {
    const file = join(scratch(), 'tendril.db');
    createPrivateFile(file);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('');
    writeFileSync(file, 'kept');
    createPrivateFile(file);
    expect(readFileSync(file, 'utf8')).toBe('kept');
  });

  it('creates a folder 0700 and leaves an existing one as it is', () => {
    const folder = join(scratch(), 'a', 'b');
    makePrivateFolder(folder);
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(join(folder, '..'))).toBe(0o700);
    chmodSync(folder, 0o750);
    makePrivateFolder(folder);
    expect(modeOf(folder)).toBe(0o750);
  });

  it('makes the folder and each listed file private at start, one line each saying what it was, and skips what is missing or private already', () => {
    const folder = scratch();
    chmodSync(folder, 0o775);
    for (const [name, mode] of [
      ['tendril.db', 0o644],
      ['tendril.db-wal', 0o664],
      ['tokens.json', 0o600],
      ['settings.json', 0o620],
      ['photo.jpg', 0o644],
    ] as const) {
      writeFileSync(join(folder, name), '');
      chmodSync(join(folder, name), mode);
    }
    const lines: string[] = [];
    tightenDataFolder(folder, ['tendril.db', 'tendril.db-wal', 'tendril.db-shm', 'tokens.json', 'settings.json'], (line) => lines.push(line));
    expect(lines).toEqual([
      `files: the data folder (${folder}) was 0775, open to other users of this computer; it is now 0700`,
      `files: tendril.db (${join(folder, 'tendril.db')}) was 0644, open to other users of this computer; it is now 0600`,
      `files: tendril.db-wal (${join(folder, 'tendril.db-wal')}) was 0664, open to other users of this computer; it is now 0600`,
      `files: settings.json (${join(folder, 'settings.json')}) was 0620, open to other users of this computer; it is now 0600`,
    ]);
    for (const name of ['tendril.db', 'tendril.db-wal', 'tokens.json', 'settings.json']) expect(modeOf(join(folder, name)), name).toBe(0o600);
    expect(existsSync(join(folder, 'tendril.db-shm'))).toBe(false);
    expect(modeOf(join(folder, 'photo.jpg'))).toBe(0o644);

    // A second start has nothing to say.
    lines.length = 0;
    tightenDataFolder(folder, ['tendril.db', 'settings.json'], (line) => lines.push(line));
    expect(lines).toEqual([]);
  });

  it('says nothing about a data folder that does not exist yet', () => {
    const lines: string[] = [];
    tightenDataFolder(join(scratch(), 'not yet'), ['tendril.db'], (line) => lines.push(line));
    expect(lines).toEqual([]);
  });
});
