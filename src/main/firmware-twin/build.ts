/**
 * Where the firmware twin's two built files live, and whether they are there and current: the
 * harness binary and the firmware ELF it runs, both made by `npm run firmware:build`.
 */
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const SKETCH = join(ROOT, 'firmware/tendril');
const EMULATOR = join(ROOT, 'firmware/emulator');

export const DEFAULT_HARNESS = join(ROOT, 'firmware/build/tendril-twin');
export const DEFAULT_ELF = join(ROOT, 'firmware/build/tendril.elf');
export const FIRMWARE_BUILD_SCRIPT = join(ROOT, 'scripts/firmware-build.mjs');
export const FIRMWARE_PACKAGES = 'gcc-avr avr-libc arduino-core-avr libsimavr-dev libsimavrparts1 libelf-dev';
export const NOT_BUILT = `the firmware twin is not built: run npm run firmware:build (needs ${FIRMWARE_PACKAGES})`;

export interface TwinFiles {
  harnessPath: string;
  elfPath: string;
}

const DEFAULT_FILES: TwinFiles = { harnessPath: DEFAULT_HARNESS, elfPath: DEFAULT_ELF };

/** null when both files are in place, or what is wrong, starting with NOT_BUILT. */
export function twinBuildProblem(files: TwinFiles = DEFAULT_FILES): string | null {
  const missing: string[] = [];
  if (!canAccess(files.harnessPath, constants.X_OK)) missing.push(`${files.harnessPath} (the harness)`);
  if (!canAccess(files.elfPath, constants.R_OK)) missing.push(`${files.elfPath} (the firmware)`);
  return missing.length ? `${NOT_BUILT}; missing ${missing.join(' and ')}` : null;
}

/**
 * null when the default build is newer than its sources, or which file is older. The same
 * rule the build script rebuilds by, so a test never runs yesterday's firmware unawares.
 */
export function twinBuildStale(): string | null {
  const newest = (dir: string, pattern: RegExp) =>
    existsSync(dir) ? Math.max(0, ...readdirSync(dir).filter((f) => pattern.test(f)).map((f) => statSync(join(dir, f)).mtimeMs)) : 0;
  const script = statSync(FIRMWARE_BUILD_SCRIPT).mtimeMs;
  const sketch = Math.max(script, newest(SKETCH, /\.(c|cpp|h|ino)$/));
  const harness = Math.max(script, newest(EMULATOR, /\.(c|h)$/), statSync(join(SKETCH, 'config.h')).mtimeMs);
  const older = [
    statSync(DEFAULT_ELF).mtimeMs < sketch ? 'the firmware' : null,
    statSync(DEFAULT_HARNESS).mtimeMs < harness ? 'the harness' : null,
  ].filter((what) => what !== null);
  return older.length ? `the firmware twin is older than its sources (${older.join(' and ')}): run npm run firmware:build` : null;
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
