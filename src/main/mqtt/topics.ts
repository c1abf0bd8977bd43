/**
 * What the station publishes to an MQTT broker, as topics and payloads (docs/mqtt.md). Pure:
 * the publisher decides when to send; this decides what.
 *
 * Every payload but availability is JSON with the same field names as the LAN API, so a script
 * that reads one reads the other.
 */
import type { StationChange } from '../../shared/events';
import type { Channel, StationState } from '../../shared/station';

/** The Last Will's payload, retained: the broker publishes it when the station vanishes. */
export const OFFLINE = 'offline';
export const ONLINE = 'online';

/** Topic levels may not hold wildcards or separators; ids from a controller or a grower may. */
export function topicLevel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'station';
}

/**
 * The station's id on the broker: the one settings.json gives, else the controller's serial
 * number, so two stations on one broker never share topics and a station keeps its topics
 * across restarts and a changed computer.
 */
export function stationIdOf(given: string | undefined, state: Pick<StationState, 'device'>): string | null {
  if (given) return topicLevel(given);
  const serial = state.device?.serial;
  return serial ? topicLevel(`tendril-${serial}`) : null;
}

export function defaultPrefix(stationId: string): string {
  return `tendril/${stationId}`;
}

export interface StationTopics {
  availability: string;
  state: string;
  reading(channelId: string): string;
  relay(channelId: string): string;
  /** Whether a topic is one channel's reading or relay. */
  isChannelTopic(topic: string): boolean;
  event(type: string): string;
  /** Where Home Assistant's switches and buttons send; taken as its broker user's commands. */
  relaySet(channelId: string): string;
  estop: string;
  recipeRun(recipeId: string): string;
  /** Under the prefix, without it: `command/alice` → "command/alice". */
  within(topic: string): string | null;
  /** A broker user's JSON commands: the ACL lets only that user write here. */
  command(user: string): string;
  /** Answers for a client that gave no MQTT 5 response topic (MQTT 3.1.1). */
  commandAck(user: string): string;
  /** What the station subscribes to for commands: every user's command topic and Home Assistant's. */
  commandFilters: string[];
}

export function stationTopics(prefix: string): StationTopics {
  return {
    availability: `${prefix}/availability`,
    state: `${prefix}/state`,
    reading: (id) => `${prefix}/readings/${topicLevel(id)}`,
    relay: (id) => `${prefix}/relays/${topicLevel(id)}`,
    isChannelTopic: (topic) => topic.startsWith(`${prefix}/readings/`) || topic.startsWith(`${prefix}/relays/`),
    event: (type) => `${prefix}/events/${type}`,
    relaySet: (id) => `${prefix}/ha/relays/${topicLevel(id)}/set`,
    estop: `${prefix}/ha/estop/press`,
    recipeRun: (id) => `${prefix}/ha/recipes/${topicLevel(id)}/run`,
    within: (topic) => (topic.startsWith(`${prefix}/`) ? topic.slice(prefix.length + 1) : null),
    command: (user) => `${prefix}/command/${user}`,
    commandAck: (user) => `${prefix}/command/${user}/ack`,
    commandFilters: [`${prefix}/command/+`, `${prefix}/ha/#`],
  };
}

/** One retained message: the latest value of a topic, which the broker keeps for newcomers. */
export interface Retained {
  topic: string;
  payload: string;
}

/**
 * The station summed up for a dashboard: the same parts a grower checks at a glance. Readings
 * carry their unit so a subscriber needs nothing else to show them.
 */
export function stateSummary(state: StationState): Record<string, unknown> {
  const unitOf = (id: string): string | undefined => state.channels.find((channel) => channel.id === id)?.unit;
  return {
    link: state.link.status,
    linkReason: state.link.reason,
    estop: state.estop.latched,
    tanks: state.tanks.map((tank) => ({
      id: tank.id,
      name: tank.name,
      capacityL: tank.capacityL,
      levelL: tank.roles?.levelSensor ? (state.readings[tank.roles.levelSensor]?.value ?? null) : null,
    })),
    relays: Object.fromEntries(Object.entries(state.relays).map(([id, relay]) => [id, relay.on])),
    pumps: Object.fromEntries(Object.entries(state.pumps).map(([id, pump]) => [id, { running: pump.running, ml: pump.ml }])),
    readings: Object.fromEntries(Object.entries(state.readings).map(([id, reading]) => [id, { value: reading.value, unit: unitOf(id) ?? null, at: reading.at }])),
    jobs: state.jobs
      .filter((job) => job.state === 'running' || job.state === 'paused' || job.state === 'queued')
      .map((job) => ({ id: job.id, kind: job.kind, state: job.state, tankId: job.tankId, progress: job.progress, detail: job.detail })),
  };
}

