/**
 * Jobs against the simulated station, on a fake clock: accuracy against the simulator's ground
 * truth, and every safety rule with a test of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/station';
import type { MemoryJournal } from './memory-journal';
import { accepted, startSimStation, type SimStation } from './testing';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});

const finished = (id: number) => () => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(station.job(id)?.state ?? '');
const audit = () => (station.journal as MemoryJournal).doses;
const alerts = (code: string): Alert[] => station.core.state().alerts.filter((alert) => alert.code === code);

describe('dosing', () => {
  it('delivers a dose within 1% of the target, by the ground truth, and writes the audit', async () => {
    station = await startSimStation();
    const before = station.sim.snapshot().dosedMl.nut_a ?? 0;
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 12 }, 'desktop'));
    await station.until(finished(id), 20_000, 'the dose');
    expect(station.job(id)).toMatchObject({ state: 'succeeded', progress: 1 });
    const truth = (station.sim.snapshot().dosedMl.nut_a ?? 0) - before;
    expect(Math.abs(truth - 12) / 12).toBeLessThanOrEqual(0.01);
    expect(audit()).toEqual([expect.objectContaining({ pumpId: 'nut_a', requestedMl: 12, jobId: id, requestedBy: 'desktop', outcome: 'complete' })]);
    expect(Math.abs(audit()[0]!.deliveredMl - 12)).toBeLessThanOrEqual(0.12);
  });

  it('refuses a dose over the per-dose cap up front, naming the cap', async () => {
    station = await startSimStation();
    const answer = station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 80 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/exceeds the 50 mL per-dose cap for Nutrient A/) } });
    expect(station.sim.snapshot().pumps.nut_a).toBe(false);
  });

  it('refuses a dose that would pass the daily cap, counting what the audit says was delivered', async () => {
    station = await startSimStation({ safety: { pump: { maxMlPerDose: 50, maxMlPerDay: 30 } } });
    const first = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 20 }, 'desktop'));
    await station.until(finished(first), 30_000, 'the first dose');
    const answer = station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 15 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/30 mL daily cap \(10 mL left\)/) } });
    // Another pump has its own total.
    expect(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 15 }, 'desktop').ok).toBe(true);
  });

  it('pauses a dose with the pump off, and delivers exactly the rest on resume', async () => {
    station = await startSimStation();
    const before = station.sim.snapshot().dosedMl.ph_down ?? 0;
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'ph_down', ml: 24 }, 'desktop'));
    await station.advance(8_000);
    expect(station.core.jobs.pause(id).ok).toBe(true);
    await station.advance(2_000);
    expect(station.sim.snapshot().pumps.ph_down).toBe(false);
    expect(station.job(id)?.state).toBe('paused');
    await station.advance(30_000);
    expect(station.sim.snapshot().pumps.ph_down).toBe(false);
    expect(station.core.jobs.resume(id).ok).toBe(true);
    await station.until(finished(id), 30_000, 'the rest of the dose');
    expect(station.job(id)?.state).toBe('succeeded');
    const truth = (station.sim.snapshot().dosedMl.ph_down ?? 0) - before;
    expect(Math.abs(truth - 24) / 24).toBeLessThanOrEqual(0.01);
  });

  it('stops the pump within one round trip on an emergency stop, cancels the job and audits the partial volume', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 30 }, 'Pixel 7'));
    await station.advance(10_000);
    station.core.emergencyStop();
    await station.advance(100);
    expect(station.sim.snapshot().pumps.nut_a).toBe(false);
    await station.until(finished(id), 5_000, 'the job to end');
    expect(station.job(id)).toMatchObject({ state: 'cancelled', detail: expect.stringMatching(/emergency stop/) });
    const entry = audit().at(-1);
    expect(entry).toMatchObject({ pumpId: 'nut_a', requestedMl: 30, requestedBy: 'Pixel 7' });
    const truth = station.sim.snapshot().dosedMl.nut_a ?? 0;
    expect(entry!.deliveredMl).toBeGreaterThan(5);
    expect(entry!.deliveredMl).toBeLessThan(30);
    expect(Math.abs(entry!.deliveredMl - truth)).toBeLessThanOrEqual(0.5);
    // Nothing new starts until the stop is reset.
    expect(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 1 }, 'desktop')).toMatchObject({ ok: false, error: { code: 'ESTOP' } });
  });

  it('fails safe when the link is lost mid-dose: the job fails, an alert says so, the watchdog stops the pump', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 30 }, 'desktop'));
    await station.advance(5_000);
    station.sim.faults.silent(true);
    await station.until(finished(id), 10_000, 'the job to fail');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/link to the controller was lost/) });
    expect(alerts('LINK_LOST')).toHaveLength(1);
    await station.advance(5_000);
    expect(station.sim.snapshot().pumps.nut_a).toBe(false);
    expect(audit().at(-1)).toMatchObject({ pumpId: 'nut_a', outcome: expect.stringMatching(/link/) });
    // Interrupted dosing never resumes by itself, even once the link is back.
    station.sim.faults.silent(false);
    await station.until(() => station.core.state().link.status === 'ready', 20_000, 'the link to return');
    const dosed = station.sim.snapshot().dosedMl.nut_a;
    await station.advance(30_000);
    expect(station.sim.snapshot().dosedMl.nut_a).toBe(dosed);
  });

  it('refuses manual commands on a pump or relay a job holds, saying which job', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 30 }, 'desktop'));
    await station.advance(500);
    await expect(station.core.setRelay('mixer', false)).rejects.toThrow(new RegExp(`relay mixer is busy with job ${id} \\(run mixer for 30 s\\)`));
    await station.until(finished(id), 40_000, 'the mix');
    expect(station.sim.snapshot().relays.mixer).toBe(false);
  });
});
