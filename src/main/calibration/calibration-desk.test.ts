/**
 * Every instrument kind goes through the same checks on the way to a saved figure: a run of that
 * kind, finished, with enough measured to trust, and a large change only when confirmed. Plain
 * inputs: finished jobs in a state, calibrations kept in memory.
 */
import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import type { JobSpec } from '../../shared/jobs';
import { Refusal } from '../../shared/refusal';
import { initialStationState, type Channel, type Job, type StationState } from '../../shared/station';
import { memorySetup } from '../station/memory-setup';
import { CalibrationDesk } from './calibration-desk';
import type { InstrumentKind } from './instruments';

const channels: Channel[] = [
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
];

function run(id: number, spec: JobSpec, measured: Job['measured'], state: Job['state'] = 'succeeded'): Job {
  return { id, kind: spec.kind, spec, state, tankId: null, progress: 1, etaMs: null, detail: '', requestedBy: 'test', createdAt: 0, startedAt: 0, endedAt: state === 'running' ? null : 1, measured };
}

function deskWith(jobs: Job[], configured: Partial<Record<InstrumentKind, Record<string, number>>> = {}) {
  const state: StationState = { ...initialStationState(false, null), channels, jobs };
  const published: StationChange[] = [];
  const lines: string[] = [];
  const keeper = memorySetup().calibrations;
  const desk = new CalibrationDesk({
    keeper,
    figures: { pump: { configured: configured.pump ?? {}, default: () => 1.25 }, flow: { configured: configured.flow ?? {}, default: () => 450 } },
    state: () => state,
    apply: (change) => void published.push(change),
    jobs: { start: () => ({ ok: false, error: { code: 'REFUSED', message: 'not here' } }), cancel: () => ({ ok: false, error: { code: 'REFUSED', message: '' } }), pause: () => ({ ok: false, error: { code: 'REFUSED', message: '' } }), resume: () => ({ ok: false, error: { code: 'REFUSED', message: '' } }), holding: () => undefined },
    now: () => 5_000,
    log: (line) => void lines.push(line),
  });
  return { desk, published, lines, keeper };
}

const refusal = (act: () => unknown): Refusal => {
  try {
    act();
  } catch (err) {
    if (err instanceof Refusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('the calibration desk', () => {
  it('lists every instrument with the figure in use and where it comes from', () => {
    const { desk } = deskWith([], { pump: { nut_b: 1.1 } });
    expect(desk.calibration()).toEqual({
      pumps: { nut_a: { mlPerSecond: 1.25, source: 'default', at: null }, nut_b: { mlPerSecond: 1.1, source: 'settings', at: null } },
      flowMeters: { flow1: { pulsesPerLiter: 450, source: 'default', at: null } },
    });
  });

  it('saves a pump figure and a meter figure by the same path, stores them, publishes them and logs them', () => {
    const { desk, published, lines, keeper } = deskWith([
      run(1, { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 20 }, { pumpId: 'nut_a', seconds: 20 }),
      run(2, { kind: 'calibrate-flow', tankId: 'main', liters: 10 }, { meterId: 'flow1', pulses: 4600 }),
    ]);
    expect(desk.save('pump', 1, 24, false)).toEqual({ id: 'nut_a', figure: 1.2, previous: 1.25 });
    expect(desk.save('flow', 2, 10, false)).toEqual({ id: 'flow1', figure: 460, previous: 450 });
    expect(keeper.pumps()).toEqual({ nut_a: { value: 1.2, at: 5_000 } });
    expect(keeper.flowMeters()).toEqual({ flow1: { value: 460, at: 5_000 } });
    expect(published.at(-1)).toEqual({
      type: 'calibration_update',
      calibration: { pumps: { nut_a: { mlPerSecond: 1.2, source: 'measured', at: 5_000 } }, flowMeters: { flow1: { pulsesPerLiter: 460, source: 'measured', at: 5_000 } } },
    });
    expect(lines).toEqual([
      'calibration: pump nut_a 1.25 → 1.2 mL/s (24 mL in 20 s, run 1)',
      'calibration: flow meter flow1 450 → 460 pulses/L (4600 pulses for 10 L, run 2)',
    ]);
  });

  it('refuses a run of the other kind, an unfinished one, one that measured too little, and a far-off figure unless confirmed', () => {
    const { desk, keeper } = deskWith([
      run(1, { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 20 }, { pumpId: 'nut_a', seconds: 20 }),
      run(2, { kind: 'calibrate-flow', tankId: 'main', liters: 10 }, { meterId: 'flow1', pulses: 40 }),
      run(3, { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 20 }, undefined, 'running'),
      run(4, { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 3 }, { pumpId: 'nut_a', seconds: 3 }),
    ]);
    expect(refusal(() => desk.save('flow', 1, 10, false))).toMatchObject({ code: 'REFUSED', message: expect.stringMatching(/^job 1 \(.*\) is not a flow meter calibration run$/) });
    expect(refusal(() => desk.save('pump', 7, 10, false))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('start a calibration run with calibration.pump.run') });
    expect(refusal(() => desk.save('pump', 3, 10, false))).toMatchObject({ code: 'REFUSED', message: 'calibration run 3 is still running; measure once it has finished' });
    expect(refusal(() => desk.save('pump', 4, 4, false))).toMatchObject({ message: 'the pump ran only 3.0 s, too short to measure its flow; run it for at least 10 s' });
    expect(refusal(() => desk.save('flow', 2, 1, false))).toMatchObject({ message: 'flow1 counted only 40 pulses, too few to calibrate it; fill more litres' });
    expect(refusal(() => desk.save('pump', 1, 240, false))).toMatchObject({
      code: 'REFUSED',
      message: '12 mL/s is 9.6× the usual figure of pump nut_a (1.25); check the measurement and the units, then send it again with confirm: true if it is right',
    });
    expect(keeper.pumps()).toEqual({});
    expect(desk.save('pump', 1, 240, true)).toEqual({ id: 'nut_a', figure: 12, previous: 1.25 });
  });
});
