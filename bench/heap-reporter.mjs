/**
 * Loaded into Tendril by `npm run bench:endurance` (NODE_OPTIONS=--import): every second it writes
 * the process's memory as V8 counts it to the file named by TENDRIL_HEAP_REPORT, so the bench can
 * read the heap from outside without a flag or an API of Tendril's own. Only the headless entry
 * reports; the simulator started with the same environment does not.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { setInterval } from 'node:timers';

const file = process.env.TENDRIL_HEAP_REPORT;
if (file && process.argv[1]?.endsWith('headless.ts')) {
  const report = () => {
    const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
    writeFileSync(file, JSON.stringify({ at: Date.now(), heapUsed, heapTotal, external, arrayBuffers, rss }));
  };
  setInterval(report, 1000).unref();
}
