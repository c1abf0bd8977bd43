/**
 * Test harness: a fresh folder per test for real database files, removed afterwards, so tests
 * never share a file and never leave one behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Call at the top of a test file; each call of the returned function gives a new folder. */
export function useScratchFolders(): () => string {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(join(tmpdir(), 'tendril-db-'));
    folders.push(folder);
    return folder;
  };
}
