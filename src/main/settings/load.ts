/**
 * settings.json, read once at start: every section with its defaults where it is missing, and a
 * warning for each section that could not be used. The grower edits this file by hand, so a
 * mistake in one section never stops the station or costs the others: that section falls back
 * (to the simulator, one tank, the default limits, no notifications, the LAN server off) and its
 * warning says what to fix. The file itself is never rewritten here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssue } from '../../shared/commands';
import { DEFAULT_BAUD } from '../../shared/baud';
import { DEFAULT_LIMITS, type SafetyLimits } from '../../shared/limits';
import { DEFAULT_HEADROOM_L } from '../../shared/plumbing';
import { DEFAULT_NOTIFY_SETTINGS, NOTIFY_SETTINGS_SCHEMA, type NotifySettings } from '../../shared/notify';
import { DEFAULT_DESKTOP, DEFAULT_LAN, DESKTOP_SCHEMA, LAN_SCHEMA, readDesktop, readLan, type DesktopSettings, type LanSettings } from './desktop';
import { DEFAULT_HISTORY, HISTORY_SCHEMA, readHistory, type HistorySettings } from './history';
import { DEFAULT_MQTT, MQTT_SCHEMA, readMqtt, type MqttSettingsSection } from './mqtt';
import { DEFAULT_SENSOR_HEALTH, readSafety, readSensorHealth, SAFETY_SCHEMA, SENSOR_HEALTH_SCHEMA, type SensorHealthSettings } from './rules';
import type { SectionRead } from './section';
import { SETTINGS_FILE } from './settings-file';
import { DEFAULT_ML_PER_SECOND, EMPTY_LAYOUT, isRecord, LAYOUT_FALLBACK, LAYOUT_SCHEMA, readLayout, readStationSource, STATION_SCHEMA, type SavedStationSource, type StationLayout } from './station';

/** The whole file, section by section: what docs/deployment.md's reference table lists. */
export const SETTINGS_SCHEMA = z.object({
  station: STATION_SCHEMA.optional(),
  ...LAYOUT_SCHEMA.shape,
  safety: SAFETY_SCHEMA.optional(),
  sensorHealth: SENSOR_HEALTH_SCHEMA.optional(),
  history: HISTORY_SCHEMA.optional(),
  notify: NOTIFY_SETTINGS_SCHEMA.optional(),
  lan: LAN_SCHEMA.optional(),
  desktop: DESKTOP_SCHEMA.optional(),
  mqtt: MQTT_SCHEMA.optional(),
});

/**
 * What each key is when the file leaves it out, keyed as docs/deployment.md's reference table
 * writes them: `tanks[]` for every tank, `<id>` for every pump. `notify` is written whole by
 * Settings; these are its values while it is missing.
 */
export const SETTINGS_DEFAULTS = {
  station: { baud: DEFAULT_BAUD },
  'tanks[]': { headroomL: DEFAULT_HEADROOM_L },
  pumps: { '<id>': { mlPerSecond: DEFAULT_ML_PER_SECOND } },
  safety: DEFAULT_LIMITS,
  sensorHealth: DEFAULT_SENSOR_HEALTH,
  history: DEFAULT_HISTORY,
  notify: DEFAULT_NOTIFY_SETTINGS,
  lan: DEFAULT_LAN,
  desktop: DEFAULT_DESKTOP,
  mqtt: DEFAULT_MQTT,
} as const;

/** The parts of the file that fall back together; `layout` is `tanks`, `pumps` and `flowMeters`. */
export type SettingsSection = 'station' | 'layout' | 'safety' | 'sensorHealth' | 'history' | 'notify' | 'lan' | 'desktop' | 'mqtt';

export interface SettingsWarning {
  section: SettingsSection;
  message: string;
  /** Only what is wrong, without the file or the consequence, where a shell words those itself. */
  issue?: string;
}

export interface LoadedSettings {
  file: string;
  station: SavedStationSource;
  layout: StationLayout;
  safety: SafetyLimits;
  sensorHealth: SensorHealthSettings;
  /** How long the sensor history keeps raw readings and minutes. */
  history: HistorySettings;
  notify: NotifySettings;
  lan: LanSettings;
  /** The `lan` keys the file gives, for headless, whose own defaults differ. */
  lanGiven: Partial<LanSettings>;
  desktop: DesktopSettings;
  /** Publishing to an MQTT broker; null while off (the default). */
  mqtt: MqttSettingsSection | null;
  /** One for each section that could not be used. Each shell logs the ones it acts on. */
  warnings: SettingsWarning[];
}

export function loadSettings(dataDir: string): LoadedSettings {
  const file = join(dataDir, SETTINGS_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // A fresh install: no settings yet.
  }
  let settings: unknown = {};
  if (text !== null) {
    try {
      settings = JSON.parse(text);
    } catch (err) {
      return notJson(file, (err as Error).message);
    }
  }
  const section = (key: string): unknown => (isRecord(settings) ? settings[key] : undefined);
  const warnings: SettingsWarning[] = [];
  const use = <T>(name: SettingsSection, read: SectionRead<T>): T => {
    if (read.warning) warnings.push({ section: name, message: read.warning, ...(read.issue ? { issue: read.issue } : {}) });
    return read.value;
  };
  const lan = readLan(section('lan'), file);
  return {
    file,
    station: use('station', readStationSource(section('station'), file)),
    layout: use('layout', readLayout(settings, file)),
    safety: use('safety', readSafety(section('safety'))),
    sensorHealth: use('sensorHealth', readSensorHealth(section('sensorHealth'))),
    history: use('history', readHistory(section('history'), file)),
    notify: use('notify', readNotify(section('notify'), file)),
    lan: use('lan', lan),
    lanGiven: lan.given,
    desktop: use('desktop', readDesktop(section('desktop'), file)),
    mqtt: use('mqtt', readMqtt(section('mqtt'), file)),
    warnings,
  };
}

/** The warning about one section, if it fell back. */
export function warningOf(settings: Pick<LoadedSettings, 'warnings'>, section: SettingsSection): string | undefined {
  return settings.warnings.find((warning) => warning.section === section)?.message;
}

/** Settings that do not parse leave every channel off, rather than send to half of what was meant. */
function readNotify(section: unknown, file: string): SectionRead<NotifySettings> {
  if (section === undefined) return { value: DEFAULT_NOTIFY_SETTINGS };
  const parsed = NOTIFY_SETTINGS_SCHEMA.safeParse(section);
  if (!parsed.success) {
    return {
      value: DEFAULT_NOTIFY_SETTINGS,
      warning: `${file}: notify.${describeIssue(parsed.error.issues[0])}; no notifications are sent until it is fixed or saved again from Settings`,
    };
  }
  return { value: parsed.data };
}

/**
 * A file that is not JSON at all: everything falls back. The controller and the layout say so,
 * as the parts a grower notices first; the other sections would only repeat it.
 */
function notJson(file: string, reason: string): LoadedSettings {
  const because = `${file} is not valid JSON (${reason})`;
  return {
    file,
    station: { kind: 'simulated' },
    layout: EMPTY_LAYOUT,
    safety: DEFAULT_LIMITS,
    sensorHealth: DEFAULT_SENSOR_HEALTH,
    history: DEFAULT_HISTORY,
    notify: DEFAULT_NOTIFY_SETTINGS,
    lan: DEFAULT_LAN,
    lanGiven: {},
    desktop: DEFAULT_DESKTOP,
    mqtt: null,
    warnings: [
      { section: 'station', message: `${because}; using the simulated station until it is fixed` },
      { section: 'layout', message: `${because}; ${LAYOUT_FALLBACK}` },
    ],
  };
}
