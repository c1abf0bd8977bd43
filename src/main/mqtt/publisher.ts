/**
 * The station on the grower's MQTT broker: availability with a Last Will, retained state and
 * per-channel values, discrete events, and Home Assistant discovery (docs/mqtt.md).
 *
 * The broker is somebody else's machine, and it may be down, slow or restarting. Nothing here
 * ever makes the station wait for it: every publish is fire-and-forget, retained topics keep only
 * their latest value while the broker is away (one per topic, so they cannot pile up), events
 * wait in a queue with a bound (the oldest go first), and reconnects back off with jitter on the
 * same curve as the controller link. On every (re)connect everything retained is published
 * again, so a broker that lost its store, or a Home Assistant that missed the configs, catches up.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { backoffDelay, type BackoffPolicy } from '../../shared/backoff';
import type { StationChange, StationEvent } from '../../shared/events';
import type { AlertLevel, BrokerLinkState, StationState } from '../../shared/station';
import { LiveFeed, type FeedMessage } from '../live/feed';
import type { MqttCommandSettings, MqttCommands } from './commands';
import { discoveryConfigs, removedConfigs } from './discovery';
import {
  channelMessages,
  defaultPrefix,
  eventMessage,
  OFFLINE,
  ONLINE,
  readingMessage,
  relayMessage,
  stateSummary,
  stationIdOf,
  stationTopics,
  telemetryChannel,
  type Retained,
  type StationTopics,
} from './topics';

/** Readings are coalesced per channel over this window, as the LAN feed does. */
export const MQTT_WINDOW_MS = 100;
/** The state summary goes out on change, at most this often. */
export const STATE_EVERY_MS = 1_000;
/** Events kept while the broker is away or behind; past this the oldest are dropped. */
export const MAX_QUEUED_EVENTS = 1_000;
/** QoS 1 events sent and not yet acknowledged; more wait in the queue. */
export const MAX_IN_FLIGHT = 100;
/**
 * Bytes handed to a connection and not yet taken by the broker. Past this the broker is slow:
 * retained values wait here (the latest of each) rather than pile up in the socket.
 */
export const MAX_UNSENT_BYTES = 1024 * 1024;
export const RECONNECT: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };
/** How long a closing station waits to say "offline" itself before leaving it to the Last Will. */
const GOODBYE_MS = 2_000;

/** What the publisher needs of the station. */
export interface MqttStation {
  state(): StationState;
  subscribe(listener: (state: StationState) => void): () => void;
  onEvent(listener: (event: StationEvent) => void): () => void;
  /** Shows the broker link on every screen. */
  showBroker(link: BrokerLinkState): void;
  alert(level: AlertLevel, code: string, message: string, subject?: string): void;
}

export interface MqttSettings {
  /** mqtt://user:pass@host:1883, mqtts://…, ws://…; the password may be given apart. */
  url: string;
  username?: string;
  password?: string;
  /** A PEM file of the certificate authority that signed the broker's certificate, for mqtts://. */
  caFile?: string;
  /** The station's own topics; `tendril/<stationId>` by default. */
  prefix?: string;
  /** The station's id on the broker; the controller's serial number by default. */
  stationId?: string;
  /** The grower's name for the station: in the state summary and Home Assistant's device. */
  name?: string;
  /** Home Assistant's discovery prefix; false publishes no discovery. */
  discoveryPrefix?: string | false;
  /** A broker away for this long raises an alert. */
  outageAlertMs: number;
  /** MQTT keepalive; the Last Will goes out 1.5 times this after the station vanishes. 30 s by default. */
  keepaliveSeconds?: number;
  /** Commands over MQTT: off while missing (docs/mqtt.md, "Commands"). */
  commands?: MqttCommandSettings;
}

