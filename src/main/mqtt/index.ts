export { brokerAddress, MqttPublisher, type MqttPublisherOptions, type MqttSettings, type MqttStation } from './publisher';
export { DEFAULT_DISCOVERY_PREFIX, discoveryConfigs } from './discovery';
export { defaultPrefix, stationTopics, type StationTopics } from './topics';
export { mqttSettingsFrom, publishStation } from './station-publisher';
export { MqttCommands, type MqttCommandSettings } from './commands';
