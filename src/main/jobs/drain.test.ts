/**
 * Draining and filling to a level against the simulated station, on a fake clock: where the water
 * really ends up (the simulator's true volume), the floor, a drain valve that lets nothing out,
 * and the valve closed on every way a drain can end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, Tank } from '../../shared/station';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});

const ALL_CHANNELS = ['fill', 'drain', 'mixer', 'circulation', 'lights', 'air', 'nut_a', 'nut_b', 'ph_up', 'ph_down', 'flow1', 'ec1', 'ph1', 'temp1', 'level1'];
const withFloor = (floorL: number): { tanks: Tank[] } => ({ tanks: [{ id: 'main', name: 'Main', capacityL: 100, channelIds: ALL_CHANNELS, floorL }] });

const alerts = (code: string): Alert[] => station.core.state().alerts.filter((alert) => alert.code === code);
const volume = () => station.sim.snapshot().tank.volumeL;
const drainOpen = () => station.sim.snapshot().relays.drain;

/** Runs until the job ends, keeping the lowest true volume seen on the way. */
async function runWatchingLowest(id: number, withinMs: number): Promise<number> {
  let lowest = volume();
  await station.until(
    () => {
      lowest = Math.min(lowest, volume());
      return station.finished(id)();
    },
    withinMs,
    `job ${id}`,
  );
  return lowest;
}

describe('drains', () => {
  it('drains to a level and closes the valve there, by the ground truth', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 45 }, 'desktop'));
    await station.until(station.finished(id), 5 * 60_000, 'the drain');
    expect(station.job(id)).toMatchObject({ state: 'succeeded', detail: expect.stringMatching(/^drained 1\d(\.\d)? L, down to 4\d(\.\d)? L$/) });
    expect(drainOpen()).toBe(false);
    expect(Math.abs(volume() - 45)).toBeLessThanOrEqual(0.5);
  });

  it('drains a number of litres', async () => {
    station = await startSimStation();
    const before = volume();
    const id = accepted(station.core.jobs.start({ kind: 'drain', tankId: 'main', liters: 10 }, 'desktop'));
    await station.until(station.finished(id), 5 * 60_000, 'the drain');
    expect(station.job(id)?.state).toBe('succeeded');
    expect(Math.abs(before - volume() - 10)).toBeLessThanOrEqual(0.5);
    expect(drainOpen()).toBe(false);
  });

  it('stops at the floor and never below it, by the ground truth', async () => {
    station = await startSimStation(withFloor(30));
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 30 }, 'desktop'));
    const lowest = await runWatchingLowest(id, 6 * 60_000);
    expect(station.job(id)?.state).toBe('succeeded');
    expect(lowest).toBeGreaterThanOrEqual(29.5);
    expect(volume()).toBeLessThanOrEqual(30.5);
    expect(drainOpen()).toBe(false);
  });

  it('refuses a drain below the floor up front, naming the floor and what may go', async () => {
    station = await startSimStation();
    // 100 L tank, default floor a fifth of it; it holds about 60 L.
    expect(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 10 }, 'desktop')).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/10 L is below tank Main tank's floor of 20 L/) },
    });
    expect(station.core.jobs.start({ kind: 'drain', tankId: 'main', liters: 50 }, 'desktop')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/below its floor of 20 L; it holds about 60\.\d L, so at most 40\.\d L can go/) },
    });
    expect(drainOpen()).toBe(false);
  });

  it('aborts when the level does not fall (a blocked outlet), closes the valve and raises an alert', async () => {
    station = await startSimStation({ safety: { drain: { noFallMs: 20_000 } } });
    station.sim.faults.blockOutlet(true);
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 40 }, 'desktop'));
    await station.advance(5_000);
    expect(drainOpen()).toBe(true);
    await station.until(station.finished(id), 60_000, 'the drain to give up');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/did not fall for 20 s with Drain valve open .* stuck or the outlet blocked/) });
    expect(drainOpen()).toBe(false);
    expect(alerts('DRAIN_NO_FALL')).toHaveLength(1);
  });

  it('closes the valve when the drain is cancelled, and while it is paused', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 30 }, 'desktop'));
    await station.advance(10_000);
    expect(drainOpen()).toBe(true);
    expect(station.core.jobs.pause(id).ok).toBe(true);
    await station.advance(2_000);
    expect(drainOpen()).toBe(false);
    const paused = volume();
    await station.advance(30_000);
    expect(volume()).toBeCloseTo(paused, 1);
    expect(station.core.jobs.resume(id).ok).toBe(true);
    await station.advance(5_000);
    expect(drainOpen()).toBe(true);
    station.core.jobs.cancel(id, 'desktop');
    await station.until(station.finished(id), 5_000, 'the cancel');
    expect(station.job(id)?.state).toBe('cancelled');
    expect(drainOpen()).toBe(false);
  });

  it('closes the valve on an emergency stop', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 30 }, 'desktop'));
    await station.advance(10_000);
    station.core.emergencyStop();
    await station.advance(200);
    expect(drainOpen()).toBe(false);
    await station.until(station.finished(id), 5_000, 'the job to end');
    expect(station.job(id)).toMatchObject({ state: 'cancelled', detail: expect.stringMatching(/emergency stop/) });
  });

  it('fails safe when the link is lost mid-drain: the watchdog closes the valve, and nothing reopens it', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'drain-to', tankId: 'main', toLiters: 25 }, 'desktop'));
    await station.advance(10_000);
    station.sim.faults.silent(true);
    await station.until(station.finished(id), 10_000, 'the job to fail');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/link to the controller was lost/) });
    await station.advance(5_000);
    expect(drainOpen()).toBe(false);
    station.sim.faults.silent(false);
    await station.until(() => station.core.state().link.status === 'ready', 20_000, 'the link to return');
    const after = volume();
    await station.advance(30_000);
    expect(drainOpen()).toBe(false);
    expect(volume()).toBeGreaterThan(after - 0.1);
  });

  it('bounds the open valve on the device too, by the time the drain should take', async () => {
    // Host checks set far out, so only the device's own bound can close the valve.
    station = await startSimStation({ safety: { drain: { noFallMs: 600_000, timeoutMs: 900_000 } } });
    station.sim.faults.blockOutlet(true);
    const id = accepted(station.core.jobs.start({ kind: 'drain', tankId: 'main', liters: 5 }, 'desktop'));
    const opened = Date.now();
    await station.until(() => !drainOpen() && Date.now() - opened > 1_000, 5 * 60_000, 'the device to close the valve');
    // 5 L at 10 L/min is 30 s; the bound is half as long again plus 30 s, far short of the 15 min the valve allows.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(74_000);
    expect(Date.now() - opened).toBeLessThanOrEqual(77_000);
    expect(station.core.state().relays.drain).toMatchObject({ on: false, why: 'bound' });
    await station.until(station.finished(id), 10_000, 'the job to fail');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/controller closed Drain valve .* time bound/) });
  });
});

