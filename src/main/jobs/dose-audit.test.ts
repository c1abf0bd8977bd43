/**
 * The dose audit against the simulator's ground truth: what it says a pump delivered is what the
 * pump delivered, or, when the controller never said how a dose ended, the most it may have.
 * The daily cap is counted from it, so it must never count less than went in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoryJournal } from './memory-journal';
import { accepted, startSimStation, type SimStation } from '../../test-support/main/jobs';

let station: SimStation;

afterEach(async () => {
  const running = station as SimStation | undefined;
  station = undefined as unknown as SimStation;
  await running?.close();
});

const audit = () => (station.journal as MemoryJournal).doses;

describe('the dose audit', () => {
  it('keeps what a dose delivered, as the controller reported its end', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 6 }, 'desktop'));
    await station.until(station.finished(id), 20_000, 'the dose');
    expect(audit()).toEqual([expect.objectContaining({ pumpId: 'nut_a', requestedMl: 6, deliveredMl: 6, outcome: 'complete' })]);
    expect(station.sim.snapshot().dosedMl['nut_a']).toBeCloseTo(6, 1);
  });

  it('keeps a dose whose end it never heard at its full amount, saying how much at least went in', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 30 }, 'desktop'));
    await station.advance(5_000);
    // The controller falls silent mid-dose: its watchdog stops the pump some seconds later,
    // and the host, which heard nothing more, cannot know when.
    station.sim.faults.silent(true);
    await station.until(station.finished(id), 20_000, 'the link loss to end the dose');
    const [entry] = audit();
    const real = station.sim.snapshot().dosedMl['nut_a']!;
    expect(real).toBeGreaterThan(5);
    expect(entry).toMatchObject({ requestedMl: 30, deliveredMl: 30, outcome: expect.stringMatching(/^unknown: at least [\d.]+ mL went in before the link to the controller was lost/) });
    const atLeast = Number(/at least ([\d.]+) mL/.exec(entry!.outcome)![1]);
    expect(atLeast).toBeLessThanOrEqual(real);
    expect(entry!.deliveredMl).toBeGreaterThanOrEqual(real);
  });

  it('takes a dose the controller reported done as done, though its answer to the command was lost and the link dropped after', async () => {
    station = await startSimStation({}, undefined, { timeScale: 10 });
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 0.5 }, 'desktop'));
    // The controller's answer to DOSE is lost to a bad checksum; the dose runs and its end is
    // reported; then the cable is pulled before the command's retry.
    station.sim.faults.corruptNext(1);
    await station.advance(150);
    expect(station.sim.snapshot().dosedMl['nut_a']).toBeCloseTo(0.5, 1);
    station.sim.faults.dropLink();
    await station.until(station.finished(id), 20_000, 'the dose to end');
    expect(audit()).toEqual([expect.objectContaining({ requestedMl: 0.5, deliveredMl: 0.5, outcome: 'complete' })]);
  });

  it('keeps what a dose delivered when an emergency stop cancels its command on the way, after the pump started', async () => {
    station = await startSimStation();
    const id = accepted(station.core.jobs.start({ kind: 'dose', pumpId: 'nut_a', ml: 5 }, 'desktop'));
    // The controller's answer to DOSE is lost, so the command is still on its way when the
    // stop comes; the pump has been running meanwhile.
    station.sim.faults.corruptNext(1);
    await station.advance(300);
    expect(station.sim.snapshot().pumps['nut_a']).toBe(true);
    station.core.emergencyStop();
    await station.until(station.finished(id), 20_000, 'the stop to end the dose');
    const real = station.sim.snapshot().dosedMl['nut_a']!;
    expect(real).toBeGreaterThan(0);
    const [entry] = audit();
    expect(entry!.deliveredMl).toBeCloseTo(real, 1);
    expect(entry!.outcome).toBe('estop');
  });
});