export interface MqttPublisherOptions {
  station: MqttStation;
  settings: MqttSettings;
  log(line: string): void;
  /** The jitter of reconnects; tests fix it. */
  random?: () => number;
  /** How a connection is made: MQTT.js, or a stand-in in the publisher's own unit tests. */
  connect?: (url: string, options: IClientOptions) => MqttClient;
  /** Commands over MQTT, when mqtt.commands enables them: taken on the same connection. */
  commands?: MqttCommands;
  /** What the state summary carries besides the station's own state: the fleet's fields (./fleet). */
  summaryExtras?: (state: StationState) => Record<string, unknown>;
}

/** The broker's address as a screen may show it: never its password. */
export function brokerAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an address that is not a URL';
  }
}

export class MqttPublisher {
  private client: MqttClient | null = null;
  private topics: StationTopics | null = null;
  private stationId: string | null = null;
  /** The latest payload of every retained topic, published again on every connect. */
  private readonly retained = new Map<string, string>();
  /** Retained topics withdrawn while the broker was away: cleared at the next connect. */
  private readonly withdrawn = new Set<string>();
  /** Retained topics changed while the broker was slow to take them: sent when it catches up. */
  private readonly unsent = new Set<string>();
  private readonly discovery = new Set<string>();
  private readonly events: Retained[] = [];
  /** QoS 1 events the broker has not acknowledged yet: sent again on the next connection if it drops. */
  private readonly inFlight = new Set<Retained>();
  private dropped = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private outageTimer: ReturnType<typeof setTimeout> | null = null;
  private outageAlerted = false;
  private stateTimer: ReturnType<typeof setTimeout> | null = null;
  private stateSentAt = -Infinity;
  /** Each channel's topic: when its value last went out, and the send waiting for its window. */
  private readonly paced = new Map<string, { sentAt: number; timer: ReturnType<typeof setTimeout> | null }>();
  private feed: LiveFeed | null = null;
  private readonly stops: Array<() => void> = [];
  private closed = false;
  private link: BrokerLinkState;
  private protocolVersion: 4 | 5 = 5;

  constructor(private readonly options: MqttPublisherOptions) {
    this.link = { status: 'disconnected', broker: brokerAddress(options.settings.url), reason: 'not started', since: Date.now() };
  }

  /** Starts at once when the station's id is known, else at the controller's first handshake. */
  start(): void {
    const { station, settings } = this.options;
    this.show('connecting', 'waiting for the controller, whose serial number names the station on the broker');
    const begin = (state: StationState): boolean => {
      const id = stationIdOf(settings.stationId, state);
      if (id === null) return false;
      this.stationId = id;
      this.topics = stationTopics(settings.prefix ?? defaultPrefix(id));
      this.follow();
      this.connect();
      return true;
    };
    if (begin(station.state())) return;
    const unsubscribe = station.subscribe((state) => {
      if (this.closed || this.topics || !begin(state)) return;
      unsubscribe();
    });
    this.stops.push(unsubscribe);
  }

  status(): BrokerLinkState {
    return this.link;
  }

  /** The topics, once the station's id is known. */
  stationTopics(): StationTopics | null {
    return this.topics;
  }

  /** Says "offline" itself (a clean stop is not a crash) and disconnects; the Last Will covers a crash. */
  async close(): Promise<void> {
    if (this.closed) return;
    // What the station did last (every output off, as it stops) goes out before "offline".
    if (this.client?.connected && this.feed) {
      this.feed.flush();
      if (this.stateTimer) this.keepState(this.options.station.state());
      for (const [topic, pace] of this.paced) if (pace.timer) this.sendPaced(topic);
    }
    this.closed = true;
    for (const stop of this.stops.splice(0)) stop();
    this.feed?.close();
    for (const timer of [this.retryTimer, this.outageTimer, this.stateTimer]) if (timer) clearTimeout(timer);
    for (const pace of this.paced.values()) if (pace.timer) clearTimeout(pace.timer);
    const client = this.client;
    if (!client) return;
    if (client.connected && this.topics) {
      await withinTime(client.publishAsync(this.topics.availability, OFFLINE, { retain: true, qos: 1 }).then(() => undefined), GOODBYE_MS);
    }
    await withinTime(client.endAsync(true), GOODBYE_MS);
  }

