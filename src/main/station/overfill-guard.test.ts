import { describe, expect, it } from 'vitest';
import { initialStationState, type StationState } from '../../shared/station';
import { StationSimulator } from '../simulator';
import { waitFor } from '../../test-support/main/sim-process';
import { createStationCore } from './core';
import { OverfillGuard, watchForOverfill } from './overfill-guard';
import type { StationEvent } from '../../shared/events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function tankState(level: number, valveOn: boolean): StationState {
  const state = initialStationState(true, 'simulated');
  return {
    ...state,
    channels: [
      { id: 'fill', kind: 'relay', name: 'Fill valve' },
      { id: 'flow', kind: 'flow', name: 'Inlet' },
      { id: 'level', kind: 'level', name: 'Level', unit: 'L' },
    ],
    tanks: [{ id: 'main', name: 'Main', capacityL: 100, channelIds: ['fill', 'flow', 'level'] }],
    relays: { fill: { on: valveOn, why: 'cmd' } },
    readings: { level: { value: level, at: 0 } },
  };
}

describe('the overfill guard', () => {
  it('closes an open fill valve once the water is half way into the headroom, and says so once', () => {
    const closed: string[] = [];
    const alerts: string[] = [];
    const guard = new OverfillGuard({ closeValve: async (id) => void closed.push(id), alert: (_level, code, message) => void alerts.push(`${code} ${message}`) });
    guard.check(tankState(97.4, true));
    expect(closed).toEqual([]);
    guard.check(tankState(97.5, true));
    guard.check(tankState(97.9, true));
    expect(closed).toEqual(['fill']);
    expect(alerts).toEqual([expect.stringMatching(/^OVERFILL tank Main is at 97\.5 L of 100 L with Fill valve open; Tendril closed it/)]);
    // A level high with the valve shut is left alone; back below the mark, the guard re-arms.
    guard.check(tankState(98, false));
    guard.check(tankState(90, false));
    guard.check(tankState(98, true));
    expect(closed).toEqual(['fill', 'fill']);
  });

  it('keeps trying, and says to shut the water off by hand, when the valve cannot be closed', async () => {
    const alerts: string[] = [];
    let attempts = 0;
    const guard = new OverfillGuard({
      closeValve: async () => {
        attempts++;
        throw new Error('the controller is not connected');
      },
      alert: (_level, _code, message) => void alerts.push(message),
    });
    guard.check(tankState(99, true));
    await Promise.resolve();
    await Promise.resolve();
    expect(alerts[1]).toMatch(/could not close Fill valve .*close the water supply by hand now/);
    guard.check(tankState(99, true));
    expect(attempts).toBe(2);
  });
});

describe('the overfill watch', () => {
  it("checks after every change that can move a level or a valve, not after the link's counters or an alert", () => {
    const closed: string[] = [];
    let listener: ((event: StationEvent, state: StationState) => void) | null = null;
    const stopWatching = watchForOverfill({
      subscribe: (next) => ((listener = next), () => (listener = null)),
      closeValve: async (id) => void closed.push(id),
      alert: () => {},
    });
    const stats = { linesIn: 0, linesOut: 0, badChecksum: 0, garbage: 0, syntax: 0, overlong: 0, unknownEvents: 0, retries: 0, timeouts: 0, reconnects: 0 };
    listener!({ seq: 1, epoch: 'e', type: 'link_stats', stats }, tankState(99, true));
    listener!({ seq: 2, epoch: 'e', type: 'alert', alert: { id: 1, level: 'info', code: 'NOTE', message: 'a note', at: 0, source: 'host' } }, tankState(99, true));
    expect(closed).toEqual([]);
    listener!({ seq: 3, epoch: 'e', type: 'relay_update', relayId: 'fill', on: true, why: 'cmd' }, tankState(99, true));
    expect(closed).toEqual(['fill']);
    stopWatching();
    expect(listener).toBeNull();
  });
});

describe('the fill valve outside a Fill job', () => {
  it('is not opened by hand or by a mix; closing it is always allowed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tendril-fill-valve-'));
    const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: new StationSimulator() });
    try {
      await core.start();
      await waitFor(() => core.state().link.status === 'ready' && core.state().tanks.length > 0, 10_000, 'the simulated station');
      await expect(core.setRelay('fill', true)).rejects.toThrow(/Fill valve fills tank Main tank; it opens only in a Fill job.*Start a fill in Jobs instead/);
      await core.setRelay('fill', false);
      const mix = core.jobs.start({ kind: 'mix', relayId: 'fill', seconds: 300 }, 'Ana');
      expect(mix).toMatchObject({ ok: false, error: { message: expect.stringContaining('it opens only in a Fill job') } });
      expect(core.state().relays['fill']?.on).toBe(false);
    } finally {
      await core.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
