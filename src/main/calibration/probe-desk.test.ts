/**
 * The probe desk with plain inputs: a reminder when a calibration is older than the configured
 * age, once per probe and folded by subject, and calibrated readings carrying their raw value.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeCalibration } from '../../shared/probe-calibration';
import { initialStationState, type Channel, type StationState } from '../../shared/station';
import { memorySetup } from '../station/memory-setup';
import type { Alert } from '../../shared/station';
import { ProbeDesk, settledReminders } from './probe-desk';

const DAY = 86_400_000;
const channels: Channel[] = [
  { id: 'ph1', kind: 'ph', name: 'pH' },
  { id: 'ec1', kind: 'ec', name: 'EC' },
  { id: 'temp1', kind: 'temp', name: 'Water temperature' },
];
const calibration = (at: number): ProbeCalibration => ({ kind: 'ph', slope: 1.1, offset: -0.4, points: [], at, by: 'Ana' });

function deskAt(now: number, reminderDays = 30) {
  const keeper = memorySetup().calibrations;
  keeper.setProbe('ph1', calibration(0));
  keeper.setProbe('ec1', { ...calibration(20 * DAY), kind: 'ec', offset: 0 });
  const state: StationState = { ...initialStationState(false, null), channels, readings: { temp1: { value: 25, at: 0 } } };
  const alerts: Array<{ code: string; message: string; subject?: string }> = [];
  const desk = new ProbeDesk({ keeper, state: () => state, publish: () => {}, alert: (_level, code, message, subject) => void alerts.push({ code, message, subject }), now: () => now, reminderDays });
  return { desk, alerts };
}

describe('the probe desk', () => {
  it('reminds of a calibration older than the configured age, by probe, and not of a younger one', () => {
    const { desk, alerts } = deskAt(31 * DAY);
    desk.remindIfDue(31 * DAY);
    expect(alerts).toEqual([
      { code: 'PROBE_CALIBRATION_DUE', message: 'pH was last calibrated 31 days ago; calibrate the pH probe again in Settings → Calibration', subject: 'calibration:ph1' },
    ]);
    // Looked at again only an hour later.
    desk.remindIfDue(31 * DAY + 60_000);
    expect(alerts).toHaveLength(1);
    const off = deskAt(400 * DAY, 0);
    off.desk.remindIfDue(400 * DAY);
    expect(off.alerts).toEqual([]);
  });

  it('passes a calibrated reading on calibrated with the raw value, and other channels unchanged', () => {
    const { desk } = deskAt(0);
    expect(desk.calibrate({ type: 'ecph_reading', sensorId: 'ph1', value: 6, at: 1 })).toEqual({ type: 'ecph_reading', sensorId: 'ph1', value: 6.2, at: 1, raw: 6 });
    expect(desk.calibrate({ type: 'ecph_reading', sensorId: 'temp1', value: 21, at: 1 })).toEqual({ type: 'ecph_reading', sensorId: 'temp1', value: 21, at: 1 });
  });

  it('settles a waiting reminder once its probe is calibrated after it was last raised, in the calibrator’s name', () => {
    const reminder = (id: number, subject: string, at: number, more: Partial<Alert> = {}): Alert => ({
      id,
      level: 'warning',
      code: 'PROBE_CALIBRATION_DUE',
      message: 'calibrate it again',
      at,
      source: 'host',
      subject,
      ...more,
    });
    const probes = { ph1: calibration(40 * DAY), ec1: { ...calibration(40 * DAY), kind: 'ec' as const, by: 'Ben' } };
    expect(
      settledReminders(
        [
          reminder(1, 'calibration:ph1', 31 * DAY),
          // Raised again after the calibration: still due as far as it knows.
          reminder(2, 'calibration:ec1', 31 * DAY, { lastAt: 41 * DAY }),
          reminder(3, 'calibration:ec1', 31 * DAY),
          reminder(4, 'calibration:ph1', 31 * DAY, { ack: { by: 'Ana', at: 32 * DAY } }),
          reminder(5, 'calibration:ph2', 31 * DAY),
          { ...reminder(6, 'calibration:ph1', 31 * DAY), code: 'READING_HIGH' },
        ],
        probes,
      ),
    ).toEqual([
      { id: 1, by: 'Ana' },
      { id: 3, by: 'Ben' },
    ]);
  });
});