  private follow(): void {
    const { station } = this.options;
    const state = station.state();
    this.keepState(state);
    for (const message of channelMessages(this.topics!, state)) this.retain(message);
    this.refreshDiscovery(state);
    this.feed = new LiveFeed(
      { state: () => station.state(), onChange: (listener) => station.onEvent(listener) },
      // Readings are paced per channel below, not per feed: one probe's reading never waits for
      // another's window, so a channel read less often than the window goes out at once.
      { windowMs: 0, wholeStationOnly: true, deliver: (_audience, messages) => this.take(messages) },
    );
  }

  /** One flush of the feed: the latest value per channel, every event, and the summary. */
  private take(messages: FeedMessage[]): void {
    const topics = this.topics!;
    const state = this.options.station.state();
    this.sendUnsent();
    let discoveryChanged = false;
    for (const message of messages) {
      if (message.name === 'status_update' || message.name === 'state_hash') continue;
      const change = message.payload as StationChange;
      if (change.type === 'broker_update') continue;
      const channel = telemetryChannel(change);
      if (channel) {
        if (channel.kind === 'relay') {
          const retained = relayMessage(topics, state, channel.channelId);
          if (retained) this.retain(retained);
        } else {
          this.pace(topics.reading(channel.channelId));
        }
        continue;
      }
      const event = eventMessage(topics, change);
      if (event) this.sendEvent(event);
      if (change.type === 'device_update') this.refreshChannels(state);
      if (change.type === 'device_update' || change.type === 'recipes_update' || change.type === 'tanks_update' || change.type === 'calibration_update') discoveryChanged = true;
    }
    if (discoveryChanged) this.refreshDiscovery(state);
    this.scheduleState();
  }

  /**
   * A channel's reading goes out at once when its last one is a window old, else at the end of
   * the window, as the channel's latest value then: at most one a window per channel.
   */
  private pace(topic: string): void {
    const pace = this.paced.get(topic) ?? { sentAt: -Infinity, timer: null };
    this.paced.set(topic, pace);
    if (pace.timer) return;
    const wait = pace.sentAt + MQTT_WINDOW_MS - Date.now();
    if (wait <= 0) {
      this.sendPaced(topic);
      return;
    }
    pace.timer = setTimeout(() => this.sendPaced(topic), wait);
  }

  private sendPaced(topic: string): void {
    const pace = this.paced.get(topic);
    if (!pace) return;
    if (pace.timer) clearTimeout(pace.timer);
    pace.timer = null;
    pace.sentAt = Date.now();
    const state = this.options.station.state();
    // A channel gone from the table in the meantime has had its topic cleared already.
    const found = state.channels.find((c) => c.kind !== 'relay' && this.topics!.reading(c.id) === topic);
    const message = found ? readingMessage(this.topics!, state, found) : null;
    if (message) this.retain(message);
  }

