/**
 * pH and EC probe calibration through the command door, against the simulated station on a fake
 * clock. The simulator's probe reads 0.92 × the truth + 0.3, as a drifted probe does; the grower
 * dips it in two buffers, captures, saves, and from then on the station sees the truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CALIBRATED, growerDoor, startSimStation, type GrowerDoor, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;
let door: GrowerDoor;

afterEach(async () => {
  await station?.close();
});

async function open(): Promise<void> {
  station = await startSimStation({ pumps: CALIBRATED });
  door = growerDoor(station.core);
  station.sim.faults.probeError('ph1', 0.3, 0.92);
}

/** Dips the probe and waits until it has been steady for the whole window. */
async function dip(sensorId: string, solution: number | null): Promise<void> {
  station.sim.faults.dipProbe(sensorId, solution);
  await station.advance(31_000);
}

describe('pH probe calibration', () => {
  it('captures two buffers, saves the line, and from then on readings and history are the truth with the raw value kept', async () => {
    await open();
    await dip('ph1', 4);
    const first = await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4 });
    expect(first).toMatchObject({ sensorId: 'ph1', point: { nominal: 4, raw: expect.closeTo(0.92 * 4 + 0.3, 1) }, stability: { stable: true } });
    await dip('ph1', 7);
    const second = await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 7 });
    expect((second['points'] as unknown[]).length).toBe(2);

    const saved = await door.ok({ type: 'calibration.probe.save', sensorId: 'ph1' });
    expect(saved).toMatchObject({ slope: expect.closeTo(1 / 0.92, 1), health: { healthy: true, words: expect.stringMatching(/healthy/) } });
    expect(station.core.state().calibration.probes?.['ph1']).toMatchObject({ kind: 'ph', by: expect.stringMatching(/^Ana/), points: [{ nominal: 4 }, { nominal: 7 }] });

    await dip('ph1', null);
    const truth = station.sim.snapshot().tank.ph;
    const reading = station.core.state().readings['ph1']!;
    expect(Math.abs(reading.value - truth)).toBeLessThan(0.05);
    expect(reading.raw).toBeCloseTo(0.92 * truth + 0.3, 1);
    const now = Date.now();
    const history = station.core.history.query('ph1', now - 5_000, now)!;
    for (const [, value] of history.points) expect(Math.abs(value - truth)).toBeLessThan(0.05);
  });

  it('refuses a point before the probe settles unless confirmed, and a line through one solution twice', async () => {
    await open();
    station.sim.faults.dipProbe('ph1', 4);
    await station.advance(2_000);
    expect(await door.send({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4 })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/steady for 30 s, or send confirm: true/) },
    });
    await station.advance(30_000);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4 });
    // Still in the 4.00 buffer, captured as 7.00: the same reading for two solutions.
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 7 });
    expect(await door.send({ type: 'calibration.probe.save', sensorId: 'ph1', confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/read the same or backwards/) },
    });
    expect(station.core.state().calibration.probes).toBeUndefined();
    expect(await door.send({ type: 'calibration.probe.capture', sensorId: 'temp1', solution: 4 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/not a pH or EC probe; the probes are ec1, ph1/) } });
  });

  it('names the probe in a refusal, and starts over from a first point, dropping the points never saved', async () => {
    await open();
    await dip('ph1', 4);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4 });
    // Still in the 4.00 buffer, captured as 4.5: nearly the same solution twice.
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4.5 });
    expect(await door.send({ type: 'calibration.probe.save', sensorId: 'ph1' })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/^pH: two points are in solutions of nearly the same value \(4 and 4\.5 pH\)/) },
    });
    // The wizard started over: its first point is a new calibration's, not a third one of the old.
    const again = await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4, first: true });
    expect(again['points']).toEqual([expect.objectContaining({ nominal: 4 })]);
    await dip('ph1', 7);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 7 });
    expect(await door.ok({ type: 'calibration.probe.save', sensorId: 'ph1' })).toMatchObject({ health: { healthy: true } });
  });

  it('resets to uncalibrated in one command: readings are the controller’s own again', async () => {
    await open();
    await dip('ph1', 4);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 4 });
    await dip('ph1', 10.01);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ph1', solution: 10.01 });
    await door.ok({ type: 'calibration.probe.save', sensorId: 'ph1' });
    expect(await door.ok({ type: 'calibration.probe.reset', sensorId: 'ph1' })).toEqual({ sensorId: 'ph1', wasCalibrated: true });
    expect(station.core.state().calibration.probes).toBeUndefined();
    await station.advance(2_000);
    expect(station.core.state().readings['ph1']?.raw).toBeUndefined();
    expect(station.core.state().readings['ph1']?.value).toBeCloseTo(0.92 * 10.01 + 0.3, 1);
  });
});

describe('EC probe calibration', () => {
  it('calibrates from one solution, compensated to 25 °C', async () => {
    await open();
    station.sim.faults.probeError('ec1', 0, 0.85);
    await dip('ec1', 1.413);
    await door.ok({ type: 'calibration.probe.capture', sensorId: 'ec1', solution: 1.413 });
    await door.ok({ type: 'calibration.probe.save', sensorId: 'ec1' });
    await dip('ec1', null);
    const truth = station.sim.snapshot().tank.ec;
    expect(station.core.state().readings['ec1']!.value).toBeCloseTo(truth, 1);
  });
});
