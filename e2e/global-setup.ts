import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Both suites run the built app, so build it first when the sources are newer. */
export default function globalSetup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
}