  private scheduleState(): void {
    if (this.stateTimer) return;
    const wait = this.stateSentAt + STATE_EVERY_MS - Date.now();
    if (wait <= 0) {
      this.keepState(this.options.station.state());
      return;
    }
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      this.keepState(this.options.station.state());
    }, wait);
  }

  private keepState(state: StationState): void {
    this.stateSentAt = Date.now();
    this.retain({ topic: this.topics!.state, payload: JSON.stringify({ ...stateSummary(state), ...this.options.summaryExtras?.(state) }) });
  }

  private refreshDiscovery(state: StationState): void {
    const prefix = this.options.settings.discoveryPrefix;
    if (prefix === false) return;
    const context = {
      discoveryPrefix: prefix ?? 'homeassistant',
      stationId: this.stationId!,
      topics: this.topics!,
      commands: this.options.settings.commands !== undefined,
      ...(this.options.settings.name !== undefined ? { name: this.options.settings.name } : {}),
    };
    const configs = discoveryConfigs(state, context);
    // Commands were switched on or off since the broker last heard from this station (Settings
    // starts a new publisher): the other way's switches, buttons or read-only relays are cleared.
    if (this.discovery.size === 0) for (const other of discoveryConfigs(state, { ...context, commands: !context.commands })) this.discovery.add(other.topic);
    for (const topic of removedConfigs(this.discovery, configs)) {
      this.discovery.delete(topic);
      this.withdraw(topic);
    }
    for (const config of configs) {
      this.discovery.add(config.topic);
      this.retain(config);
    }
  }

  /** A new channel table: each channel's latest value, and nothing left of a channel that is gone. */
  private refreshChannels(state: StationState): void {
    const topics = this.topics!;
    const current = new Set(state.channels.map((channel) => (channel.kind === 'relay' ? topics.relay(channel.id) : topics.reading(channel.id))));
    for (const topic of [...this.retained.keys()]) if (topics.isChannelTopic(topic) && !current.has(topic)) this.withdraw(topic);
    for (const message of channelMessages(topics, state)) this.retain(message);
  }

  /** A retained value: sent now when it changed and the broker takes it, else when it can. */
  private retain(message: Retained): void {
    if (this.retained.get(message.topic) === message.payload) return;
    this.retained.set(message.topic, message.payload);
    this.withdrawn.delete(message.topic);
    const client = this.client;
    if (!client?.connected) return;
    if (behind(client)) this.unsent.add(message.topic);
    else this.publish(message.topic, message.payload, { retain: true, qos: 0 });
  }

  /** An empty retained payload removes a topic from the broker's store; Home Assistant removes the entity. */
  private withdraw(topic: string): void {
    this.retained.delete(topic);
    this.unsent.delete(topic);
    if (this.client?.connected) this.publish(topic, '', { retain: true, qos: 1 });
    else this.withdrawn.add(topic);
  }

  private sendUnsent(): void {
    const client = this.client;
    if (!client?.connected || this.unsent.size === 0 || behind(client)) return;
    for (const topic of this.unsent) {
      const payload = this.retained.get(topic);
      if (payload !== undefined) this.publish(topic, payload, { retain: true, qos: 0 });
    }
    this.unsent.clear();
  }

  private sendEvent(event: Retained): void {
    if (this.events.length >= MAX_QUEUED_EVENTS) {
      this.events.shift();
      if (this.dropped++ === 0) this.options.log('mqtt: the broker is behind; the oldest events are dropped until it catches up');
    }
    this.events.push(event);
    this.drainEvents();
  }

  private drainEvents(): void {
    const client = this.client;
    while (client?.connected && this.inFlight.size < MAX_IN_FLIGHT && this.events.length > 0) {
      const event = this.events.shift()!;
      this.inFlight.add(event);
      client.publish(event.topic, event.payload, { qos: 1, retain: false }, (error) => {
        // A connection that died took its unacknowledged events back to the queue (see connect).
        if (this.client !== client || !this.inFlight.delete(event)) return;
        if (error) this.events.unshift(event);
        else this.drainEvents();
      });
    }
  }

  private publish(topic: string, payload: string, options: { retain: boolean; qos: 0 | 1 }): void {
    this.client!.publish(topic, payload, options, (error) => {
      if (error && !this.closed) this.options.log(`mqtt: could not publish ${topic}: ${error.message}`);
    });
  }

  private connect(): void {
    const { settings, log } = this.options;
    const topics = this.topics!;
    let ca: Buffer | undefined;
    if (settings.caFile) {
      try {
        ca = readFileSync(settings.caFile);
      } catch (error) {
        this.show('disconnected', `the CA file ${settings.caFile} cannot be read (${(error as Error).message}); fix mqtt.caFile in the settings`);
        this.startOutageClock();
        return;
      }
    }
    const options: IClientOptions = {
      protocolVersion: this.protocolVersion,
      // Reconnects are ours, with jitter: a broker restart must not bring every station back in step.
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: settings.keepaliveSeconds ?? 30,
      clean: true,
      clientId: `tendril-${this.stationId}`,
      queueQoSZero: false,
      will: { topic: topics.availability, payload: Buffer.from(OFFLINE), retain: true, qos: 1 },
      ...(settings.username !== undefined ? { username: settings.username } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      ...(ca ? { ca } : {}),
    };
    let client: MqttClient;
    try {
      client = (this.options.connect ?? mqtt.connect)(settings.url, options);
    } catch (error) {
      this.show('disconnected', `${(error as Error).message}; check mqtt.url in the settings`);
      return;
    }
    this.client = client;
    this.show('connecting', this.attempt === 0 ? 'connecting' : `trying again (attempt ${this.attempt + 1})`);
    let problem: string | null = null;
    client.on('connect', () => {
      this.attempt = 0;
      this.stopOutageClock();
      this.show('connected', 'connected');
      log(`mqtt: connected to ${this.link.broker}, publishing under ${topics.availability.replace(/\/availability$/, '')}`);
      this.publishEverything();
      // Home Assistant says "online" here when it starts: it is sent the configs again, as it asks
      // of every integration. A broker that does not let this user read it just refuses.
      const status = this.homeAssistantStatus();
      if (status) client.subscribe(status, { qos: 0 }, () => {});
      // QoS 1 both ways: a command is not lost to a dropped connection, and one delivered twice
      // acts once (the door's idempotency, per user and id).
      if (this.options.commands) {
        client.subscribe(topics.commandFilters, { qos: 1 }, (error) => {
          if (error && !this.closed) log(`mqtt: could not subscribe to the command topics (${error.message}); check the broker's ACL for this station's user (docs/mqtt.md, "Commands")`);
        });
      }
    });
    client.on('message', (topic, payload, packet) => {
      if (topic === this.homeAssistantStatus() && payload.toString() === 'online') this.publishDiscoveryAgain();
      else if (this.options.commands) void this.answerCommand(client, topic, payload, packet.properties);
    });
    client.on('error', (error: Error & { code?: number | string }) => {
      // A broker that speaks only MQTT 3.1.1 refuses version 5 by name: ask again in its language.
      if (this.protocolVersion === 5 && (error.code === 1 || error.code === 132)) {
        this.protocolVersion = 4;
        problem = 'the broker does not speak MQTT 5; trying MQTT 3.1.1';
        return;
      }
      problem = brokerProblem(error);
    });
    client.on('close', () => {
      if (this.closed || this.client !== client) return;
      const reason = problem ?? 'the broker closed the connection';
      problem = null;
      if (this.link.status === 'connected') log(`mqtt: lost the broker (${reason}); publishing resumes when it is back`);
      this.events.unshift(...this.inFlight);
      this.inFlight.clear();
      if (this.events.length > MAX_QUEUED_EVENTS) this.events.splice(0, this.events.length - MAX_QUEUED_EVENTS);
      this.startOutageClock();
      const delay = this.protocolVersion === 4 && reason.includes('MQTT 3.1.1') ? 0 : backoffDelay(this.attempt++, RECONNECT, this.options.random);
      this.show('disconnected', `${reason}; trying again in ${Math.ceil(delay / 1000)} s`);
      client.removeAllListeners();
      client.on('error', () => {});
      client.end(true);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (!this.closed) this.connect();
      }, delay);
    });
  }

  /** One command carried to the door; its answer goes back on the connection it came by, if still open. */
  private async answerCommand(client: MqttClient, topic: string, payload: Buffer, properties: { responseTopic?: string; correlationData?: Buffer } | undefined): Promise<void> {
    const reply = await this.options.commands!.take(this.topics!, topic, payload, {
      ...(properties?.responseTopic ? { responseTopic: properties.responseTopic } : {}),
      ...(properties?.correlationData ? { correlationData: properties.correlationData } : {}),
    });
    if (!reply || this.closed || !client.connected) return;
    const options = reply.correlationData && this.protocolVersion === 5 ? { qos: 1 as const, properties: { correlationData: reply.correlationData } } : { qos: 1 as const };
    client.publish(reply.topic, reply.payload, options, (error) => {
      if (error && !this.closed) this.options.log(`mqtt: could not answer a command on ${reply.topic}: ${error.message}`);
    });
  }

  /** After every connect: online, every retained value, the withdrawn configs cleared, then the events that waited. */
  private publishEverything(): void {
    const topics = this.topics!;
    this.publish(topics.availability, ONLINE, { retain: true, qos: 1 });
    for (const topic of this.withdrawn) this.publish(topic, '', { retain: true, qos: 1 });
    this.withdrawn.clear();
    this.unsent.clear();
    for (const [topic, payload] of this.retained) this.publish(topic, payload, { retain: true, qos: 0 });
    this.drainEvents();
  }

  private homeAssistantStatus(): string | null {
    const prefix = this.options.settings.discoveryPrefix;
    return prefix === false ? null : `${prefix ?? 'homeassistant'}/status`;
  }

  private publishDiscoveryAgain(): void {
    if (!this.client?.connected) return;
    for (const topic of this.discovery) {
      const payload = this.retained.get(topic);
      if (payload !== undefined) this.publish(topic, payload, { retain: true, qos: 0 });
    }
  }

  private startOutageClock(): void {
    if (this.outageTimer || this.outageAlerted) return;
    this.outageTimer = setTimeout(() => {
      this.outageTimer = null;
      this.outageAlerted = true;
      const minutes = this.options.settings.outageAlertMs / 60_000;
      const span = minutes >= 1 ? `${Math.round(minutes)} min` : `${Math.round(this.options.settings.outageAlertMs / 1000)} s`;
      this.options.station.alert(
        'warning',
        'MQTT_OFFLINE',
        `the MQTT broker ${this.link.broker} has been out of reach for ${span} (${this.link.reason}); Home Assistant and other subscribers see the station as it was. The station itself runs on`,
        'mqtt',
      );
    }, this.options.settings.outageAlertMs);
  }

  private stopOutageClock(): void {
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.outageTimer = null;
    if (this.outageAlerted) {
      this.outageAlerted = false;
      this.options.station.alert('info', 'MQTT_BACK', `the MQTT broker ${this.link.broker} is reachable again; the station's state and Home Assistant's entities were published again`, 'mqtt');
    }
  }

  private show(status: BrokerLinkState['status'], reason: string): void {
    if (this.link.status === status && this.link.reason === reason) return;
    this.link = { status, broker: this.link.broker, reason, since: Date.now() };
    this.options.station.showBroker(this.link);
  }
}

