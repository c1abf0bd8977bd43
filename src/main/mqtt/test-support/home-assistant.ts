/**
 * What Home Assistant requires of an MQTT discovery config before it makes an entity, as its
 * MQTT integration checks it: the topic's shape, a unique_id, a device, the topics each platform
 * needs, and device classes with the units Home Assistant accepts for them. Returns the
 * problems, none for a config it would take.
 */

const COMPONENTS = new Set(['sensor', 'binary_sensor', 'switch', 'button']);
const CONFIG_TOPIC = /^([a-zA-Z0-9_-]+)\/([a-z_]+)\/(?:([a-zA-Z0-9_-]+)\/)?([a-zA-Z0-9_-]+)\/config$/;

/** Sensor device classes Tendril uses, with the units Home Assistant accepts for each (null: none). */
const SENSOR_UNITS: Record<string, ReadonlyArray<string | null>> = {
  conductivity: ['S/cm', 'µS/cm', 'mS/cm'],
  ph: [null],
  temperature: ['°C', '°F', 'K'],
  volume_storage: ['L', 'mL', 'gal', 'm³', 'ft³', 'CCF', 'fl. oz.'],
  volume_flow_rate: ['m³/h', 'ft³/min', 'L/min', 'gal/min', 'mL/s'],
};
const STATE_CLASSES = new Set(['measurement', 'total', 'total_increasing']);
const BINARY_CLASSES = new Set(['connectivity', 'safety', 'problem', 'running', 'power', 'opening']);
const SWITCH_CLASSES = new Set(['switch', 'outlet']);
const ENTITY_CATEGORIES = new Set(['config', 'diagnostic']);

function isTopic(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && !/[#+]/.test(value);
}

export function homeAssistantProblems(topic: string, payload: string): string[] {
  const problems: string[] = [];
  const match = CONFIG_TOPIC.exec(topic);
  if (!match) return [`${topic}: not <prefix>/<component>/[<node_id>/]<object_id>/config`];
  const component = match[2]!;
  if (!COMPONENTS.has(component)) problems.push(`${topic}: unknown component ${component}`);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return [`${topic}: the payload is not JSON`];
  }
  const say = (what: string) => problems.push(`${topic}: ${what}`);
  if (typeof config.unique_id !== 'string' || config.unique_id === '') say('no unique_id');
  if ('object_id' in config) say('object_id is no longer read; give default_entity_id');
  if (config.default_entity_id !== undefined && !new RegExp(`^${component}\\.[a-z0-9_]+$`).test(String(config.default_entity_id))) {
    say(`default_entity_id must be ${component}.<lowercase letters, digits and _>, not ${String(config.default_entity_id)}`);
  }
  if (!('name' in config) || (config.name !== null && typeof config.name !== 'string')) say('name must be text or null');
  const device = config.device as { identifiers?: unknown; connections?: unknown } | undefined;
  if (!device || !(Array.isArray(device.identifiers) && device.identifiers.length > 0)) say('a device needs identifiers');
  const availability = config.availability as Array<{ topic?: unknown }> | undefined;
  if (!Array.isArray(availability) || availability.length === 0 || !availability.every((entry) => isTopic(entry.topic))) say('no availability topic');
  if (config.entity_category !== undefined && !ENTITY_CATEGORIES.has(String(config.entity_category))) say(`entity_category ${String(config.entity_category)}`);

  switch (component) {
    case 'sensor': {
      if (!isTopic(config.state_topic)) say('a sensor needs a state_topic');
      const deviceClass = config.device_class as string | undefined;
      const unit = (config.unit_of_measurement as string | undefined) ?? null;
      if (deviceClass !== undefined) {
        const units = SENSOR_UNITS[deviceClass];
        if (!units) say(`unknown sensor device_class ${deviceClass}`);
        else if (!units.includes(unit)) say(`unit ${String(unit)} is not one Home Assistant accepts for ${deviceClass} (${units.join(', ')})`);
      }
      if (config.state_class !== undefined && !STATE_CLASSES.has(String(config.state_class))) say(`state_class ${String(config.state_class)}`);
      break;
    }
    case 'binary_sensor':
      if (!isTopic(config.state_topic)) say('a binary sensor needs a state_topic');
      if (config.device_class !== undefined && !BINARY_CLASSES.has(String(config.device_class))) say(`binary_sensor device_class ${String(config.device_class)}`);
      break;
    case 'switch':
      if (!isTopic(config.command_topic)) say('a switch needs a command_topic');
      if (config.state_topic !== undefined && !isTopic(config.state_topic)) say('state_topic is not a topic');
      if (config.device_class !== undefined && !SWITCH_CLASSES.has(String(config.device_class))) say(`switch device_class ${String(config.device_class)}`);
      break;
    case 'button':
      if (!isTopic(config.command_topic)) say('a button needs a command_topic');
      break;
  }
  return problems;
}

/** Problems across a set of configs, including unique_ids used twice. */
export function discoveryProblems(configs: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const [topic, payload] of configs) {
    problems.push(...homeAssistantProblems(topic, payload));
    const id = (JSON.parse(payload) as { unique_id?: string }).unique_id;
    if (id && ids.has(id)) problems.push(`${topic}: unique_id ${id} is also ${ids.get(id)}'s`);
    if (id) ids.set(id, topic);
  }
  return problems;
}
