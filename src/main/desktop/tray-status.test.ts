/**
 * What the tray and the quit question say, from plain station states.
 */
import { describe, expect, it } from 'vitest';
import type { JobSpec } from '../../shared/jobs';
import { initialStationState, type Job, type JobState, type StationState } from '../../shared/station';
import { activeJobs, jobInWords } from './active-jobs';
import { quitQuestion } from './quit-guard';
import { MAX_TOOLTIP, sameTrayView, trayView } from './tray-status';

function job(id: number, state: JobState, spec: JobSpec): Job {
  return { id, kind: spec.kind, spec, state, tankId: null, progress: 0.4, etaMs: null, detail: '', requestedBy: 'desktop', createdAt: id, startedAt: null, endedAt: null };
}

function station(change: Partial<StationState> = {}): StationState {
  const state = initialStationState(false, '/dev/ttyACM0');
  return {
    ...state,
    link: { ...state.link, status: 'ready', reason: 'handshake complete' },
    channels: [
      { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
      { id: 'mixer', kind: 'relay', name: 'Mixer' },
    ],
    tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['nut_a', 'mixer'] }],
    recipes: [{ id: 'veg', name: 'Vegetative week 1', steps: [{ kind: 'wait', seconds: 5 }] }],
    ...change,
  };
}

const DOSE = job(3, 'running', { kind: 'dose', pumpId: 'nut_a', ml: 10 });
const FILL = job(4, 'queued', { kind: 'fill', tankId: 'main', liters: 50 });
const MIX = job(2, 'paused', { kind: 'mix', relayId: 'mixer', seconds: 600 });
const DONE = job(1, 'succeeded', { kind: 'mix', relayId: 'mixer', seconds: 30 });

describe('jobs in words', () => {
  it('names channels, tanks and recipes as the grower named them', () => {
    const state = station();
    expect(jobInWords(DOSE, state)).toBe('dose 10 mL of Nutrient A');
    expect(jobInWords(FILL, state)).toBe('fill Main tank with 50 L');
    expect(jobInWords(MIX, state)).toBe('run Mixer for 10 min');
    expect(jobInWords(job(5, 'queued', { kind: 'mix', relayId: 'air', seconds: 45 }), state)).toBe('run air for 45 s');
    expect(jobInWords(job(6, 'queued', { kind: 'adjust-ph', tankId: 'main', target: 5.8, band: 0.2 }), state)).toBe('bring Main tank to pH 5.8');
    expect(jobInWords(job(7, 'queued', { kind: 'recipe', recipeId: 'veg' }), state)).toBe('recipe Vegetative week 1');
    expect(jobInWords(job(8, 'queued', { kind: 'calibrate-pump', pumpId: 'nut_a', seconds: 30 }), state)).toBe('calibration run of Nutrient A');
  });

  it('lists the unfinished jobs, running first', () => {
    expect(activeJobs(station({ jobs: [DONE, FILL, DOSE, MIX] })).map((j) => j.id)).toEqual([3, 2, 4]);
  });
});

