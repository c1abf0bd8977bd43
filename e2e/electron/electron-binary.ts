import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { path: string; reason: null } | { path: null; reason: string };

/**
 * Finds the Electron binary the way node_modules/electron/index.js does, minus its habit of
 * downloading one when it is missing: that download cannot succeed on these machines and would
 * only hang the run. scripts/electron-e2e.mjs repeats this check in plain JavaScript.
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = join(root, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;

  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const binary = join(override, named || 'electron');
    return existsSync(binary)
      ? { path: binary, reason: null }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH names ${binary}, which does not exist` };
  }
  if (!named) return { path: null, reason: 'node_modules/electron/path.txt is missing: the binary was never downloaded' };
  const binary = join(packageDir, 'dist', named);
  if (!existsSync(binary)) return { path: null, reason: `${binary} does not exist` };
  return { path: binary, reason: null };
}