/** A broker's refusal or a socket's error in words a grower can act on. */
export function brokerProblem(error: Error & { code?: number | string }): string {
  switch (error.code) {
    case 4:
    case 134:
      return 'the broker refused the user name or password; check mqtt.url (or mqtt.username and mqtt.password) in the settings';
    // Mosquitto answers a wrong password with "not authorized" too.
    case 5:
    case 135:
      return 'the broker refused the user name or password, or does not let this user in; check mqtt.url (or mqtt.username and mqtt.password) in the settings';
    case 'ECONNREFUSED':
      return 'nothing answers at that address (the broker is down, or the port is wrong)';
    case 'ENOTFOUND':
      return 'the broker\'s host name is not known; check mqtt.url in the settings';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the broker's certificate is not signed by a CA this computer trusts (${error.message}); give its CA certificate as mqtt.caFile (or --mqtt-ca)`;
    case 'CERT_HAS_EXPIRED':
      return 'the broker\'s certificate has expired; renew it on the broker';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the broker's certificate is for another name (${error.message}); use the name it was issued for in mqtt.url`;
    default:
      return error.message || 'the connection failed';
  }
}

/** Whether the broker is slow to take what was sent: the socket holds more than MAX_UNSENT_BYTES. */
function behind(client: MqttClient): boolean {
  const stream = client.stream as { writableLength?: number } | undefined;
  return (stream?.writableLength ?? 0) > MAX_UNSENT_BYTES;
}

function withinTime(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([work.then(() => undefined, () => undefined), new Promise<void>((done) => (timer = setTimeout(done, ms)))]).finally(() => clearTimeout(timer));
}
