import { describe, expect, it } from 'vitest';
import { defaultLayout } from './layout';
import { TankPhysics } from './physics';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function tank(seed = 1): TankPhysics {
  return new TankPhysics(defaultLayout(), seed);
}

/** Runs a pump for `ms` then waits `settleMs` with the mixer on. */
function dose(t: TankPhysics, pump: string, ms: number, settleMs = 2 * MINUTE): void {
  t.setRelay('mixer', true);
  t.setPump(pump, true);
  t.step(ms);
  t.setPump(pump, false);
  t.step(settleMs);
}

describe('TankPhysics', () => {
  it('starts at 60 L, EC 1.2, pH 6, 20 °C', () => {
    const truth = tank().truth();
    expect(truth.volumeL).toBe(60);
    expect(truth.ec).toBeCloseTo(1.2, 5);
    expect(truth.ph).toBeCloseTo(6.0, 5);
    expect(truth.tempC).toBe(20);
  });

  it('gives the same noisy readings for the same seed', () => {
    const read = (seed: number) => {
      const t = tank(seed);
      return Array.from({ length: 20 }, () => t.read('ec1'));
    };
    expect(read(5)).toEqual(read(5));
    expect(read(5)).not.toEqual(read(6));
  });

  it('raises EC by nutrient mL per litre, pH nudged down', () => {
    const t = tank();
    dose(t, 'nut_a', 10_000); // 12 mL at the true 1.2 mL/s
    const truth = t.truth();
    expect(truth.ec - 1.2).toBeCloseTo((0.5 * 12) / 60, 2);
    expect(truth.ph).toBeLessThan(6);
    expect(truth.ph).toBeGreaterThan(5.9);
  });

  it('lets a dose spread with a lag, faster when stirred', () => {
    const still = tank();
    still.setPump('nut_b', true);
    still.step(10_000);
    still.setPump('nut_b', false);
    const stirred = tank();
    stirred.setRelay('circulation', true);
    stirred.setPump('nut_b', true);
    stirred.step(10_000);
    stirred.setPump('nut_b', false);
    still.step(10_000);
    stirred.step(10_000);
    const full = 1.2 + (0.5 * 12) / 60;
    expect(still.truth().ec).toBeLessThan(stirred.truth().ec);
    expect(stirred.truth().ec).toBeLessThan(full);
    stirred.step(2 * MINUTE);
    expect(stirred.truth().ec).toBeCloseTo(full, 3);
  });

  it('moves pH down with pH down and up with pH up', () => {
    const down = tank();
    dose(down, 'ph_down', 1000);
    expect(down.truth().ph).toBeCloseTo(6 - (5 * 1.2) / 60, 2);
    const up = tank();
    dose(up, 'ph_up', 1000);
    expect(up.truth().ph).toBeCloseTo(6 + (5 * 1.2) / 60, 2);
  });

  it('fills at 8 L/min with 450 pulses per litre, diluting EC', () => {
    const t = tank();
    t.setRelay('fill', true);
    t.step(MINUTE);
    expect(t.truth().volumeL).toBeCloseTo(68, 1);
    expect(t.pulses('flow1')).toBe(3600);
    expect(t.pulseRate('flow1')).toBe(60);
    expect(t.truth().ec).toBeCloseTo(0.3 + (0.9 * 60) / 68, 2);
  });

  it('stops at the rim and when the supply is off', () => {
    const t = tank();
    t.setRelay('fill', true);
    t.step(10 * MINUTE);
    expect(t.truth().volumeL).toBeGreaterThan(104.99);
    expect(t.truth().volumeL).toBeLessThanOrEqual(105);
    expect(t.pulseRate('flow1')).toBe(0);
    const dry = tank();
    dry.setWaterSupply(false);
    dry.setRelay('fill', true);
    dry.step(MINUTE);
    expect(dry.pulses('flow1')).toBe(0);
  });

  it('drains at 10 L/min, keeping EC', () => {
    const t = tank();
    t.setRelay('drain', true);
    t.step(MINUTE);
    expect(t.truth().volumeL).toBeCloseTo(50, 1);
    expect(t.truth().ec).toBeCloseTo(1.2, 3);
    t.step(10 * MINUTE);
    expect(t.truth().volumeL).toBeLessThan(0.01);
  });

  it('drifts slowly: pH up, EC up, water down, temperature near 20 °C', () => {
    const t = tank();
    t.step(12 * HOUR);
    const truth = t.truth();
    expect(truth.ph).toBeGreaterThan(6.4);
    expect(truth.ec).toBeGreaterThan(1.2);
    expect(truth.volumeL).toBeLessThan(60);
    expect(Math.abs(truth.tempC - 20)).toBeLessThan(1.5);
  });

  it('holds a stuck sensor still', () => {
    const t = tank();
    t.stick('ec1');
    dose(t, 'nut_a', 10_000);
    expect(new Set(Array.from({ length: 10 }, () => t.read('ec1')))).toEqual(new Set([1.2]));
    t.unstick('ec1');
    expect(t.read('ec1')).toBeGreaterThan(1.25);
  });

  it('keeps a ledger of each pump run as it really delivered it, and the fullest the tank has been', () => {
    const t = tank();
    dose(t, 'nut_a', 10_000);
    dose(t, 'nut_b', 5_000);
    t.setPump('nut_a', true);
    t.step(1_000);
    // Switching on a running pump does not start a second run.
    t.setPump('nut_a', true);
    t.step(1_000);
    t.setPump('nut_a', false);
    const runs = t.pumpRuns();
    expect(runs.ended).toBe(3);
    expect(runs.recent.map((run) => run.pump)).toEqual(['nut_a', 'nut_b', 'nut_a']);
    expect(runs.recent[0]!.ml).toBeCloseTo(12, 6);
    expect(runs.recent[1]!.ml).toBeCloseTo(6, 6);
    expect(runs.recent[2]!.ml).toBeCloseTo(2.4, 6);
    expect(runs.recent.reduce((sum, run) => sum + run.ml, 0)).toBeCloseTo(t.truth().dosedMl['nut_a']! + t.truth().dosedMl['nut_b']!, 6);
    expect(t.truth().peakVolumeL).toBeGreaterThanOrEqual(t.truth().volumeL);
    // 20.4 mL went in; a little evaporated meanwhile, which the peak keeps from before.
    expect(t.truth().peakVolumeL).toBeGreaterThan(60.014);
    expect(t.truth().peakVolumeL).toBeLessThan(60 + 20.4 / 1000);
  });
});
