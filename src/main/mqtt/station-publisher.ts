/**
 * The publisher on a running station: settings.json's `mqtt` (or headless's --mqtt) in, the
 * station core's state, events and alerts as its source.
 */
import type { BrokerLinkState } from '../../shared/station';
import type { MqttSettingsSection } from '../settings';
import type { StationCore } from '../station';
import type { StationControl } from '../control';
import { MqttCommands, type MqttCommandSettings } from './commands';
import { fleetFields, fleetRoot } from './fleet';
import { FleetWatcher } from './fleet-watcher';
import { MqttPublisher, type MqttSettings } from './publisher';
import { defaultPrefix } from './topics';

/** The settings section as the publisher takes it: minutes to milliseconds, discovery on or off. */
export function mqttSettingsFrom(section: MqttSettingsSection): MqttSettings {
  return {
    url: section.url,
    ...(section.username !== undefined ? { username: section.username } : {}),
    ...(section.password !== undefined ? { password: section.password } : {}),
    ...(section.caFile !== undefined ? { caFile: section.caFile } : {}),
    ...(section.prefix !== undefined ? { prefix: section.prefix } : {}),
    ...(section.stationId !== undefined ? { stationId: section.stationId } : {}),
    ...(section.name !== undefined ? { name: section.name } : {}),
    discoveryPrefix: section.discovery ? section.discoveryPrefix : false,
    outageAlertMs: section.outageAlertMinutes * 60_000,
    ...(section.keepaliveSeconds !== undefined ? { keepaliveSeconds: section.keepaliveSeconds } : {}),
    ...(section.commands?.enabled ? { commands: { users: section.commands.users, ...(section.commands.homeAssistantUser !== undefined ? { homeAssistantUser: section.commands.homeAssistantUser } : {}) } } : {}),
  };
}

/** Starts publishing `core` to the broker; the publisher connects in the background and never stops the station. */
export function publishStation(core: StationCore, settings: MqttSettings, log: (line: string) => void, control?: StationControl, lanUrl?: () => string | null): MqttPublisher {
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
    // What another station's Stations screen shows of this one, and where its own UI opens.
    summaryExtras: (state) => fleetFields(state, settings.name ?? null, lanUrl?.() ?? null),
  });
  publisher.start();
  return publisher;
}

/**
 * Everything MQTT runs on a station: the publisher, taking commands through `control`, and the
 * fleet watcher for the Stations screen. Closed together, the publisher saying "offline" first.
 */
export function startMqtt(core: StationCore, settings: MqttSettings, log: (line: string) => void, control?: StationControl, lanUrl?: () => string | null): { status(): BrokerLinkState; close(): Promise<void> } {
  const publisher = publishStation(core, settings, log, control, lanUrl);
  const fleet = watchFleet(core, settings, log);
  return {
    status: () => publisher.status(),
    async close() {
      await publisher.close();
      await fleet?.close();
    },
  };
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

/**
 * Watches every station under the prefix root for the Stations screen, on its own connection
 * (./fleet-watcher). Null when the prefix has no level above the station's own to watch.
 */
export function watchFleet(core: StationCore, settings: MqttSettings, log: (line: string) => void): FleetWatcher | null {
  const root = settings.prefix !== undefined ? fleetRoot(settings.prefix) : fleetRoot(defaultPrefix('station'));
  if (root === null) return null;
  const watcher = new FleetWatcher({
    settings,
    root,
    clientId: `tendril-fleet-${Math.random().toString(36).slice(2, 10)}`,
    show: (fleet) => core.setFleet(fleet),
    log,
  });
  watcher.start();
  return watcher;
}
