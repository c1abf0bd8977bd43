/**
 * Recipes, schedules and calibrations through the command door, against the simulated station on
 * a fake clock: what a grower does from a screen, checked against the simulator's ground truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import type { Job } from '../../shared/station';
import { CALIBRATED, growerDoor, startSimStation, type GrowerDoor, type SimStation } from '../jobs/testing';

let station: SimStation;
let door: GrowerDoor;

afterEach(async () => {
  await station?.close();
});

async function open(settings: Record<string, unknown> = {}): Promise<void> {
  station = await startSimStation(settings);
  door = growerDoor(station.core);
}

const send = (command: Record<string, unknown>): Promise<CommandAck> => door.send(command);
const ok = (command: Record<string, unknown>): Promise<Record<string, unknown>> => door.ok(command);

async function finish(job: Job, withinMs: number): Promise<Job> {
  await station.until(() => station.job(job.id)?.endedAt != null, withinMs, `job ${job.id}`);
  return station.job(job.id)!;
}

describe('pump calibration', () => {
  it('runs the pump for N seconds, turns the measured millilitres into mL/s, and doses accurately with it', async () => {
    // Set up as if the pump were slower than it is: doses would come out 33% over.
    await open({ pumps: { ...CALIBRATED, nut_a: { mlPerSecond: 0.9 } } });
    expect(station.core.state().calibration.pumps['nut_a']).toEqual({ mlPerSecond: 0.9, source: 'settings', at: null });
    const before = station.sim.snapshot().dosedMl.nut_a ?? 0;
    const { job } = (await ok({ type: 'calibration.pump.run', pumpId: 'nut_a', seconds: 20 })) as { job: Job };
    const run = await finish(job, 40_000);
    expect(run).toMatchObject({ state: 'succeeded', kind: 'calibrate-pump', measured: { pumpId: 'nut_a', seconds: expect.closeTo(20, 1) } });
    const collected = (station.sim.snapshot().dosedMl.nut_a ?? 0) - before;

    const saved = await ok({ type: 'calibration.pump.save', jobId: job.id, measuredMl: Math.round(collected * 10) / 10 });
    expect(saved).toMatchObject({ pumpId: 'nut_a', previous: 0.9, mlPerSecond: expect.closeTo(1.2, 1) });
    expect(station.core.state().calibration.pumps['nut_a']).toMatchObject({ source: 'measured', mlPerSecond: saved['mlPerSecond'], at: expect.any(Number) });

    const start = station.sim.snapshot().dosedMl.nut_a ?? 0;
    const dose = (await ok({ type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 12 } })) as { job: Job };
    await finish(dose.job, 30_000);
    const truth = (station.sim.snapshot().dosedMl.nut_a ?? 0) - start;
    expect(Math.abs(truth - 12) / 12).toBeLessThanOrEqual(0.01);
  });

  it('refuses a figure far from the one in use unless it is confirmed, and a run that was cut short', async () => {
    await open();
    const { job } = (await ok({ type: 'calibration.pump.run', pumpId: 'nut_b', seconds: 10 })) as { job: Job };
    await finish(job, 30_000);
    // 1.2 mL/s really; a slip of a digit reads 1.2 mL for 12.
    const slip = await send({ type: 'calibration.pump.save', jobId: job.id, measuredMl: 1.2 });
    expect(slip).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/10\.0× the settings calibration of pump nut_b.*confirm: true/) } });
    expect(station.core.state().calibration.pumps['nut_b']?.source).toBe('settings');
    expect(await ok({ type: 'calibration.pump.save', jobId: job.id, measuredMl: 1.2, confirm: true })).toMatchObject({ mlPerSecond: 0.12 });

    const cut = (await ok({ type: 'calibration.pump.run', pumpId: 'ph_up', seconds: 30 })) as { job: Job };
    await station.advance(3_000);
    await ok({ type: 'estop' });
    await finish(cut.job, 5_000);
    expect(await send({ type: 'calibration.pump.save', jobId: cut.job.id, measuredMl: 3 })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/did not finish.*run it again/) },
    });
    expect(await send({ type: 'calibration.pump.save', jobId: 999, measuredMl: 3 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('asks for confirmation of a first figure far from the built-in one, too', async () => {
    await open({ pumps: {} });
    expect(station.core.state().calibration.pumps['nut_a']?.source).toBe('default');
    const { job } = (await ok({ type: 'calibration.pump.run', pumpId: 'nut_a', seconds: 10 })) as { job: Job };
    await finish(job, 30_000);
    // 12 mL read as 5000: saved, every dose would be a fraction of what was asked, and the next
    // calibration run would be refused by the dose cap.
    const slip = await send({ type: 'calibration.pump.save', jobId: job.id, measuredMl: 5000 });
    expect(slip).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/× the usual figure of pump nut_a \(1\.25\).*confirm: true/) } });
    expect(station.core.state().calibration.pumps['nut_a']?.source).toBe('default');
  });

  it('keeps calibration runs within the dose caps', async () => {
    await open({ safety: { pump: { maxMlPerDose: 20 } } });
    expect(await send({ type: 'calibration.pump.run', pumpId: 'nut_a', seconds: 60 })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/60 s at the present 1\.2 mL\/s is about 72 mL: .*20 mL per-dose cap/) },
    });
  });
});

describe('flow meter calibration', () => {
  it('counts the pulses of a fill, turns the measured litres into pulses per litre, and fills accurately with it', async () => {
    await open({ flowMeters: { flow1: { pulsesPerLiter: 600 } } });
    const before = station.sim.snapshot().tank.volumeL;
    const { job } = (await ok({ type: 'calibration.flow.run', tankId: 'main', liters: 10 })) as { job: Job };
    const run = await finish(job, 180_000);
    expect(run).toMatchObject({ state: 'succeeded', measured: { meterId: 'flow1', pulses: expect.closeTo(6000, -1) } });
    const wentIn = station.sim.snapshot().tank.volumeL - before;
    const saved = await ok({ type: 'calibration.flow.save', jobId: job.id, measuredLiters: Math.round(wentIn * 100) / 100 });
    expect(saved).toMatchObject({ meterId: 'flow1', previous: 600, pulsesPerLiter: expect.closeTo(450, -1) });

    const start = station.sim.snapshot().tank.volumeL;
    const fill = (await ok({ type: 'job.start', job: { kind: 'fill', tankId: 'main', liters: 8 } })) as { job: Job };
    await finish(fill.job, 180_000);
    const truth = station.sim.snapshot().tank.volumeL - start;
    expect(Math.abs(truth - 8) / 8).toBeLessThanOrEqual(0.01);
  });
});

describe('recipes', () => {
  const feed = { id: 'feed', name: 'Feed', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 2 } }] };

  it('creates, updates and deletes recipes, refusing duplicates, unknown ids and recipes a schedule runs', async () => {
    await open();
    await ok({ type: 'recipe.create', recipe: feed });
    expect(station.core.state().recipes).toEqual([feed]);
    expect(await send({ type: 'recipe.create', recipe: feed })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/already a recipe "feed"; send recipe.update/) } });
    expect(await send({ type: 'recipe.update', recipe: { ...feed, id: 'other' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await ok({ type: 'recipe.update', recipe: { ...feed, name: 'Feed A' } });
    expect(station.core.state().recipes[0]?.name).toBe('Feed A');

    await ok({
      type: 'schedule.create',
      schedule: { id: 'nightly', name: 'Nightly feed', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '0 2 * * *', action: { kind: 'recipe', recipeId: 'feed' } } },
    });
    expect(await send({ type: 'recipe.delete', recipeId: 'feed' })).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/schedule "Nightly feed" runs recipe "feed"/) } });
    await ok({ type: 'schedule.delete', scheduleId: 'nightly' });
    await ok({ type: 'recipe.delete', recipeId: 'feed' });
    expect(station.core.state().recipes).toEqual([]);
  });

  it('refuses an invalid recipe with the field and the reason', async () => {
    await open();
    expect(await send({ type: 'recipe.create', recipe: { ...feed, steps: [] } })).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'recipe.steps: a recipe needs at least one step' } });
  });
});

describe('schedules', () => {
  const minuteOf = (at: number): string => new Date(at).toISOString().slice(11, 16);

  it('queues the scheduled job at each run, says who asked, and stops when disabled', async () => {
    await open();
    const created = await ok({
      type: 'schedule.create',
      schedule: { id: 'air', name: 'Air', enabled: true, timezone: 'UTC', trigger: { kind: 'cron', expression: '* * * * *', action: { kind: 'mix', relayId: 'air', seconds: 5 } } },
    });
    expect(created['nextRunAt']).toBe(Math.ceil((Date.now() + 1) / 60_000) * 60_000);
    await station.advance((created['nextRunAt'] as number) - Date.now() + 1_000);
    const scheduled = station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air');
    expect(scheduled).toHaveLength(1);
    expect(station.core.state().schedules[0]).toMatchObject({ lastRunAt: scheduled[0]!.createdAt - (scheduled[0]!.createdAt % 60_000) });

    await ok({ type: 'schedule.enable', scheduleId: 'air', enabled: false });
    expect(station.core.state().schedules[0]).toMatchObject({ schedule: { enabled: false }, nextRunAt: null });
    await station.advance(180_000);
    expect(station.core.state().jobs.filter((job) => job.requestedBy === 'schedule Air')).toHaveLength(1);
  });

  it('switches a light timer on and off, and puts it back after the controller restarts', async () => {
    await open();
    const on = minuteOf(Date.now() + 120_000);
    const off = minuteOf(Date.now() + 240_000);
    await ok({ type: 'schedule.create', schedule: { id: 'lights', name: 'Lights', enabled: true, timezone: 'UTC', trigger: { kind: 'light', relayId: 'lights', on, off } } });
    expect(station.sim.snapshot().relays.lights).toBe(false);
    await station.advance(180_000);
    expect(station.sim.snapshot().relays.lights).toBe(true);

    // The controller reboots: every output is off until Tendril sets the lights again.
    station.sim.faults.reset();
    expect(station.sim.snapshot().relays.lights).toBe(false);
    await station.until(() => station.sim.snapshot().relays.lights === true, 20_000, 'the lights to be restored');

    await station.advance(60_000);
    expect(station.sim.snapshot().relays.lights).toBe(false);
  });

  it('previews the next runs of a draft in its time zone, and refuses a schedule for an unknown recipe', async () => {
    await open();
    const draft = { id: 'd', name: 'Draft', enabled: true, timezone: 'Europe/Berlin', trigger: { kind: 'cron', expression: '30 6 * * *', action: { kind: 'mix', relayId: 'mixer', seconds: 5 } } };
    const { runs } = (await ok({ type: 'schedule.preview', schedule: draft, count: 3 })) as { runs: Array<{ at: number }> };
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(run.at)).toBe('06:30');
    }
    expect(await send({ type: 'schedule.create', schedule: { ...draft, trigger: { ...draft.trigger, action: { kind: 'recipe', recipeId: 'nope' } } } })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/no recipe "nope"/) },
    });
    expect(await send({ type: 'schedule.create', schedule: { ...draft, trigger: { ...draft.trigger, expression: '61 6 * * *' } } })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });
});
