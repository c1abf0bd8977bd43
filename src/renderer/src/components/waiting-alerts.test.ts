import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/station';
import { bannerAlerts, countWords, pageTitle, waitingSummary } from './waiting-alerts';

function alert(id: number, level: Alert['level'], code = 'X', acked = false): Alert {
  return { id, level, code, message: `alert ${id}`, at: id, source: 'host', ...(acked ? { ack: { by: 'Kitchen tablet', at: 99 } } : {}) };
}

describe('alerts waiting for a person, as the frame shows them', () => {
  it('puts the count in the page title, so a tab in the background shows it', () => {
    expect(pageTitle(0)).toBe('Tendril');
    expect(pageTitle(3)).toBe('(3) Tendril');
    expect(countWords(1)).toBe('1 alert');
    expect(countWords(2)).toBe('2 alerts');
  });

  it('counts warnings and critical alerts nobody acknowledged, never notes', () => {
    expect(waitingSummary([alert(1, 'info'), alert(2, 'warning'), alert(3, 'error', 'Y', true)])).toEqual({ count: 1, level: 'warning' });
    expect(waitingSummary([alert(1, 'warning'), alert(2, 'error')])).toEqual({ count: 2, level: 'error' });
    expect(waitingSummary([alert(1, 'info')])).toEqual({ count: 0, level: null });
  });

  it('keeps critical alerts as a banner until acknowledged, newest first, leaving the stop to its own banner while latched', () => {
    const alerts = [alert(1, 'error', 'LINK_LOST'), alert(2, 'error', 'ESTOP_LATCHED'), alert(3, 'warning'), alert(4, 'error', 'Z', true)];
    expect(bannerAlerts({ alerts, estop: { latched: false, source: null } }).map((a) => a.id)).toEqual([2, 1]);
    expect(bannerAlerts({ alerts, estop: { latched: true, source: 'host' } }).map((a) => a.id)).toEqual([1]);
  });
});
