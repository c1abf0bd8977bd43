import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/station';
import { ADVISED_CODES, adviceFor } from './advice';
import { repeatWords, splitAlerts, visibleAlerts } from './alert-list';
import { addToasts, alertKey, takeFresh, toastLifetimeMs } from './fresh-alerts';

function alert(id: number, level: Alert['level'] = 'warning', code = 'NO_FLOW', at = 1_000 + id): Alert {
  return { id, level, code, message: `alert ${id}`, at, source: 'host' };
}

describe('fresh alerts', () => {
  it('treats what is there on opening as history', () => {
    const first = takeFresh(null, [alert(1), alert(2)]);
    expect(first.fresh).toEqual([]);
    expect(first.seen).toEqual(new Set([alertKey(alert(1)), alertKey(alert(2))]));
  });

  it('finds the new ones, oldest first', () => {
    const { seen } = takeFresh(null, [alert(1)]);
    expect(takeFresh(seen, [alert(1), alert(2), alert(3)]).fresh.map((a) => a.id)).toEqual([2, 3]);
  });

  it('knows an alert with a reused id after a station restart is new', () => {
    const { seen } = takeFresh(null, [alert(1, 'warning', 'NO_FLOW', 1_000)]);
    const restarted = alert(1, 'warning', 'JOB_INTERRUPTED', 9_000);
    expect(takeFresh(seen, [restarted]).fresh).toEqual([restarted]);
  });

  it('remembers only what the station still holds', () => {
    const { seen } = takeFresh(null, [alert(1), alert(2)]);
    expect(takeFresh(seen, [alert(2), alert(3)]).seen).toEqual(new Set([alertKey(alert(2)), alertKey(alert(3))]));
  });
});

describe('toasts', () => {
  it('keeps the newest few', () => {
    const toasts = addToasts([], [alert(1), alert(2), alert(3)], 2);
    expect(toasts.map((toast) => toast.alert.id)).toEqual([2, 3]);
    expect(addToasts(toasts, [alert(4)], 2).map((toast) => toast.alert.id)).toEqual([3, 4]);
  });

  it('leaves errors up until dismissed', () => {
    expect(toastLifetimeMs(alert(1, 'error'))).toBeNull();
    expect(toastLifetimeMs(alert(1, 'warning'))).toBe(8_000);
    expect(toastLifetimeMs(alert(1, 'info'))).toBe(8_000);
  });
});

describe('the alert list', () => {
  it('shows newest first, filtered by level', () => {
    const alerts = [alert(1, 'error'), alert(2, 'info'), alert(3, 'error')];
    expect(visibleAlerts(alerts, 'all').map((a) => a.id)).toEqual([3, 2, 1]);
    expect(visibleAlerts(alerts, 'error').map((a) => a.id)).toEqual([3, 1]);
    expect(alerts.map((a) => a.id)).toEqual([1, 2, 3]);
  });

  it('keeps what waits for a person apart from the past, newest first', () => {
    const acked: Alert = { ...alert(2, 'error'), ack: { by: 'Kitchen tablet', at: 5_000 } };
    const { waiting, past } = splitAlerts([alert(1, 'warning'), acked, alert(3, 'info'), alert(4, 'error')], 'all');
    expect(waiting.map((a) => a.id)).toEqual([4, 1]);
    expect(past.map((a) => a.id)).toEqual([3, 2]);
    expect(splitAlerts([alert(1, 'warning'), alert(4, 'error')], 'error').waiting.map((a) => a.id)).toEqual([4]);
  });

  it('says how often a folded alert was raised, and when last', () => {
    expect(repeatWords(alert(1))).toBeNull();
    expect(repeatWords({ ...alert(1), count: 5, lastAt: 9_000 }, (at) => `t${at}`)).toBe('Raised 5 times, last at t9000');
  });

  it('has advice for every code the station raises', () => {
    for (const code of ['LINK_LOST', 'JOB_INTERRUPTED', 'NO_FLOW', 'FILL_TIMEOUT', 'FILL_LEVEL', 'FILL_CAPACITY', 'DOSE_SHORT', 'SENSOR_NO_RESPONSE', 'NO_CIRCULATION', 'NOT_IN_BAND', 'RECIPE_NOTE', 'LINK_BACK', 'LINK_QUALITY', 'LINK_QUALITY_OK', 'CONTROLLER_RESTARTED', 'ESTOP_LATCHED', 'ESTOP_RESET']) {
      expect(ADVISED_CODES).toContain(code);
    }
    expect(adviceFor('SOMETHING_NEW')).toBeUndefined();
    expect(adviceFor('toString')).toBeUndefined();
  });
});
