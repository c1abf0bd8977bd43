import { describe, expect, it } from 'vitest';
import { DEFAULT_READING_ALARMS } from '../../shared/reading-alarms';
import { initialStationState, type AlertLevel, type Channel } from '../../shared/station';
import { Refusal } from '../../shared/refusal';
import { StationStore } from '../store';
import { memoryAlarmKeeper, ReadingAlarmDesk, readSettings } from './reading-alarm-desk';

const CHANNELS: Channel[] = [
  { id: 'ph1', kind: 'ph', name: 'pH', unit: 'pH' },
  { id: 'level1', kind: 'level', name: 'Tank level', unit: 'L' },
  { id: 'mixer', kind: 'relay', name: 'Mixer' },
];

/** A desk on a real store with a fake clock: readings are fed with their own times. */
function desk(stored?: unknown) {
  const store = new StationStore(initialStationState(true, 'simulated'));
  store.apply({ type: 'tanks_update', tanks: [{ id: 'veg', name: 'Veg tank', capacityL: 200, channelIds: ['ph1', 'level1', 'mixer'] }] });
  store.apply({
    type: 'device_update',
    device: { device: 'sim', firmware: '1', protocol: '1.1', serial: 'S', window: 1, watchdogMs: 3000 },
    channels: CHANNELS,
    relays: {},
    pumps: {},
    flows: {},
    readings: {},
    estop: false,
    alarm: null,
    at: 0,
  });
  const keeper = memoryAlarmKeeper();
  if (stored !== undefined) keeper.save(stored as never, { at: 0, by: 'test', what: 'setup', old: null, new: null });
  keeper.audit.length = 0;
  const alerts: Array<{ level: AlertLevel; code: string; message: string; subject?: string }> = [];
  let now = 1000;
  const alarms = new ReadingAlarmDesk({
    keeper,
    state: () => store.state,
    apply: (change) => store.apply(change),
    alert: (level, code, message, subject) => alerts.push({ level, code, message, subject }),
    now: () => now,
  });
  alarms.start();
  const feed = (sensorId: string, values: number[], start: number) =>
    values.forEach((value, i) => alarms.observe({ type: 'ecph_reading', sensorId, value, at: start + i * 1000 }));
  return { store, alarms, alerts, keeper, feed, setNow: (at: number) => (now = at) };
}

describe('the reading alarm desk', () => {
  it('raises a warning, then an error past the critical limit, then eases and clears, each once', () => {
    const { alarms, alerts, feed, store } = desk();
    alarms.configure({ kind: 'ph' }, { ...DEFAULT_READING_ALARMS.kinds.ph, holdSeconds: 0 }, 'desktop');
    feed('ph1', [6.0, 6.8, 6.8, 7.4, 7.4, 6.8, 6.0, 6.0], 0);
    expect(alerts.map((alert) => [alert.level, alert.code])).toEqual([
      ['warning', 'READING_HIGH'],
      ['error', 'READING_HIGH'],
      ['warning', 'READING_HIGH'],
      ['info', 'READING_BACK'],
    ]);
    expect(alerts[2]!.message).toBe('Veg tank: pH is still high at 6.80, above the warning limit of 6.5 (no longer past the critical one)');
    expect(alerts.every((alert) => alert.subject === 'reading ph1')).toBe(true);
    expect(store.state.readingBands['ph1']).toEqual({ zone: 'in_band', limit: null, since: 6000 });
  });

  it('takes a level’s percent limits against its tank, and names litres', () => {
    const { alerts, feed, store } = desk({ kinds: { level: { ...DEFAULT_READING_ALARMS.kinds.level, holdSeconds: 0 } }, sensors: {} });
    // 10% of 200 L is 20 L: empty.
    feed('level1', [120, 19.5], 0);
    expect(alerts).toEqual([{ level: 'error', code: 'READING_LOW', message: 'Veg tank: Tank level is low at 19.5 L, below the critical limit of 20.0 L', subject: 'reading level1' }]);
    expect(store.state.readingBands['level1']).toMatchObject({ zone: 'critical_low', limit: 20 });
  });

  it('shows a moved limit on a band that is out at once', () => {
    const { alarms, feed, store } = desk();
    alarms.configure({ sensorId: 'ph1' }, { ...DEFAULT_READING_ALARMS.kinds.ph, holdSeconds: 0 }, 'desktop');
    feed('ph1', [7.9], 0);
    alarms.configure({ sensorId: 'ph1' }, { ...DEFAULT_READING_ALARMS.kinds.ph, criticalHigh: 7.5, holdSeconds: 0 }, 'desktop');
    expect(store.state.readingBands['ph1']).toMatchObject({ zone: 'critical_high', limit: 7.5 });
  });

  it('refuses what it cannot apply, and keeps what it had', () => {
    const { alarms, keeper } = desk();
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof Refusal ? `${err.code}: ${err.message}` : String(err);
      }
      return 'accepted';
    };
    const limits = DEFAULT_READING_ALARMS.kinds.ph;
    expect(attempt(() => alarms.configure({}, limits, 'desktop'))).toMatch(/^INVALID: give either sensorId/);
    expect(attempt(() => alarms.configure({ sensorId: 'ph1', kind: 'ph' }, limits, 'desktop'))).toMatch(/^INVALID/);
    expect(attempt(() => alarms.configure({ sensorId: 'mixer' }, limits, 'desktop'))).toMatch(/^NOT_FOUND: there is no sensor "mixer"/);
    expect(attempt(() => alarms.configure({ sensorId: 'ph1' }, { ...limits, percentOfCapacity: true }, 'desktop'))).toBe('INVALID: percentOfCapacity is for level sensors only');
    expect(attempt(() => alarms.configure({ kind: 'ph' }, { ...limits, criticalLow: 6 }, 'desktop'))).toBe('INVALID: criticalLow (6) must be below warningLow (5.5)');
    expect(alarms.current()).toEqual(DEFAULT_READING_ALARMS);
    expect(keeper.audit).toEqual([]);
  });

  it('audits who changed what, when, from what to what', () => {
    const { alarms, keeper, setNow } = desk();
    setNow(5000);
    const own = { ...DEFAULT_READING_ALARMS.kinds.ph, warningHigh: 6.3 };
    alarms.configure({ sensorId: 'ph1' }, own, 'Ana’s phone');
    setNow(6000);
    alarms.configure({ kind: 'ph' }, null, 'desktop');
    expect(keeper.audit).toEqual([
      { at: 5000, by: 'Ana’s phone', what: 'sensor ph1', old: null, new: own },
      { at: 6000, by: 'desktop', what: 'kind ph', old: DEFAULT_READING_ALARMS.kinds.ph, new: DEFAULT_READING_ALARMS.kinds.ph },
    ]);
  });
});

describe('stored limits', () => {
  it('keep every valid entry and fall back, with a warning, for a broken one', () => {
    const warnings: string[] = [];
    const settings = readSettings(
      { kinds: { ph: { warningLow: 7, warningHigh: 6, hysteresis: 0, holdSeconds: 0 }, ec: { warningLow: 1, hysteresis: 0, holdSeconds: 5 } }, sensors: { ph1: 'junk' } },
      (line) => warnings.push(line),
    );
    expect(settings.kinds.ph).toEqual(DEFAULT_READING_ALARMS.kinds.ph);
    expect(settings.kinds.ec).toEqual({ warningLow: 1, hysteresis: 0, holdSeconds: 5 });
    expect(settings.sensors).toEqual({});
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/kind ph are not valid \(warningLow \(7\) must be below warningHigh \(6\)\)/);
  });
});
