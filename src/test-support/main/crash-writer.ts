/**
 * Test harness: writes jobs, dose audit entries and sensor samples to a station database as fast
 * as it can until it is killed, printing a line after each round has committed. The crash test
 * kills it with SIGKILL mid-stream and checks that the file kept every round it was told about.
 *
 * Run: node --import tsx src/main/db/testing/crash-writer.ts <database file>
 */
import { openStationDatabase } from '../../main/db';

/** Enough to outlast any test; the writer then idles until it is killed. */
const ROUNDS = 20_000;
const CHANNELS = ['ec1', 'ph1', 'temp1', 'level1'];

async function main(file: string): Promise<void> {
  const start = Date.now();
  const station = openStationDatabase(file, { now: () => start, sensorHistory: { flushIntervalMs: 0 } });
  const mixing = station.jobs.create({ spec: { kind: 'mix', relayId: 'mixer', seconds: 3600 }, tankId: 'veg', requestedBy: 'desktop', createdAt: start });
  station.jobs.update(mixing, { state: 'running', startedAt: start });
  process.stdout.write(`running ${mixing} since ${start}\n`);
  for (let round = 1; round <= ROUNDS; round++) {
    const at = start + round * 1000;
    const job = station.jobs.create({ spec: { kind: 'dose', pumpId: 'nut_a', ml: 1 }, tankId: 'veg', requestedBy: 'desktop', createdAt: at });
    station.jobs.update(job, { state: 'running', startedAt: at });
    station.doseAudit.add({ at, pumpId: 'nut_a', requestedMl: 1, deliveredMl: 1, jobId: job, requestedBy: 'desktop', outcome: 'complete' });
    station.jobs.update(job, { state: 'succeeded', endedAt: at, progress: 1 });
    for (const channel of CHANNELS) station.sensorHistory.record(channel, at, round);
    station.sensorHistory.flush();
    // Printed only after the round committed, so every line the test reads is a promise kept.
    process.stdout.write(`committed ${round} job ${job}\n`);
    // Let stdout drain where pipes are asynchronous.
    if (round % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  setInterval(() => {}, 60_000);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: crash-writer.ts <database file>');
  process.exit(2);
}
void main(file);
