/**
 * For the end-to-end suite only (TENDRIL_TEST_HOOKS=1): Playwright's `electronApp.evaluate` runs
 * code in this process, and this is how that code finds the station and the tray, which live in
 * closures. It grants nothing new: evaluate works through the Node inspector, which can already
 * do anything here, and packaged builds have the inspector fuse off. It stays opt-in so that the
 * app's global scope holds nothing a grower's copy does not need.
 */
import { TEST_HOOKS, type TestHooks } from '../desktop/test-hooks';

export function exposeTestHooks(hooks: TestHooks): void {
  if (process.env['TENDRIL_TEST_HOOKS'] !== '1') return;
  Object.assign(globalThis, { [TEST_HOOKS]: hooks });
}
