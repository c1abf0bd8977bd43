import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../shared/station';
import { confirmWords, describeChange, spread, describeSource, mlPerSecondFrom, needsConfirmation, pulsesPerLiterFrom, runJobId, runStage } from './calibration-maths';

function job(patch: Partial<Job>): Job {
  return {
    id: 7,
    kind: 'calibrate-pump',
    spec: { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 30 },
    state: 'running',
    tankId: null,
    progress: 0.5,
    etaMs: 15_000,
    detail: '',
    requestedBy: 'desktop',
    createdAt: 0,
    startedAt: 0,
    endedAt: null,
    ...patch,
  };
}

describe('calibration sums', () => {
  it('turns a measurement into mL/s and pulses per litre, rounded as the station stores them', () => {
    expect(mlPerSecondFrom(31, 30.2)).toBe(1.0265);
    expect(pulsesPerLiterFrom(4512, 10.2)).toBe(442.35);
  });

  it('has nothing to say before there is a measurement', () => {
    expect(mlPerSecondFrom(0, 30)).toBeNull();
    expect(mlPerSecondFrom(30, 0)).toBeNull();
    expect(pulsesPerLiterFrom(4500, Number.NaN)).toBeNull();
  });

  it('says how far the new figure is from the current one', () => {
    expect(describeChange(1, 1.12)).toBe('+12% from now');
    expect(describeChange(1, 0.6)).toBe('−40% from now');
    expect(describeChange(1, 1.001)).toBe('the same as now');
    expect(describeChange(1, 3)).toBe('3.0× the current figure');
    expect(describeChange(450, 150)).toBe('1/3.0 of the current figure');
    expect(describeChange(0, 1)).toBe('');
  });

  it('asks for confirmation of a large change, from a default too', () => {
    expect(needsConfirmation(1, 2.5)).toBe(true);
    expect(needsConfirmation(1, 0.4)).toBe(true);
    expect(needsConfirmation(1, 1.9)).toBe(false);
    expect(needsConfirmation(1.25, 166.7)).toBe(true);
  });

  it('says where the current figure comes from', () => {
    const date = (at: number) => `day ${at}`;
    expect(describeSource('measured', 5, date)).toBe('measured on day 5');
    expect(describeSource('settings', null, date)).toBe('from settings.json');
    expect(describeSource('default', null, date)).toBe('built-in default: not calibrated yet');
  });
});

describe('calibration runs', () => {
  it('follows the run from its job', () => {
    expect(runStage(undefined)).toEqual({ stage: 'gone' });
    expect(runStage(job({ state: 'running', progress: 0.5 }))).toEqual({ stage: 'running', progress: 0.5 });
    expect(runStage(job({ state: 'succeeded', measured: { pumpId: 'nut_a', seconds: 30.2 } }))).toEqual({ stage: 'measured', seconds: 30.2 });
    expect(runStage(job({ state: 'succeeded', measured: { meterId: 'flow1', pulses: 4512 } }))).toEqual({ stage: 'measured', pulses: 4512 });
    expect(runStage(job({ state: 'cancelled', detail: 'cancelled by desktop' }))).toEqual({ stage: 'ended', why: 'cancelled by desktop' });
    expect(runStage(job({ state: 'succeeded' })).stage).toBe('ended');
  });

  it('reads the job id from the run command’s answer', () => {
    expect(runJobId({ job: { id: 12 } })).toBe(12);
    expect(runJobId({ job: {} })).toBeNull();
    expect(runJobId(undefined)).toBeNull();
  });
});

describe('a probe refusal in the wizard', () => {
  it('points at the box to tick rather than at the command field', () => {
    expect(confirmWords('pH has not settled: its readings vary by ±0.05 over the last 30 s; wait until it is steady, or send confirm: true to capture it as it is')).toBe(
      'pH has not settled: its readings vary by ±0.05 over the last 30 s; wait until it is steady, or tick “Capture it as it is” below and capture again',
    );
    expect(confirmWords('EC: the probe\'s slope would be 33% of ideal, far outside 50–200%; check the solutions and the probe, then save again with confirm: true if it is right')).toBe(
      'EC: the probe\'s slope would be 33% of ideal, far outside 50–200%; check the solutions and the probe, then tick “save it anyway” below and save again if it is right',
    );
    expect(confirmWords('pH: two points are in solutions of nearly the same value (4 and 4.5 pH); capture the second point in a different solution')).not.toMatch(/confirm/);
  });
});

describe('a probe\'s spread', () => {
  it('is read to two significant figures', () => {
    expect([0.0189, 0.0117, 0.2, 0, 0.00049].map(spread)).toEqual(['0.019', '0.012', '0.2', '0', '0.00049']);
  });
});
