/**
 * Jobs against the simulated station, on a fake clock: accuracy against the simulator's ground
 * truth, and every safety rule with a test of its own.
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
const alerts = (code: string): Alert[] => station.core.state().alerts.filter((alert) => alert.code === code);

describe('dosing', () => {
  it('delivers a dose within 1% of the target, by the ground truth, and writes the audit', async () => {
    station = await startSimStation();
    const before = station.sim.snapshot().dosedMl.nut_a ?? 0;
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 12 }, 'desktop'));
    await station.until(station.finished(id), 20_000, 'the dose');
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
    await station.until(station.finished(first), 30_000, 'the first dose');
    const answer = station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 15 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/30 mL daily cap \(10 mL left\)/) } });
    // Another pump has its own total.
    expect(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 15 }, 'desktop').ok).toBe(true);
  });

  it("counts the daily cap over a day of the station's own time when the simulator is sped up", async () => {
    // At 1000× a simulated day passes in 86.4 s of host time, so a month simulated in an hour
    // is held to thirty days of caps, not one.
    station = await startSimStation({ safety: { pump: { maxMlPerDose: 50, maxMlPerDay: 30 } } }, undefined, { timeScale: 1000 });
    const first = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 20 }, 'desktop'));
    await station.until(station.finished(first), 5_000, 'the first dose');
    const dosedAt = audit()[0]!.at;
    expect(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 15 }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/30 mL daily cap/) } });
    await station.advance(dosedAt + 85_400 - Date.now());
    expect(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 15 }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/30 mL daily cap/) } });
    await station.advance(2_000);
    const second = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 15 }, 'desktop'));
    await station.until(station.finished(second), 5_000, 'the dose a day later');
    expect(station.job(second)?.state).toBe('succeeded');
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
    await station.until(station.finished(id), 30_000, 'the rest of the dose');
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
    await station.until(station.finished(id), 5_000, 'the job to end');
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
    await station.until(station.finished(id), 10_000, 'the job to fail');
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
    await expect(station.core.setRelay('mixer', false)).rejects.toThrow(new RegExp(`relay Mixer is busy with job ${id} \\(run Mixer for 30 s\\)`));
    await station.until(station.finished(id), 40_000, 'the mix');
    expect(station.sim.snapshot().relays.mixer).toBe(false);
  });
});

describe('fills', () => {
  it('fills to the target within 1%, by the ground truth', async () => {
    station = await startSimStation();
    const before = station.sim.snapshot().tank.volumeL;
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 10 }, 'desktop'));
    await station.until(station.finished(id), 120_000, 'the fill');
    expect(station.job(id)?.state).toBe('succeeded');
    const filled = station.sim.snapshot().tank.volumeL - before;
    expect(Math.abs(filled - 10) / 10).toBeLessThanOrEqual(0.01);
    expect(station.sim.snapshot().relays.fill).toBe(false);
  });

  it('refuses a fill past capacity minus headroom, saying how much room there is', async () => {
    station = await startSimStation();
    // The tank holds about 60 L of 100 L, with 5 L headroom: room for about 35 L.
    const answer = station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 40 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { code: 'REFUSED', message: expect.stringMatching(/past 95 L .* room for 3\d\.\d L/) } });
  });

  it('closes the valve at the headroom even when the flow meter under-reads', async () => {
    // A meter calibrated at twice its real pulses per litre counts half the water that flows.
    station = await startSimStation({ flowMeters: { flow1: { pulsesPerLiter: 900 } } });
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 30 }, 'desktop'));
    await station.until(station.finished(id), 600_000, 'the fill to stop');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/level reached .* limit of 95 L/) });
    expect(station.sim.snapshot().relays.fill).toBe(false);
    expect(station.sim.snapshot().tank.volumeL).toBeLessThanOrEqual(95.5);
    expect(alerts('FILL_LEVEL')).toHaveLength(1);
  });

  it('stops a fill that runs past its time limit', async () => {
    station = await startSimStation({ safety: { fill: { timeoutMs: 20_000 } } });
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 10 }, 'desktop'));
    await station.until(station.finished(id), 60_000, 'the fill to time out');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/longer than its 20 s limit/) });
    expect(station.sim.snapshot().relays.fill).toBe(false);
    expect(alerts('FILL_TIMEOUT')).toHaveLength(1);
  });

  it('aborts when the valve is open but no water flows, and raises an alert', async () => {
    station = await startSimStation({ safety: { fill: { noFlowMs: 5_000 } } });
    station.sim.faults.waterSupply(false);
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 10 }, 'desktop'));
    await station.until(station.finished(id), 30_000, 'the fill to give up');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/no water flowed through Fill line for 5 s/) });
    expect(station.sim.snapshot().relays.fill).toBe(false);
    expect(alerts('NO_FLOW')).toHaveLength(1);
  });

  it('stops when the flow meter stops counting though water still flows, before the tank can overflow', async () => {
    station = await startSimStation({ safety: { fill: { noFlowMs: 5_000 } } });
    const before = station.sim.snapshot().tank.volumeL;
    station.sim.faults.stickMeter('flow1', true);
    const id = accepted(station.core.jobs.start({ kind: 'fill', tankId: 'main', liters: 30 }, 'desktop'));
    await station.until(station.finished(id), 60_000, 'the fill to give up');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/no water flowed through Fill line for 5 s/) });
    expect(station.sim.snapshot().relays.fill).toBe(false);
    // The water that went in unseen: no more than the no-flow time lets through (8 L/min × 5 s), and a little slack.
    expect(station.sim.snapshot().tank.volumeL - before).toBeLessThan(1);
  });
});

describe('closed loops', () => {
  const loop = { mixWaitMs: 60_000, abPauseMs: 20_000 };

  it('brings pH into band in bounded steps, each followed by the mixing wait', async () => {
    station = await startSimStation({ safety: { loop } });
    await station.core.setRelay('circulation', true);
    const ph = station.core.state().readings.ph1!.value;
    const target = Math.round((ph - 0.4) * 100) / 100;
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target, band: 0.1 }, 'desktop'));
    await station.until(station.finished(id), 30 * 60_000, 'the pH adjustment');
    expect(station.job(id)).toMatchObject({ state: 'succeeded' });
    expect(Math.abs(station.sim.snapshot().tank.ph - target)).toBeLessThanOrEqual(0.15);
    const doses = audit().filter((d) => d.jobId === id);
    expect(doses.length).toBeGreaterThan(0);
    expect(doses.every((d) => d.pumpId === 'ph_down' && d.deliveredMl <= 10.01)).toBe(true);
    for (let i = 1; i < doses.length; i++) expect(doses[i]!.at - doses[i - 1]!.at).toBeGreaterThanOrEqual(loop.mixWaitMs);
  });

  it('doses nutrient A and B with a pause between them', async () => {
    station = await startSimStation({ safety: { loop } });
    await station.core.setRelay('circulation', true);
    const ec = station.core.state().readings.ec1!.value;
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ec', tankId: 'main', target: Math.round((ec + 0.3) * 100) / 100, band: 0.1 }, 'desktop'));
    await station.until(() => audit().filter((d) => d.jobId === id).length >= 2, 10 * 60_000, 'A and B');
    const [a, b] = audit().filter((d) => d.jobId === id);
    expect([a?.pumpId, b?.pumpId]).toEqual(['nut_a', 'nut_b']);
    // B starts after A has ended (its audit time) and the pause has passed.
    const bStartedAt = b!.at - (b!.deliveredMl / 1.2) * 1000;
    expect(bStartedAt - a!.at).toBeGreaterThanOrEqual(loop.abPauseMs - 500);
    station.core.jobs.cancel(id, 'desktop');
  });

  it('names the channels by their names when a job asks for one that is not there', async () => {
    station = await startSimStation({ safety: { loop } });
    const answer = station.core.jobs.start({ kind: 'mix', relayId: 'stirrer', seconds: 30 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^there is no relay "stirrer" on this controller \(it may have been removed or renamed\); its relays are .*Mixer/) } });
    if (!answer.ok) expect(answer.error.message).not.toMatch(/\b(nut_a|flow1|mixer)\b/);
  });

  it('refuses to dose while circulation is off', async () => {
    station = await startSimStation({ safety: { loop } });
    const answer = station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop');
    expect(answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/circulation \(Circulation pump\) is off/) } });
  });

  it('stops after the first dose the reading does not answer (a stuck sensor), with an alert', async () => {
    station = await startSimStation({ safety: { loop } });
    await station.core.setRelay('circulation', true);
    station.sim.faults.stickSensor('ph1', 6.8);
    await station.advance(2_000);
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop'));
    await station.until(station.finished(id), 30 * 60_000, 'the loop to give up');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/sensor may be stuck or the probe out of the water/) });
    expect(alerts('SENSOR_NO_RESPONSE')).toHaveLength(1);
    expect(audit().filter((d) => d.jobId === id)).toHaveLength(1);
  });

  it('stops at the total dosing cap for one run', async () => {
    station = await startSimStation({ safety: { loop: { ...loop, maxTotalMl: 12 } } });
    await station.core.setRelay('circulation', true);
    // A target far below what 12 mL of pH down can reach in this tank.
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 4.0, band: 0.1 }, 'desktop'));
    await station.until(station.finished(id), 30 * 60_000, 'the loop to stop');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/the 12 mL cap for one adjustment/) });
    const total = audit().filter((d) => d.jobId === id).reduce((sum, d) => sum + d.deliveredMl, 0);
    expect(total).toBeLessThanOrEqual(12.05);
  });
});

describe('queues and recipes', () => {
  it('runs one tank’s jobs one after another, in priority order', async () => {
    station = await startSimStation();
    const first = accepted(station.core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 10 }, 'desktop'));
    const low = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 2 }, 'desktop', 'low'));
    const high = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_b', ml: 2 }, 'desktop', 'high'));
    await station.advance(500);
    expect([station.job(first)?.state, station.job(low)?.state, station.job(high)?.state]).toEqual(['running', 'queued', 'queued']);
    await station.until(station.finished(low), 60_000, 'the queue');
    const started = (id: number) => station.job(id)?.startedAt ?? Infinity;
    expect(started(high)).toBeLessThan(started(low));
    expect(started(high)).toBeGreaterThanOrEqual(station.job(first)!.endedAt!);
  });

  it('runs a recipe’s steps in order', async () => {
    station = await startSimStation();
    station.setup.recipes.put({
      id: 'top-up',
      name: 'Top up',
      steps: [
        { kind: 'job', job: { kind: 'fill', tankId: 'main', liters: 2 } },
        { kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 3 } },
        { kind: 'wait', seconds: 30 },
        { kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 3 } },
        { kind: 'notify', message: 'topped up' },
        { kind: 'job', job: { kind: 'mix', relayId: 'mixer', seconds: 20 } },
      ],
    });
    const id = accepted(station.core.jobs.start({ kind: 'recipe', recipeId: 'top-up' }, 'desktop'));
    await station.until(station.finished(id), 10 * 60_000, 'the recipe');
    expect(station.job(id)).toMatchObject({ state: 'succeeded', detail: 'Top up: all 6 steps done' });
    const [a, b] = audit().filter((d) => d.jobId === id);
    expect([a?.pumpId, b?.pumpId]).toEqual(['nut_a', 'nut_b']);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(30_000);
    expect(alerts('RECIPE_NOTE')).toEqual([expect.objectContaining({ level: 'info', message: expect.stringMatching(/topped up/) })]);
  });

  it('refuses a recipe whose step would break a limit, naming the step', async () => {
    station = await startSimStation();
    station.setup.recipes.put({ id: 'bad', name: 'Too much', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_a', ml: 60 } }] });
    expect(station.core.jobs.start({ kind: 'recipe', recipeId: 'bad' }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/recipe Too much, step 1: a dose of 60 mL exceeds/) } });
  });
});