/** Litres per minute through a meter, by its calibration; the controller counts pulses per second. */
export function litresPerMinute(state: Pick<StationState, 'flows' | 'calibration'>, meterId: string): number | null {
  const flow = state.flows[meterId];
  if (!flow) return null;
  const perLitre = state.calibration.flowMeters[meterId]?.pulsesPerLiter;
  if (!perLitre) return null;
  return Math.round((flow.rate / perLitre) * 60 * 100) / 100;
}

/** A sensor's or flow meter's retained message, or null when it has not reported yet. */
export function readingMessage(topics: StationTopics, state: StationState, channel: Channel): Retained | null {
  if (channel.kind === 'flow') {
    const flow = state.flows[channel.id];
    if (!flow) return null;
    const value = litresPerMinute(state, channel.id);
    return { topic: topics.reading(channel.id), payload: JSON.stringify({ value, unit: 'L/min', pulses: flow.pulses, rate: flow.rate }) };
  }
  const reading = state.readings[channel.id];
  if (!reading) return null;
  return { topic: topics.reading(channel.id), payload: JSON.stringify({ value: reading.value, unit: channel.unit ?? null, at: reading.at }) };
}

export function relayMessage(topics: StationTopics, state: StationState, channelId: string): Retained | null {
  const relay = state.relays[channelId];
  if (!relay) return null;
  return { topic: topics.relay(channelId), payload: JSON.stringify({ on: relay.on, why: relay.why }) };
}

/** Every per-channel retained message the state holds now. */
export function channelMessages(topics: StationTopics, state: StationState): Retained[] {
  const messages: Retained[] = [];
  for (const channel of state.channels) {
    const message = channel.kind === 'relay' ? relayMessage(topics, state, channel.id) : isMeasured(channel) ? readingMessage(topics, state, channel) : null;
    if (message) messages.push(message);
  }
  return messages;
}

function isMeasured(channel: Channel): boolean {
  return channel.kind === 'flow' || channel.kind === 'ec' || channel.kind === 'ph' || channel.kind === 'temp' || channel.kind === 'level';
}

/** The channel a telemetry change is about, for its retained topic; null for a discrete change. */
export function telemetryChannel(change: StationChange): { kind: 'reading' | 'relay'; channelId: string } | null {
  switch (change.type) {
    case 'ecph_reading':
      return { kind: 'reading', channelId: change.sensorId };
    case 'flow_update':
      return { kind: 'reading', channelId: change.meterId };
    case 'relay_update':
      return { kind: 'relay', channelId: change.relayId };
    default:
      return null;
  }
}

/**
 * The discrete changes sent under events/<type>, not retained: what happened, once. Telemetry
 * has its retained topics, and the rest (link counters, presence, the whole tables) is in
 * `state` or would only repeat what a reading says.
 */
export const PUBLISHED_EVENTS: ReadonlySet<StationChange['type']> = new Set([
  'job_update',
  'alert',
  'alerts_ack',
  'estop_update',
  'link_update',
  'device_update',
  'reading_band',
  'sensor_health',
  'recipes_update',
  'schedules_update',
  'tanks_update',
]);

/** An event's message: the change as the LAN feed sends it, without its numbering. */
export function eventMessage(topics: StationTopics, change: StationChange): Retained | null {
  if (!PUBLISHED_EVENTS.has(change.type)) return null;
  const { seq: _seq, epoch: _epoch, ...payload } = change as StationChange & { seq?: number; epoch?: string };
  return { topic: topics.event(change.type), payload: JSON.stringify(payload) };
}