describe('manual and mixed use of the drain valve', () => {
  it('refuses to open the drain valve by hand, pointing to the Drain job, and still closes it', async () => {
    station = await startSimStation();
    await expect(station.core.setRelay('drain', true)).rejects.toThrow(/Drain valve drains tank Main tank; it opens only in a Drain job, .* floor of 20 L\. Start a drain in Jobs instead/);
    expect(drainOpen()).toBe(false);
    await expect(station.core.setRelay('drain', false)).resolves.toBeUndefined();
  });

  it('refuses a mix on the drain valve', async () => {
    station = await startSimStation();
    expect(station.core.jobs.start({ kind: 'mix', relayId: 'drain', seconds: 5.5 }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/opens only in a Drain job/) } });
    expect(drainOpen()).toBe(false);
  });
});

describe('fills to a level', () => {
  it('fills up to the level asked for, within 1% by the ground truth', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'fill-to', tankId: 'main', toLiters: 75 }, 'desktop'));
    await station.until(station.finished(id), 5 * 60_000, 'the fill');
    expect(station.job(id)).toMatchObject({ state: 'succeeded', detail: expect.stringMatching(/^filled 1\d(\.\d)? L, to about 7\d(\.\d)? L$/) });
    expect(Math.abs(volume() - 75) / 75).toBeLessThanOrEqual(0.01);
    expect(station.sim.snapshot().relays.fill).toBe(false);
  });

  it('closes the fill valve when the level does not rise with the meter: a stuck level sensor cannot overfill the tank', async () => {
    station = await startSimStation();
    const before = volume();
    station.sim.faults.stickSensor('level1');
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 30 }, 'desktop'));
    await station.until(station.finished(id), 5 * 60_000, 'the fill');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/counted \d+(\.\d)? L into tank Main tank, but Tank level rose only 0 L; the level sensor may be stuck/) });
    expect(alerts('FILL_LEVEL_STILL')).toHaveLength(1);
    expect(station.sim.snapshot().relays.fill).toBe(false);
    // Judged after 5 L (5% of the 100 L tank), within a reading or two of it.
    expect(volume() - before).toBeGreaterThanOrEqual(5);
    expect(volume() - before).toBeLessThan(6);
  });

  it('does not start a fill while the level sensor reads what no tank can hold', async () => {
    station = await startSimStation();
    const before = volume();
    station.sim.faults.stickSensor('level1', -20);
    await station.until(() => station.core.state().sensorHealth['level1']?.status === 'suspect', 30_000, 'the level sensor to be suspect');
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 10 }, 'desktop'));
    await station.until(station.finished(id), 60_000, 'the fill');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^Tank level is suspect \(.+\), so tank Main tank's room cannot be known and no fill is measured against it/) });
    expect(alerts('FILL_NO_LEVEL')).toHaveLength(1);
    expect(volume()).toBeCloseTo(before, 1);
  });

  it('refuses a level above capacity less headroom', async () => {
    station = await startSimStation();
    expect(station.core.jobs.start({ kind: 'fill-to', tankId: 'main', toLiters: 97 }, 'desktop')).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/97 L is past tank Main tank's limit of 95 L \(capacity 100 L less headroom\)/) },
    });
  });
});

