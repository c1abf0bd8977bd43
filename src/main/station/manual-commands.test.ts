import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationChange } from '../../shared/events';
import { initialStationState, type Job, type StationState } from '../../shared/station';
import type { JobControl } from '../jobs';
import { createManualCommands, RELAY_REPORT_WAIT_MS } from './manual-commands';

function station(): StationState {
  return {
    ...initialStationState(true, 'simulated'),
    channels: [
      { id: 'nut_a', kind: 'pump', name: 'Nutrient A', maxMl: 50, maxMs: 60_000 },
      { id: 'mixer', kind: 'relay', name: 'Mixer', maxMs: 600_000 },
      { id: 'fill', kind: 'relay', name: 'Fill valve' },
      { id: 'flow', kind: 'flow', name: 'Inlet' },
      { id: 'level', kind: 'level', name: 'Level', unit: 'L' },
    ],
    tanks: [{ id: 'main', name: 'Main', capacityL: 100, channelIds: ['nut_a', 'mixer', 'fill', 'flow', 'level'] }],
  };
}

/**
 * Manual commands over a fixed station, with the controller's commands written down. The device
 * reports a switched relay once `report` is called, as the real one does just after its ACK.
 */
function commands(options: { holding?: Job; mlPerSecond?: number; reportLater?: boolean } = {}) {
  const relays: StationState['relays'] = {};
  const listeners = new Set<(change: StationChange) => void>();
  const report = (relayId: string, on: boolean) => {
    relays[relayId] = { on, why: 'cmd' };
    for (const listener of [...listeners]) listener({ type: 'relay_update', relayId, on, why: 'cmd' });
  };
  const sent: string[] = [];
  const started: string[] = [];
  const jobs: Pick<JobControl, 'holding' | 'start'> = {
    holding: (channelId) => (options.holding?.spec.kind === 'mix' && options.holding.spec.relayId === channelId ? options.holding : undefined),
    start: (spec, requestedBy, priority) => {
      started.push(`${spec.kind} by ${requestedBy} at ${priority}`);
      return { ok: false, error: { code: 'NOT_READY', message: 'the controller is not connected; jobs start once the link is ready' } };
    },
  };
  const manual = createManualCommands({
    state: () => ({ ...station(), relays: { ...relays } }),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    controller: {
      dose: async (pump, ml, rate, maxMs) => void sent.push(`dose ${pump} ${ml} mL at ${rate} mL/s within ${Math.round(maxMs)} ms`),
      setRelay: async (relay, on, maxMs) => {
        sent.push(`relay ${relay} ${on ? 'on' : 'off'} bound ${maxMs}`);
        if (!options.reportLater) queueMicrotask(() => report(relay, on));
      },
    },
    mlPerSecond: () => options.mlPerSecond ?? 1.2,
    jobs: () => jobs,
  });
  return { manual, sent, started, report, listeners };
}

const mixing: Job = {
  id: 4,
  kind: 'mix',
  spec: { kind: 'mix', relayId: 'mixer', seconds: 300 },
  state: 'running',
  tankId: 'main',
  progress: 0.1,
  etaMs: null,
  detail: '',
  requestedBy: 'Ana',
  createdAt: 0,
  startedAt: 0,
  endedAt: null,
};

describe('manual commands', () => {
  it('run a pump at its calibrated rate, bounded on the device', async () => {
    const { manual, sent } = commands();
    await manual.startDose('nut_a', 12);
    expect(sent).toEqual([expect.stringMatching(/^dose nut_a 12 mL at 1\.2 mL\/s within \d+ ms$/)]);
  });

  it('refuse a pump that is not there, a dose over its cap, and a dose longer than it may run', () => {
    const { manual, sent } = commands({ mlPerSecond: 0.5 });
    expect(() => manual.startDose('nut_z', 5)).toThrow('there is no pump "nut_z" on this controller');
    expect(() => manual.startDose('nut_a', 60)).toThrow('Nutrient A doses at most 50 mL at a time, not 60 mL; dose less');
    expect(() => manual.startDose('nut_a', 40)).toThrow('40 mL at 0.5 mL/s takes 80 s, longer than Nutrient A may run (60 s); dose less');
    expect(sent).toEqual([]);
  });

  it('switch a relay with the bound the device holds it to', async () => {
    const { manual, sent } = commands();
    await manual.setRelay('mixer', true);
    await manual.setRelay('fill', false);
    expect(sent).toEqual(['relay mixer on bound 600000', 'relay fill off bound undefined']);
  });

  describe('answer a switch once the device has reported it', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('so a command right after it sees the relay as it is', async () => {
      vi.useFakeTimers();
      const { manual, report, listeners } = commands({ reportLater: true });
      let answered = false;
      const switching = manual.setRelay('mixer', true).then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(10);
      expect(answered).toBe(false);
      report('mixer', true);
      await switching;
      expect(listeners.size).toBe(0);
    });

    it('and without waiting for ever when the report was lost on the wire', async () => {
      vi.useFakeTimers();
      const { manual, listeners } = commands({ reportLater: true });
      let answered = false;
      const switching = manual.setRelay('mixer', true).then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(RELAY_REPORT_WAIT_MS - 1);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await switching;
      expect(listeners.size).toBe(0);
    });

    it('and at once when the relay already is as asked', async () => {
      const { manual, report, sent } = commands({ reportLater: true });
      report('mixer', true);
      await manual.setRelay('mixer', true);
      await manual.setRelay('fill', false);
      expect(sent).toEqual(['relay mixer on bound 600000', 'relay fill off bound undefined']);
    });
  });

  it('refuse a relay that is not there, one a job holds, and a fill valve outside its job', async () => {
    const { manual, sent } = commands({ holding: mixing });
    await expect(manual.setRelay('nut_a', true)).rejects.toThrow('there is no relay "nut_a" on this controller');
    await expect(manual.setRelay('mixer', false)).rejects.toThrow('relay Mixer is busy with job 4 (run Mixer for 300 s); wait for it or cancel it');
    await expect(manual.setRelay('fill', true)).rejects.toThrow(/^Fill valve fills tank Main; it opens only in a Fill job/);
    expect(sent).toEqual([]);
  });

  it('dose as a job at high priority, saying why a refused one was refused', async () => {
    const { manual, started } = commands();
    await expect(manual.dose('nut_a', 5, 'Ana')).rejects.toMatchObject({ code: 'NOT_READY', message: 'the controller is not connected; jobs start once the link is ready' });
    expect(started).toEqual(['dose by Ana at high']);
  });
});
