/**
 * The publisher on a running station: settings.json's `mqtt` (or headless's --mqtt) in, the
 * station core's state, events and alerts as its source.
 */
import type { MqttSettingsSection } from '../settings';
import type { StationCore } from '../station';
import type { StationControl } from '../control';
import { MqttCommands, type MqttCommandSettings } from './commands';
import { MqttPublisher, type MqttSettings } from './publisher';

/** The settings section as the publisher takes it: minutes to milliseconds, discovery on or off. */
export function mqttSettingsFrom(section: MqttSettingsSection): MqttSettings {
  return {
    url: section.url,
    ...(section.username !== undefined ? { username: section.username } : {}),
    ...(section.password !== undefined ? { password: section.password } : {}),
    ...(section.caFile !== undefined ? { caFile: section.caFile } : {}),
    ...(section.prefix !== undefined ? { prefix: section.prefix } : {}),
    ...(section.stationId !== undefined ? { stationId: section.stationId } : {}),
    discoveryPrefix: section.discovery ? section.discoveryPrefix : false,
    outageAlertMs: section.outageAlertMinutes * 60_000,
    ...(section.commands?.enabled ? { commands: { users: section.commands.users, ...(section.commands.homeAssistantUser !== undefined ? { homeAssistantUser: section.commands.homeAssistantUser } : {}) } } : {}),
  };
}

/** Starts publishing `core` to the broker; the publisher connects in the background and never stops the station. */
export function publishStation(core: StationCore, settings: MqttSettings, log: (line: string) => void, control?: StationControl): MqttPublisher {
  const commands = control && settings.commands ? mqttCommands(core, control, settings.commands, log) : undefined;
  const publisher = new MqttPublisher({
    station: {
      state: () => core.state(),
      subscribe: (listener) => core.subscribe(listener),
      onEvent: (listener) => core.onEvent(listener),
      showBroker: (link) => core.setBrokerLink(link),
      alert: (level, code, message, subject) => core.alerts.raise(level, code, message, subject),
    },
    settings,
    log,
    ...(commands ? { commands } : {}),
  });
  publisher.start();
  return publisher;
}

/** Commands over MQTT through `control`, the same door as every screen's. */
function mqttCommands(core: StationCore, control: StationControl, settings: MqttCommandSettings, log: (line: string) => void): MqttCommands {
  return new MqttCommands({
    control,
    settings,
    state: () => core.state(),
    log,
    alert: (message) => core.alerts.raise('warning', 'MQTT_COMMAND_REFUSED', message, 'mqtt'),
  });
}