describe('water change', () => {
  it('drains to the floor, then fills to the level, as one recipe step', async () => {
    station = await startSimStation(withFloor(25));
    station.setup.recipes.put({ id: 'change', name: 'Water change', steps: [{ kind: 'water-change', tankId: 'main', toLiters: 70 }] });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'change' }, 'desktop'));
    const lowest = await runWatchingLowest(id, 15 * 60_000);
    expect(station.job(id)).toMatchObject({ state: 'succeeded', detail: 'Water change: all 1 steps done' });
    expect(lowest).toBeGreaterThanOrEqual(24.5);
    expect(lowest).toBeLessThanOrEqual(25.5);
    expect(Math.abs(volume() - 70) / 70).toBeLessThanOrEqual(0.01);
    expect(drainOpen()).toBe(false);
    expect(station.sim.snapshot().relays.fill).toBe(false);
  });

  it('logs its fill when the water started, after the drain, with the litres it let in', async () => {
    station = await startSimStation(withFloor(25));
    station.setup.recipes.put({ id: 'change', name: 'Water change', steps: [{ kind: 'water-change', tankId: 'main', toLiters: 70 }] });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'change' }, 'desktop'));
    let drainClosedAt: number | null = null;
    let fillOpenedAt: number | null = null;
    await station.until(
      () => {
        const { relays } = station.sim.snapshot();
        if (drainClosedAt === null && fillOpenedAt === null && !relays.drain && volume() < 30) drainClosedAt = Date.now();
        if (fillOpenedAt === null && relays.fill) fillOpenedAt = Date.now();
        return station.finished(id)();
      },
      15 * 60_000,
      'the water change',
    );
    const fills = station.journal.fills ?? [];
    expect(fills).toHaveLength(1);
    const [fill] = fills;
    expect(fill).toMatchObject({ tankId: 'main', jobId: id });
    // Minutes after the recipe started: logged when the valve was asked to open, before the simulator showed it open.
    expect(fill!.at).toBeGreaterThanOrEqual(drainClosedAt!);
    expect(fill!.at).toBeLessThanOrEqual(fillOpenedAt!);
    expect(fill!.at - station.job(id)!.startedAt!).toBeGreaterThan(60_000);
    expect(Math.abs(fill!.filledL! - 45)).toBeLessThanOrEqual(1);
  });

  it('refuses a water change whose fill level is past the headroom, naming the step', async () => {
    station = await startSimStation();
    station.setup.recipes.put({ id: 'change', name: 'Water change', steps: [{ kind: 'water-change', tankId: 'main', toLiters: 99 }] });
    expect(station.core.jobs.start({ kind: 'recipe', recipeId: 'change' }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/recipe Water change, step 1: 99 L is past/) } });
  });
});
