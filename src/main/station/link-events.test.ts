import { describe, expect, it } from 'vitest';
import type { StationChange } from '../../shared/events';
import { initialStationState, type Channel } from '../../shared/station';
import { defaultTanks } from './default-tank';
import { routeLinkEvent, type LinkEventTargets } from './link-events';

const channels: Channel[] = [
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
  { id: 'ph1', kind: 'ph', name: 'pH' },
];

/** Targets that write down what reached them, over a state the test holds. */
function targets(tanksConfigured = false): LinkEventTargets & { seen: string[]; raised: unknown[] } {
  const seen: string[] = [];
  const raised: unknown[] = [];
  const store = {
    state: initialStationState(true, 'simulated'),
    apply(change: StationChange) {
      seen.push(`apply ${change.type}`);
      if (change.type === 'tanks_update') store.state = { ...store.state, tanks: change.tanks };
    },
  };
  return {
    seen,
    raised,
    store,
    alerts: { raiseReported: (alert) => void raised.push(alert) },
    alarms: { observe: (change) => void seen.push(`observe ${change.type}`) },
    setup: {
      channelsChanged: () => void seen.push('channels changed'),
      schedules: { linkReady: () => void seen.push('link ready'), emergencyStopReleased: () => void seen.push('stop released') },
    },
    tanksConfigured,
  };
}

const deviceUpdate = { type: 'device_update', channels, estop: false } as unknown as StationChange;

describe("routing the link's changes", () => {
  it('sends a controller alarm to the alert book only, with its stamp and source', () => {
    const to = targets();
    routeLinkEvent({ type: 'alert', alert: { id: 7, level: 'error', code: 'PUMP_TIMEOUT', message: 'pump ran past its bound', at: 1_234, source: 'controller', subject: 'nut_a' } }, to);
    expect(to.raised).toEqual([{ level: 'error', code: 'PUMP_TIMEOUT', message: 'pump ran past its bound', at: 1_234, source: 'controller', subject: 'nut_a' }]);
    expect(to.seen).toEqual([]);
  });

  it('applies a change before the reading alarms see it', () => {
    const to = targets();
    routeLinkEvent({ type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: 1 }, to);
    expect(to.seen).toEqual(['apply ecph_reading', 'observe ecph_reading']);
  });

  it('checks calibrations and schedules on a new channel table, and with no tanks configured puts every channel in one tank', () => {
    const to = targets();
    routeLinkEvent(deviceUpdate, to);
    expect(to.seen).toEqual(['apply device_update', 'observe device_update', 'channels changed', 'apply tanks_update']);
    expect(to.store.state.tanks).toEqual([{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['nut_a', 'ph1'] }]);
    // The same table again leaves the tank as it is.
    routeLinkEvent(deviceUpdate, to);
    expect(to.seen.filter((step) => step === 'apply tanks_update')).toHaveLength(1);
  });

  it('leaves configured tanks alone', () => {
    const to = targets(true);
    routeLinkEvent(deviceUpdate, to);
    expect(to.seen).not.toContain('apply tanks_update');
  });

  it('tells the schedules when the link is ready and when the emergency stop is released, not when it latches', () => {
    const to = targets();
    routeLinkEvent({ type: 'link_update', link: { ...to.store.state.link, status: 'ready' } }, to);
    routeLinkEvent({ type: 'estop_update', latched: true, source: 'button' }, to);
    routeLinkEvent({ type: 'estop_update', latched: false, source: null }, to);
    expect(to.seen.filter((step) => !step.startsWith('apply') && !step.startsWith('observe'))).toEqual(['link ready', 'stop released']);
  });
});

describe('the default tank', () => {
  it('holds every channel the controller reports, and is replaced only when they change', () => {
    const first = defaultTanks([], channels);
    expect(first).toEqual([{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['nut_a', 'ph1'] }]);
    expect(defaultTanks(first!, channels)).toBeNull();
    expect(defaultTanks(first!, channels.slice(0, 1))).toEqual([{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: ['nut_a'] }]);
  });
});
