/**
 * Home Assistant MQTT discovery: one retained config per entity under `homeassistant/`, so a
 * grower who points Tendril at the broker Home Assistant uses sees the station appear with no
 * YAML. Pure: the state in, the configs out; the publisher sends them, and an empty retained
 * payload for each config that is no longer there, which is how Home Assistant removes an entity.
 *
 * Relays that only a job may open (a tank's fill and drain valves) get no switch: the same rule
 * that refuses switching them by hand on every screen (shared/plumbing.ts's valveRole).
 */
import { valveRole } from '../../shared/plumbing';
import type { Channel, StationState } from '../../shared/station';
import { ONLINE, OFFLINE, type Retained, type StationTopics } from './topics';

export const DEFAULT_DISCOVERY_PREFIX = 'homeassistant';

export interface DiscoveryContext {
  /** `homeassistant` unless the grower changed Home Assistant's own setting. */
  discoveryPrefix: string;
  stationId: string;
  topics: StationTopics;
  /** The grower's name for the station, as Home Assistant names its device; the tank's name while missing. */
  name?: string;
  /**
   * Whether the station takes commands over MQTT (mqtt.commands). While it does not, a switch or a
   * button would press into nothing: the relays are offered read-only and there are no buttons.
   */
  commands: boolean;
}

/** How Home Assistant should read a sensor of each kind: its device class, unit and precision. */
const SENSOR_CLASSES: Record<'ec' | 'ph' | 'temp' | 'level' | 'flow', { deviceClass: string; unit: (channel: Channel) => string | null; icon?: string }> = {
  ec: { deviceClass: 'conductivity', unit: (channel) => (channel.unit === 'uS/cm' || channel.unit === 'µS/cm' ? 'µS/cm' : 'mS/cm') },
  // Home Assistant's pH class has no unit.
  ph: { deviceClass: 'ph', unit: () => null },
  temp: { deviceClass: 'temperature', unit: (channel) => (channel.unit?.toUpperCase().endsWith('F') ? '°F' : '°C') },
  level: { deviceClass: 'volume_storage', unit: () => 'L', icon: 'mdi:car-coolant-level' },
  flow: { deviceClass: 'volume_flow_rate', unit: () => 'L/min' },
};

function isSensorKind(kind: Channel['kind']): kind is keyof typeof SENSOR_CLASSES {
  return kind in SENSOR_CLASSES;
}

/**
 * Whether Home Assistant may offer a switch for this relay. Until the tanks are known (the moment
 * between a controller's handshake and the station laying its tanks over the channel table) any
 * relay may be a valve, so none is offered: a switch briefly offered for a fill valve is one too many.
 */
export function switchable(state: Pick<StationState, 'tanks' | 'channels'>, relay: Channel): boolean {
  return relay.kind === 'relay' && state.tanks.length > 0 && valveRole(state.tanks, state.channels, relay.id) === undefined;
}

/** Every config the station has now, keyed by topic. */
export function discoveryConfigs(state: StationState, context: DiscoveryContext): Retained[] {
  const { discoveryPrefix, stationId, topics } = context;
  const device = {
    identifiers: [stationId],
    name: context.name ?? (state.tanks.length === 1 ? `Tendril ${state.tanks[0]!.name}` : 'Tendril'),
    manufacturer: 'Tendril',
    ...(state.device ? { model: state.device.device, sw_version: state.device.firmware, serial_number: state.device.serial } : {}),
  };
  const common = {
    device,
    origin: { name: 'Tendril' },
    availability: [{ topic: topics.availability, payload_available: ONLINE, payload_not_available: OFFLINE }],
  };
  const configs: Retained[] = [];
  const add = (component: string, key: string, config: Record<string, unknown>): void => {
    const uniqueId = `${stationId}_${key}`;
    configs.push({
      topic: `${discoveryPrefix}/${component}/${stationId}/${key}/config`,
      // The entity id Home Assistant starts from (it replaced `object_id`, which it no longer reads):
      // lowercase letters, digits and "_" only.
      payload: JSON.stringify({ ...config, unique_id: uniqueId, default_entity_id: `${component}.${uniqueId.replace(/[^a-z0-9_]/g, '_')}`, ...common }),
    });
  };

  for (const channel of state.channels) {
    const key = channel.id.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
    if (isSensorKind(channel.kind)) {
      const sensor = SENSOR_CLASSES[channel.kind];
      const unit = sensor.unit(channel);
      add('sensor', `reading_${key}`, {
        name: channel.name,
        state_topic: topics.reading(channel.id),
        value_template: '{{ value_json.value }}',
        device_class: sensor.deviceClass,
        state_class: 'measurement',
        ...(unit ? { unit_of_measurement: unit } : {}),
        ...(sensor.icon ? { icon: sensor.icon } : {}),
      });
    } else if (switchable(state, channel) && !context.commands) {
      add('binary_sensor', `relay_state_${key}`, {
        name: channel.name,
        state_topic: topics.relay(channel.id),
        value_template: "{{ 'ON' if value_json.on else 'OFF' }}",
        payload_on: 'ON',
        payload_off: 'OFF',
      });
    } else if (switchable(state, channel)) {
      add('switch', `relay_${key}`, {
        name: channel.name,
        state_topic: topics.relay(channel.id),
        value_template: "{{ 'ON' if value_json.on else 'OFF' }}",
        state_on: 'ON',
        state_off: 'OFF',
        command_topic: topics.relaySet(channel.id),
        payload_on: 'ON',
        payload_off: 'OFF',
        device_class: 'switch',
      });
    }
  }

  if (context.commands) add('button', 'estop', { name: 'Emergency stop', command_topic: topics.estop, payload_press: 'PRESS', icon: 'mdi:alert-octagon' });
  add('binary_sensor', 'link', {
    name: 'Controller link',
    state_topic: topics.state,
    value_template: "{{ 'ON' if value_json.link == 'ready' else 'OFF' }}",
    payload_on: 'ON',
    payload_off: 'OFF',
    device_class: 'connectivity',
    entity_category: 'diagnostic',
  });
  add('binary_sensor', 'estop_latched', {
    name: 'Emergency stop latched',
    state_topic: topics.state,
    value_template: "{{ 'ON' if value_json.estop else 'OFF' }}",
    payload_on: 'ON',
    payload_off: 'OFF',
    // Home Assistant's safety class reads "on" as unsafe: a latched stop needs a person.
    device_class: 'safety',
  });
  for (const recipe of context.commands ? state.recipes : []) {
    const key = recipe.id.toLowerCase().replace(/[^a-z0-9_-]+/g, '_');
    add('button', `recipe_${key}`, { name: `Run ${recipe.name}`, command_topic: topics.recipeRun(recipe.id), payload_press: 'PRESS', icon: 'mdi:playlist-play' });
  }
  return configs;
}

/** The config topics published before and gone now: each gets an empty retained payload. */
export function removedConfigs(before: Iterable<string>, now: readonly Retained[]): string[] {
  const still = new Set(now.map((config) => config.topic));
  return [...before].filter((topic) => !still.has(topic));
}
