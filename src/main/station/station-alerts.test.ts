import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialStationState, type Alert } from '../../shared/station';
import { openStationDatabase, type StationDatabase } from '../db';
import type { ScheduleClock } from '../schedules';
import { StationStore } from '../store';
import { useScratchFolders } from '../../test-support/main/scratch-folder';
import { alertNumbering, createStationAlerts } from './station-alerts';

const scratch = useScratchFolders();

/** A clock held at one instant; the watch's timers never fire in these tests. */
const heldClock: ScheduleClock = { now: () => 1_000, setTimer: () => null, clearTimer: () => {} };

function wired(keeper?: StationDatabase['alerts']) {
  const store = new StationStore(initialStationState(true, 'simulated'));
  const nextId = alertNumbering();
  const sent: Alert[] = [];
  const alerts = createStationAlerts({ store, clock: heldClock, nextId, keeper, notify: (alert) => void sent.push(alert), log: () => {} });
  return { store, nextId, sent, alerts };
}

describe("the station's alerts", () => {
  it("number Tendril's alerts and the controller's in one sequence", () => {
    const { store, nextId, alerts } = wired();
    alerts.raise('warning', 'EC_DRIFT', 'tank Main EC is drifting');
    // The link takes the next number for a controller alarm it reports.
    expect(nextId()).toBe(2);
    alerts.raiseReported({ level: 'error', code: 'PUMP_TIMEOUT', message: 'nut_a ran past its bound', source: 'controller', at: 900 });
    expect(store.state.alerts.map((alert) => [alert.id, alert.code, alert.source])).toEqual([
      [1, 'EC_DRIFT', 'host'],
      [3, 'PUMP_TIMEOUT', 'controller'],
    ]);
  });

  it('send each new alert to the notifier, but not those that waited across a restart', () => {
    const db = openStationDatabase(join(scratch(), 'tendril.db'));
    try {
      const before = wired(db.alerts);
      before.alerts.raise('error', 'OVERFILL', 'tank Main is at 98 L of 100 L');
      expect(before.sent.map((alert) => alert.code)).toEqual(['OVERFILL']);

      const after = wired(db.alerts);
      expect(after.store.state.alerts.map((alert) => alert.code)).toEqual(['OVERFILL']);
      after.alerts.raise('warning', 'EC_DRIFT', 'tank Main EC is drifting');
      expect(after.sent.map((alert) => alert.code)).toEqual(['EC_DRIFT']);
    } finally {
      db.close();
    }
  });

  it('count a repeat into its waiting entry, and acknowledge it for every screen', () => {
    const { store, alerts } = wired();
    alerts.raise('error', 'SENSOR_SUSPECT', 'ph1 has not changed in an hour', 'ph1');
    alerts.raise('error', 'SENSOR_SUSPECT', 'ph1 has not changed in two hours', 'ph1');
    expect(store.state.alerts).toEqual([expect.objectContaining({ id: 1, count: 2, message: 'ph1 has not changed in two hours' })]);
    expect(alerts.acknowledge('all', 'Ana')).toEqual([1]);
    expect(alerts.acknowledge('all', 'Ana')).toEqual([]);
  });

  it('say who pressed the stop, and mark its alert seen by whoever reset it', () => {
    const { store, alerts } = wired();
    alerts.stopRequested('the hall tablet');
    store.apply({ type: 'estop_update', latched: true, source: 'host' });
    const latched = store.state.alerts.find((alert) => alert.code === 'ESTOP_LATCHED');
    expect(latched?.message).toContain('the hall tablet');
    alerts.resetRequested('Ana');
    store.apply({ type: 'estop_update', latched: false, source: null });
    expect(store.state.alerts.find((alert) => alert.id === latched?.id)?.ack).toMatchObject({ by: 'Ana' });
  });
});
