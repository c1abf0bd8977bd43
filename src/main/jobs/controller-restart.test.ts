/**
 * A controller that restarts in the middle of a job, its restart message garbled on the wire:
 * the job must end there, failed and said so, and its next step must never reach the outputs.
 * The simulator is the ground truth; the clock is fake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/station';
import type { MemoryJournal } from './memory-journal';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});

const audit = () => (station.journal as MemoryJournal).doses;
const restartAlerts = (): Alert[] => station.core.state().alerts.filter((alert) => alert.code === 'CONTROLLER_RESTARTED');

/** Dose, wait, then the step a restarted controller must never carry out: the mixer on, nutrient B. */
async function startRecipe(): Promise<number> {
  station.setup.recipes.put({
    id: 'feed',
    name: 'Feed',
    steps: [
      { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 3 } },
      { kind: 'wait', seconds: 30 },
      { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 20 } },
      { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 3 } },
    ],
  });
  const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'feed' }, 'desktop'));
  await station.until(() => audit().some((dose) => dose.jobId === id), 60_000, 'the first dose');
  return id;
}

/** Resets the controller with its `EVT boot` line corrupted, so the host cannot read it. */
function resetUnheard(): void {
  station.sim.faults.corruptNext(1);
  station.sim.faults.reset('reset');
}

/** Advances until `done`, noting whether the mixer or nutrient B ever came on at the device. */
async function watchOutputs(done: () => boolean, withinMs: number, what: string): Promise<{ mixer: boolean; nutB: boolean }> {
  const seen = { mixer: false, nutB: false };
  await station.until(
    () => {
      const snapshot = station.sim.snapshot();
      seen.mixer ||= snapshot.relays.mixer === true;
      seen.nutB ||= snapshot.pumps.nut_b === true;
      return done();
    },
    withinMs,
    what,
  );
  return seen;
}

describe('a controller restart the host did not hear', () => {
  it('refuses the job\'s next step for want of a session: the job fails with the restart alert and the mixer stays off', async () => {
    station = await startSimStation();
    const id = await startRecipe();
    await station.until(() => /: wait$/.test(station.job(id)?.detail ?? ''), 10_000, 'the wait');
    const waitFrom = Date.now();
    // Moments before the wait ends, so the next step reaches the controller before its first
    // heartbeat could give the restart away.
    await station.until(() => Date.now() >= waitFrom + 29_600, 60_000, 'the end of the wait');
    expect(station.job(id)?.state).toBe('running');
    resetUnheard();
    const seen = await watchOutputs(station.finished(id), 5_000, 'the job to fail');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/lost the session/) });
    expect(restartAlerts()).toEqual([expect.objectContaining({ message: expect.stringMatching(/message saying so was lost.*nothing resumes by itself/) })]);

    // Nothing carries on once the link is back, however long the station is left alone.
    await station.until(() => station.core.state().link.status === 'ready', 5_000, 'the link to return');
    const after = await watchFor(60_000);
    expect({ ...seen, ...after }).toEqual({ mixer: false, nutB: false });
    expect(station.sim.snapshot().dosedMl.nut_b ?? 0).toBe(0);
  });

  it('reads the restart from a heartbeat whose uptime went back, when no command gives it away first', async () => {
    station = await startSimStation();
    const id = await startRecipe();
    await station.advance(10_000);
    expect(station.job(id)?.state).toBe('running');
    resetUnheard();
    const seen = await watchOutputs(station.finished(id), 1_500, 'the job to fail');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/restarted \(its uptime went back\)/) });
    expect(restartAlerts()).toEqual([expect.objectContaining({ message: expect.stringMatching(/uptime started again from zero/) })]);
    const after = await watchFor(60_000);
    expect({ ...seen, ...after }).toEqual({ mixer: false, nutB: false });
    expect(station.sim.snapshot().dosedMl.nut_b ?? 0).toBe(0);
    expect(audit().filter((dose) => dose.jobId === id).map((dose) => dose.pumpId)).toEqual(['nut_a']);
  });
});

/** Watches the outputs for `ms` of simulated time. */
async function watchFor(ms: number): Promise<{ mixer: boolean; nutB: boolean }> {
  const until = Date.now() + ms;
  return watchOutputs(() => Date.now() >= until, ms + 1_000, 'the watch');
}
