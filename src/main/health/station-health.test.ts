/**
 * Sensor health on the whole station: the real core against the simulator, on a fake clock.
 * A stuck probe is caught while idle, a suspect probe stops closed loops from dosing, and a loop
 * whose dose the probe did not see stops after that one dose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/station';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';
import { RESPONSE_MARGIN } from '../jobs/programs';
import { defaultLayout } from '../simulator';
import type { MemoryJournal } from '../jobs/memory-journal';

let station: SimStation;

afterEach(async () => {
  await station?.close();
});

const MINUTE = 60_000;
const SMALL_TANK_CHANNELS = ['fill', 'drain', 'mixer', 'circulation', 'lights', 'air', 'nut_a', 'nut_b', 'ph_up', 'ph_down', 'flow1', 'ec1', 'ph1', 'temp1', 'level1'];
const health = (sensorId: string) => station.core.state().sensorHealth[sensorId];
const alerts = (code: string): Alert[] => station.core.state().alerts.filter((alert) => alert.code === code);
const audit = () => (station.journal as MemoryJournal).doses;

async function idleFor(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 10_000) await station.advance(Math.min(10_000, left));
}

describe('while idle', () => {
  it('calls every simulated probe healthy for an hour with the default rules: their readings move like real ones', async () => {
    station = await startSimStation();
    await idleFor(60 * MINUTE);
    const sensors = ['ph1', 'ec1', 'temp1', 'level1'];
    expect(Object.fromEntries(sensors.map((id) => [id, health(id)]))).toEqual(Object.fromEntries(sensors.map((id) => [id, { status: 'ok' }])));
    expect(station.core.state().alerts.filter((alert) => alert.code.startsWith('SENSOR_'))).toEqual([]);
  });

  it('flags a stuck pH probe within the configured time, with no job running, and clears it once it moves again', async () => {
    station = await startSimStation({ sensorHealth: { stuckAfterMs: 5 * MINUTE, clearAfterMs: MINUTE } });
    // Frozen where it stood: no jump gives it away, only that it never moves.
    station.sim.faults.stickSensor('ph1');
    const stuckAt = Date.now();
    await idleFor(4.5 * MINUTE);
    expect(health('ph1')).toEqual({ status: 'ok' });
    await station.until(() => health('ph1')?.status === 'suspect', MINUTE, 'the stuck probe to be flagged');
    expect(Date.now() - stuckAt).toBeLessThanOrEqual(5 * MINUTE + 2_000);
    expect(health('ph1')).toMatchObject({ status: 'suspect', reason: 'stuck', detail: 'reading has not moved for 5 min' });
    expect(alerts('SENSOR_STUCK')).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^pH probe ph1 \(tank Main tank\) suspect: reading has not moved for 5 min/) })]);
    // The other probes keep moving.
    expect(['ec1', 'temp1', 'level1'].map(health)).toEqual([{ status: 'ok' }, { status: 'ok' }, { status: 'ok' }]);

    station.sim.faults.unstickSensor('ph1');
    const movedAt = Date.now();
    await station.until(() => health('ph1')?.status === 'ok', 3 * MINUTE, 'the probe to be trusted again');
    expect(Date.now() - movedAt).toBeGreaterThanOrEqual(MINUTE);
    expect(alerts('SENSOR_OK')).toEqual([expect.objectContaining({ level: 'info', message: expect.stringMatching(/^pH probe ph1 \(tank Main tank\) reads normally again/) })]);
  });

  it('flags a value outside what the probe can read, and a jump no tank can make', async () => {
    station = await startSimStation();
    station.sim.faults.stickSensor('ec1', -0.4);
    await station.until(() => health('ec1')?.status === 'suspect', 5_000, 'the negative EC');
    expect(health('ec1')).toMatchObject({ reason: 'range' });
    expect(alerts('SENSOR_RANGE')).toEqual([expect.objectContaining({ message: expect.stringMatching(/^EC probe ec1 \(tank Main tank\) suspect: reading -0.4 is outside/) })]);

    station.sim.faults.stickSensor('ph1', 6);
    await station.advance(3_000);
    station.sim.faults.stickSensor('ph1', 11);
    await station.until(() => health('ph1')?.status === 'suspect', 5_000, 'the jump');
    expect(health('ph1')).toMatchObject({ reason: 'jump', detail: expect.stringMatching(/jumped from 6 to 11/) });
    expect(alerts('SENSOR_JUMP')).toHaveLength(1);
  });
});

describe('closed loops and a suspect probe', () => {
  it('refuse to start, naming the probe, the reason and what to do', async () => {
    station = await startSimStation({ sensorHealth: { stuckAfterMs: 5 * MINUTE } });
    await station.core.setRelay('circulation', true);
    station.sim.faults.stickSensor('ph1');
    await idleFor(5.5 * MINUTE);
    const answer = station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop');
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/^tank Main tank: the pH probe ph1 is suspect \(reading has not moved for 5 min; for \d+ min\), so no dose is based on it\. Check that it is in the water/) },
    });
    expect(audit()).toEqual([]);
  });

  it('stop after the first dose the probe did not see: a pH probe stuck at 7.90, adjusting to 5.8', async () => {
    // The walkthrough's case: the probe froze at the tank's true pH, nobody noticed, and an
    // adjustment started before the idle check had flagged it.
    station = await startSimStation({}, undefined, { start: { ph: 7.9 } });
    await station.core.setRelay('circulation', true);
    station.sim.faults.stickSensor('ph1');
    await station.advance(2_000);
    const before = station.sim.snapshot();
    expect(before.stuck.ph1).toBe(7.9);
    expect(before.tank.ph).toBeCloseTo(7.9, 2);

    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop'));
    let lowest = before.tank.ph;
    for (let waited = 0; !station.finished(id)(); waited += 1_000) {
      if (waited > 30 * MINUTE) throw new Error('the adjustment did not end');
      await station.advance(1_000);
      lowest = Math.min(lowest, station.sim.snapshot().tank.ph);
    }
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/after step 1: .*The sensor may be stuck or the probe out of the water, so dosing stopped/) });
    const doses = audit().filter((dose) => dose.jobId === id);
    expect(doses).toHaveLength(1);
    expect(doses[0]!.deliveredMl).toBeLessThanOrEqual(10.05);
    expect(alerts('SENSOR_NO_RESPONSE')).toHaveLength(1);
    expect(health('ph1')).toMatchObject({ status: 'suspect', reason: 'unresponsive', detail: expect.stringMatching(/did not answer a dose/) });
    expect(alerts('SENSOR_STUCK')).toHaveLength(1);

    // What the tank really did: one 10 mL step into 60 L, and no more.
    await idleFor(10 * MINUTE);
    const after = station.sim.snapshot().tank.ph;
    expect(after).toBeGreaterThan(5.0);
    expect(lowest).toBeGreaterThan(5.0);
    expect(before.tank.ph - after).toBeLessThan(1);
    console.log(`stuck pH probe at 7.90, adjust to 5.8: 1 dose of ${doses[0]!.deliveredMl} mL; true pH ${before.tank.ph.toFixed(2)} -> ${after.toFixed(2)} (lowest ${lowest.toFixed(2)})`);

    // And the next try is refused up front.
    expect(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/pH probe ph1 is suspect \(did not answer a dose/) } });
  });

  it('size a small tank\'s step to it, so a probe stuck at 7.90 costs one small step, not a swing of pH units', async () => {
    // 12 L in a 15 L tank: the 10 mL step a big tank may take would move it about 4 pH.
    const layout = defaultLayout();
    layout.tank = { ...layout.tank, capacityL: 15, startL: 12, spillL: 1 };
    station = await startSimStation({ tanks: [{ id: 'main', name: 'Small tank', capacityL: 15, channelIds: SMALL_TANK_CHANNELS }] }, undefined, { layout, start: { ph: 7.9 } });
    await station.core.setRelay('circulation', true);
    station.sim.faults.stickSensor('ph1');
    await station.advance(2_000);
    const before = station.sim.snapshot().tank.ph;

    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.1 }, 'desktop'));
    let lowest = before;
    for (let waited = 0; !station.finished(id)(); waited += 1_000) {
      if (waited > 30 * MINUTE) throw new Error('the adjustment did not end');
      await station.advance(1_000);
      lowest = Math.min(lowest, station.sim.snapshot().tank.ph);
    }
    const doses = audit().filter((dose) => dose.jobId === id);
    expect(doses).toHaveLength(1);
    // At most what closes the error (2.1 pH) even if the tank answers three times its figure.
    expect(doses[0]!.deliveredMl).toBeLessThanOrEqual((2.1 * 12) / (RESPONSE_MARGIN * 2) + 0.05);
    await idleFor(10 * MINUTE);
    lowest = Math.min(lowest, station.sim.snapshot().tank.ph);
    expect(lowest).toBeGreaterThan(5.0);
    console.log(`stuck pH probe at 7.90 in a 12 L tank, adjust to 5.8: 1 dose of ${doses[0]!.deliveredMl} mL; true pH ${before.toFixed(2)} -> lowest ${lowest.toFixed(2)}`);
  });

  it('stop an EC adjustment after its first step (A, then B) when the EC probe is stuck', async () => {
    station = await startSimStation();
    await station.core.setRelay('circulation', true);
    station.sim.faults.stickSensor('ec1');
    await station.advance(2_000);
    const before = station.sim.snapshot().tank.ec;
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ec', tankId: 'main', target: 1.8, band: 0.1 }, 'desktop'));
    await station.until(station.finished(id), 30 * MINUTE, 'the EC adjustment to stop');
    expect(station.job(id)).toMatchObject({ state: 'failed', detail: expect.stringMatching(/^EC read 1\.\d\d mS\/cm after step 1: .*The sensor may be stuck or the probe out of the water/) });
    expect(audit().filter((dose) => dose.jobId === id).map((dose) => dose.pumpId)).toEqual(['nut_a', 'nut_b']);
    expect(health('ec1')).toMatchObject({ status: 'suspect', reason: 'unresponsive' });
    // One step's worth of nutrient, no more: 12 mL into 60 L at 0.5 mS/cm per mL per litre.
    expect(station.sim.snapshot().tank.ec - before).toBeLessThan(0.15);
  });

  it('refine the tank response figure from a successful adjustment, kept beside the settings', async () => {
    station = await startSimStation({ safety: { loop: { mixWaitMs: MINUTE } } });
    await station.core.setRelay('circulation', true);
    const ph = station.core.state().readings.ph1!.value;
    const id = accepted(station.core.jobs.start({ kind: 'adjust-ph', tankId: 'main', target: Math.round((ph - 0.5) * 100) / 100, band: 0.1 }, 'desktop'));
    await station.until(station.finished(id), 30 * MINUTE, 'the pH adjustment');
    expect(station.job(id)).toMatchObject({ state: 'succeeded' });
    // The simulated tank answers at 5 pH per mL per litre; the default expects 2, so it rises toward 5.
    const saved = JSON.parse(readFileSync(join(station.dataDir, 'dose-response.json'), 'utf8')) as { tanks: Record<string, { ph?: { value: number } }> };
    const learned = saved.tanks.main?.ph?.value ?? 0;
    expect(learned).toBeGreaterThan(2.5);
    expect(learned).toBeLessThan(5);
    console.log(`pH response figure after one adjustment: 2 -> ${learned.toFixed(2)} pH per mL per litre`);
  });
});
