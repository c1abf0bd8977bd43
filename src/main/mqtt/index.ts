export { brokerAddress, MqttPublisher, type MqttPublisherOptions, type MqttSettings, type MqttStation } from './publisher';
export { DEFAULT_DISCOVERY_PREFIX, discoveryConfigs } from './discovery';
export { defaultPrefix, stationTopics, type StationTopics } from './topics';
export { mqttSettingsFrom, publishStation, startMqtt, watchFleet } from './station-publisher';
export { MqttDesk, type MqttDeskOptions, type RunningMqtt } from './desk';
export { FleetWatcher } from './fleet-watcher';
export { MqttCommands, type MqttCommandSettings } from './commands';