describe('the tray', () => {
  it('says all is quiet', () => {
    const view = trayView(station());
    expect(view.tooltip).toBe('Tendril: controller ready, no jobs');
    expect(view.menu).toEqual([
      { kind: 'status', label: 'Controller: ready' },
      { kind: 'status', label: 'No jobs running' },
      { kind: 'separator' },
      { kind: 'action', action: 'estop', label: 'Emergency stop' },
      { kind: 'action', action: 'open', label: 'Open Tendril' },
      { kind: 'separator' },
      { kind: 'action', action: 'quit', label: 'Quit' },
    ]);
  });

  it('shows the emergency stop first, the link, and the jobs', () => {
    const state = station({ jobs: [DONE, FILL, DOSE, MIX], estop: { latched: true, source: 'host' } });
    const view = trayView(state);
    expect(view.tooltip).toBe('Tendril: EMERGENCY STOP latched, controller ready, 1 job running, 2 waiting');
    expect(view.menu.filter((entry) => entry.kind === 'status').map((entry) => entry.label)).toEqual([
      'EMERGENCY STOP latched: reset it in Tendril',
      'Controller: ready',
      'Running: dose 10 mL of Nutrient A',
      'Paused: run Mixer for 10 min',
      'Queued: fill Main tank with 50 L',
    ]);
  });

  it('counts the alerts waiting for a person, in the tooltip and the menu', () => {
    const alert = (id: number, level: 'error' | 'warning' | 'info', acked = false) => ({
      id,
      level,
      code: 'X',
      message: `alert ${id}`,
      at: id,
      source: 'host' as const,
      ...(acked ? { ack: { by: 'the desktop', at: 9 } } : {}),
    });
    const view = trayView(station({ alerts: [alert(1, 'error'), alert(2, 'warning'), alert(3, 'info'), alert(4, 'error', true)] }));
    expect(view.tooltip).toBe('Tendril: 2 alerts waiting, controller ready, no jobs');
    expect(view.menu[0]).toEqual({ kind: 'status', label: '2 alerts waiting for you: see Alerts in Tendril' });
  });

  it('says why the link is down, and when the station is simulated', () => {
    const lost = station();
    lost.link = { ...lost.link, status: 'disconnected', reason: 'the port closed: unplugged?' };
    expect(trayView(lost).tooltip).toBe('Tendril: controller disconnected (the port closed: unplugged?), no jobs');
    const simulated = station();
    simulated.link = { ...simulated.link, simulated: true };
    expect(trayView(simulated).menu[0]).toEqual({ kind: 'status', label: 'Controller: ready (simulated station)' });
  });

  it('counts what it cannot list, and keeps the tooltip within what Windows shows', () => {
    const many = Array.from({ length: 8 }, (_, i) => job(10 + i, 'queued', { kind: 'dose', pumpId: 'nut_a', ml: i + 1 }));
    const state = station({ jobs: many });
    state.link = { ...state.link, status: 'error', reason: 'x'.repeat(300) };
    const view = trayView(state);
    expect(view.menu.filter((entry) => entry.kind === 'status').at(-1)).toEqual({ kind: 'status', label: '…and 3 more' });
    expect(view.tooltip.length).toBeLessThanOrEqual(MAX_TOOLTIP);
  });

  it('is rebuilt only when what it shows changes', () => {
    const before = trayView(station({ jobs: [DOSE] }));
    const progressed = trayView(station({ jobs: [{ ...DOSE, progress: 0.9 }] }));
    expect(sameTrayView(before, progressed)).toBe(true);
    expect(sameTrayView(before, trayView(station({ jobs: [DOSE, FILL] })))).toBe(false);
    expect(sameTrayView(null, before)).toBe(false);
  });
});

describe('quitting', () => {
  it('asks nothing when no job would be interrupted', () => {
    expect(quitQuestion(station({ jobs: [DONE] }), true)).toBeNull();
  });

  it('names the jobs it would stop, and defaults to keeping them running', () => {
    const question = quitQuestion(station({ jobs: [DONE, FILL, DOSE] }), true)!;
    expect(question.message).toBe('Quit Tendril and stop 2 jobs?');
    expect(question.detail).toContain('Running: dose 10 mL of Nutrient A\nQueued: fill Main tank with 50 L\n\n');
    expect(question.detail).toContain('switches every output off');
    expect(question.detail).toContain('close the window instead');
    expect(question.buttons[question.defaultId]).toBe('Keep running');
    expect(question.cancelId).toBe(question.defaultId);
    expect(question.buttons[question.quitId]).toBe('Stop the jobs and quit');
  });

  it('speaks of one job as one, and does not suggest the tray when closing the window quits', () => {
    const question = quitQuestion(station({ jobs: [MIX] }), false)!;
    expect(question.message).toBe('Quit Tendril and stop a job?');
    expect(question.buttons[question.quitId]).toBe('Stop the job and quit');
    expect(question.detail).not.toContain('tray');
  });
});
