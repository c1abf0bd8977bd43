/** Whether Debian's redis-server is here for the tests that start their own; if not, says which test is skipped and why. */
import { execFileSync } from 'node:child_process';

export function redisServerFor(what: string): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.log(`skipped: ${what} needs redis-server (apt-get install -y redis-server)`);
    return false;
  }
}
