export { loadSettings, warningOf, SETTINGS_DEFAULTS, SETTINGS_SCHEMA, type LoadedSettings, type SettingsSection, type SettingsWarning } from './load';
export { sectionOf, SETTINGS_FILE, SettingsFileError, updateSettingsFile, updateSettingsSection, type Settings } from './settings-file';
export { DEFAULT_DESKTOP, DEFAULT_LAN, MAX_LAN_WORKERS, type DesktopSettings, type LanSettings } from './desktop';
export { DEFAULT_SENSOR_HEALTH, readSafety, type SensorHealthSettings } from './rules';
export { DEFAULT_ML_PER_SECOND, readLayout, type SavedStationSource, type StationLayout } from './station';
export { DEFAULT_MQTT, loadMqttSection, mqttUrlProblem, readMqtt, readMqttSection, type MqttSettingsSection } from './mqtt';
export { DEFAULT_HISTORY, historyRetention, type HistorySettings } from './history';
