/**
 * A Mix job on the simulated station: it runs its time on the controller's clock (a faster
 * simulated station mixes for the same simulated seconds), and a relay the controller switched
 * off before then ends the job as failed, with an alert, not as done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLayout } from '../simulator';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});


/** The default station with the mixer bounded on the controller, as a board's channel table may set it. */
function mixerBoundedTo(maxMs: number) {
  const layout = defaultLayout();
  return { ...layout, relays: layout.relays.map((relay) => (relay.id === 'mixer' ? { ...relay, maxMs } : relay)) };
}

describe('a mix cut short by the controller', () => {
  it('ends as failed with an alert naming the relay and how long it ran', async () => {
    station = await startSimStation({}, undefined, { layout: mixerBoundedTo(20_000) });
    const id = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 60 }, 'desktop'));
    await station.until(station.finished(id), 70_000, 'the mix');
    const job = station.job(id)!;
    expect(job).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^Mixer was switched off by the controller after 20 s of 60 s \(it reached its time bound on the controller\)/) });
    // It failed when the relay went off, not when its own time was up.
    expect(job.endedAt! - job.startedAt!).toBeLessThan(25_000);
    expect(station.core.state().alerts.filter((alert) => alert.code === 'MIX_CUT')).toEqual([expect.objectContaining({ level: 'error', message: expect.stringMatching(/Mixer was switched off/) })]);
    expect(station.sim.snapshot().relays.mixer).toBe(false);
  });

  it('is not mistaken for a pause: a paused and resumed mix still runs its whole time', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 20 }, 'desktop'));
    await station.advance(5_000);
    expect(station.core.jobs.pause(id).ok).toBe(true);
    await station.advance(10_000);
    expect(station.sim.snapshot().relays.mixer).toBe(false);
    expect(station.core.jobs.resume(id).ok).toBe(true);
    await station.until(station.finished(id), 30_000, 'the mix');
    expect(station.job(id)?.state).toBe('succeeded');
    expect(station.core.state().alerts.filter((alert) => alert.code === 'MIX_CUT')).toEqual([]);
  });
});

describe('a faster simulated station', () => {
  it('mixes for the simulated seconds asked, ten times faster, without the controller cutting the relay', async () => {
    station = await startSimStation({}, undefined, { timeScale: 10 });
    const simStart = station.sim.snapshot().simMs;
    const id = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 60 }, 'desktop'));
    await station.until(() => station.sim.snapshot().relays.mixer === true, 1_000, 'the mixer to start');
    await station.until(station.finished(id), 10_000, 'the mix');
    const job = station.job(id)!;
    expect(job.state).toBe('succeeded');
    expect(job.endedAt! - job.startedAt!).toBeGreaterThanOrEqual(6_000);
    expect(job.endedAt! - job.startedAt!).toBeLessThan(7_500);
    expect(station.sim.snapshot().simMs - simStart).toBeGreaterThanOrEqual(60_000);
    expect(station.core.state().alerts.filter((alert) => alert.code === 'MIX_CUT')).toEqual([]);
  });

  it('runs a recipe’s waits on the simulated clock too', async () => {
    station = await startSimStation({}, undefined, { timeScale: 10 });
    station.setup.recipes.put({ id: 'rest', name: 'Rest', steps: [{ kind: 'wait', seconds: 120 }] });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'rest' }, 'desktop'));
    await station.until(station.finished(id), 20_000, 'the recipe');
    const job = station.job(id)!;
    expect(job.state).toBe('succeeded');
    expect(job.endedAt! - job.startedAt!).toBeGreaterThanOrEqual(12_000);
    expect(job.endedAt! - job.startedAt!).toBeLessThan(13_000);
  });
});
