/**
 * settings.json read once, on real files in a temporary folder. The file is the grower's, edited
 * by hand: each section that cannot be used falls back alone and says why, in the words the
 * station has always logged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared/limits';
import { DEFAULT_NOTIFY_SETTINGS } from '../../shared/notify';
import { createStationCore } from '../station';
import { DEFAULT_DESKTOP, DEFAULT_LAN } from './desktop';
import { loadSettings, warningOf } from './load';
import { DEFAULT_SENSOR_HEALTH } from './rules';

// The real readFileSync, counted: the point is how often settings.json is opened.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, readFileSync: vi.fn(fs.readFileSync) };
});

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(settings?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-settings-'));
  folders.push(dir);
  if (settings !== undefined) writeFileSync(join(dir, 'settings.json'), typeof settings === 'string' ? settings : JSON.stringify(settings));
  return dir;
}

const readsOfSettings = () => vi.mocked(readFileSync).mock.calls.filter(([path]) => String(path).endsWith('settings.json')).length;

describe('loadSettings', () => {
  it('gives every section its defaults on a fresh install, with nothing to warn about', () => {
    const dir = folder();
    expect(loadSettings(dir)).toEqual({
      file: join(dir, 'settings.json'),
      station: { kind: 'simulated' },
      layout: { tanks: null, mlPerSecond: {}, pulsesPerLiter: {} },
      safety: DEFAULT_LIMITS,
      sensorHealth: DEFAULT_SENSOR_HEALTH,
      history: { rawDays: 7, minuteDays: 365 },
      notify: DEFAULT_NOTIFY_SETTINGS,
      lan: DEFAULT_LAN,
      lanGiven: {},
      desktop: DEFAULT_DESKTOP,
      mqtt: null,
      warnings: [],
    });
  });

  it('reads the file once for every section', () => {
    const dir = folder({ station: { serialPath: 'auto' }, tanks: [{ id: 'veg', name: 'Veg', capacityL: 100, channelIds: [] }], lan: { port: 4600 }, desktop: { closeToTray: false } });
    vi.mocked(readFileSync).mockClear();
    const settings = loadSettings(dir);
    expect(readsOfSettings()).toBe(1);
    expect(settings.station).toEqual({ kind: 'auto', baud: 115200 });
    expect(settings.layout.tanks?.map((tank) => tank.id)).toEqual(['veg']);
    expect(settings.lan).toEqual({ ...DEFAULT_LAN, enabled: true, host: '0.0.0.0', port: 4600 });
    expect(settings.lanGiven).toEqual({ port: 4600 });
    expect(settings.desktop).toEqual({ closeToTray: false, startAtLogin: false });
  });

  it('is not read again by a station core handed the sections, and once by one that is not', async () => {
    const dir = folder({ safety: { pump: { maxMlPerDose: 12 } } });
    const settings = loadSettings(dir);
    vi.mocked(readFileSync).mockClear();
    const handed = createStationCore({ source: { kind: 'simulated' }, dataDir: dir, settings });
    expect(readsOfSettings()).toBe(0);
    expect(handed.state().limits.pump.maxMlPerDose).toBe(12);
    const own = createStationCore({ source: { kind: 'simulated' }, dataDir: dir });
    expect(readsOfSettings()).toBe(1);
    expect(own.state().limits.pump.maxMlPerDose).toBe(12);
    await Promise.all([handed.shutdown(), own.shutdown()]);
  });

  it('fills what a section leaves out with the defaults, key by key', () => {
    const settings = loadSettings(folder({ safety: { pump: { maxMlPerDay: 80 } }, sensorHealth: { clearAfterMs: 60_000 } }));
    expect(settings.safety.pump).toEqual({ ...DEFAULT_LIMITS.pump, maxMlPerDay: 80 });
    expect(settings.safety.fill).toEqual(DEFAULT_LIMITS.fill);
    expect(settings.sensorHealth).toEqual({ ...DEFAULT_SENSOR_HEALTH, clearAfterMs: 60_000 });
    expect(settings.warnings).toEqual([]);
  });

  it('ignores top-level keys it does not know, as before', () => {
    expect(loadSettings(folder({ comment: 'veg room', station: { serialPath: 'COM3', label: 'the Mega' } })).warnings).toEqual([]);
  });

  it('lets a bad section fall back alone, with a warning that names the file, the field and what happens meanwhile', () => {
    const dir = folder({
      station: { serialPath: '/dev/ttyUSB0', baud: 115201 },
      tanks: [{ id: 'veg tank', name: 'Veg', capacityL: 100, channelIds: [] }],
      safety: { pump: { maxMlPerDose: -1 } },
      sensorHealth: { stuckAfterMinutes: 20 },
      notify: { webhook: {} },
      lan: { port: 70000 },
      desktop: { closeToTry: false },
    });
    const file = join(dir, 'settings.json');
    const settings = loadSettings(dir);
    expect(settings.warnings.map((warning) => warning.section)).toEqual(['station', 'layout', 'safety', 'sensorHealth', 'notify', 'lan', 'desktop']);
    expect(warningOf(settings, 'station')).toBe(`${file}: station.baud must be one of 9600, 19200, 38400, 57600, 115200, 230400, 250000, 460800, 500000, 921600, 1000000; using the simulated station`);
    expect(warningOf(settings, 'layout')).toBe(`${file}: tanks.0.id: a tank id is 1 to 32 letters, digits, "_" or "-"; using one tank and uncalibrated pumps until it is fixed`);
    expect(warningOf(settings, 'safety')).toMatch(/^safety\.pump\.maxMlPerDose: .+; using the default safety limits until it is fixed$/);
    expect(warningOf(settings, 'sensorHealth')).toBe('sensorHealth.unknown field "stuckAfterMinutes"; remove it; using the default sensor health rules until it is fixed');
    expect(warningOf(settings, 'notify')).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: notify\\..+; no notifications are sent until it is fixed or saved again from Settings$`));
    expect(warningOf(settings, 'lan')).toBe(`${file}: port: lan.port must be 1 to 65535; the LAN server stays off until it is fixed`);
    expect(settings.warnings.find((warning) => warning.section === 'lan')?.issue).toBe('port: lan.port must be 1 to 65535');
    expect(warningOf(settings, 'desktop')).toBe(`${file}: desktop has an unknown field "closeToTry"; remove it; the desktop app uses its defaults (keep running in the tray, do not start at login) until it is fixed`);
    expect(settings).toMatchObject({
      station: { kind: 'simulated' },
      layout: { tanks: null },
      safety: DEFAULT_LIMITS,
      sensorHealth: DEFAULT_SENSOR_HEALTH,
      notify: DEFAULT_NOTIFY_SETTINGS,
      lan: { ...DEFAULT_LAN, enabled: false },
      desktop: DEFAULT_DESKTOP,
    });
  });

  it('keeps the safety limits the grower set when a tank is wrong', () => {
    const settings = loadSettings(folder({ tanks: [{ id: 'veg' }], safety: { pump: { maxMlPerDose: 5 } } }));
    expect(warningOf(settings, 'layout')).toMatch(/using one tank and uncalibrated pumps/);
    expect(settings.safety.pump.maxMlPerDose).toBe(5);
  });

  it('falls back everywhere when the file is not JSON, saying so for the controller and the tanks', () => {
    const dir = folder('{ "station": ');
    const file = join(dir, 'settings.json');
    const settings = loadSettings(dir);
    expect(settings.warnings.map((warning) => warning.section)).toEqual(['station', 'layout']);
    expect(warningOf(settings, 'station')).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.+\\); using the simulated station until it is fixed$`));
    expect(warningOf(settings, 'layout')).toMatch(/ is not valid JSON \(.+\); using one tank and uncalibrated pumps until it is fixed$/);
    expect(settings).toMatchObject({ station: { kind: 'simulated' }, safety: DEFAULT_LIMITS, lan: DEFAULT_LAN, desktop: DEFAULT_DESKTOP });
  });

  it('reads a port with no baud at the default speed, and no port as the simulated station', () => {
    expect(loadSettings(folder({ station: { serialPath: '/dev/ttyACM0' } })).station).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
    expect(loadSettings(folder({ station: { serialPath: '', baud: 'fast' } })).station).toEqual({ kind: 'simulated' });
    expect(loadSettings(folder({ station: { baud: 57600 } })).warnings).toEqual([]);
  });
});

it('leaves the file exactly as it was', () => {
  const text = '{ "tanks": [{ "id": "veg tank" }] }';
  const dir = folder(text);
  loadSettings(dir);
  expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(text);
});
