/**
 * Pump and flow meter calibration through the command door, against the simulated station on a
 * fake clock: what a grower does from a screen, checked against the simulator's ground truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import type { Job } from '../../shared/station';
import { CALIBRATED, growerDoor, startSimStation, type GrowerDoor, type SimStation } from '../../test-support/main/jobs';

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

describe('resetting a calibration', () => {
  it('forgets a measured pump figure, so the one in settings.json applies again, and refuses when there is nothing to reset', async () => {
    await open({ pumps: { ...CALIBRATED, nut_a: { mlPerSecond: 0.9 } } });
    const { job } = (await ok({ type: 'calibration.pump.run', pumpId: 'nut_a', seconds: 20 })) as { job: Job };
    await finish(job, 40_000);
    await ok({ type: 'calibration.pump.save', jobId: job.id, measuredMl: 24, confirm: true });
    expect(station.core.state().calibration.pumps['nut_a']).toMatchObject({ source: 'measured' });

    expect(await ok({ type: 'calibration.pump.reset', pumpId: 'nut_a' })).toEqual({ pumpId: 'nut_a', mlPerSecond: 0.9, previous: expect.closeTo(1.2, 1) });
    expect(station.core.state().calibration.pumps['nut_a']).toEqual({ mlPerSecond: 0.9, source: 'settings', at: null });
    expect(await send({ type: 'calibration.pump.reset', pumpId: 'nut_a' })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: 'Nutrient A has no measured calibration to reset; it already uses the figure in settings.json of 0.9 mL/s' },
    });
  });

  it('puts an uncalibrated flow meter back on the default', async () => {
    await open();
    const { job } = (await ok({ type: 'calibration.flow.run', tankId: 'main', liters: 2 })) as { job: Job };
    await finish(job, 60_000);
    await ok({ type: 'calibration.flow.save', jobId: job.id, measuredLiters: 2, confirm: true });
    expect(await ok({ type: 'calibration.flow.reset', meterId: 'flow1' })).toMatchObject({ meterId: 'flow1', pulsesPerLiter: 450 });
    expect(station.core.state().calibration.flowMeters['flow1']).toMatchObject({ source: 'default', at: null });
  });
});
