/**
 * The publisher's rules with a fake clock and a stand-in connection (the broker itself is in
 * publisher.test.ts): the state at most once a second, the bounded queue, the reconnect curve,
 * everything retained again on reconnect, withdrawn configs, the outage alert, a slow broker.
 */
import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationChange } from '../../shared/events';
import { initialStationState, type Alert, type AlertLevel, type BrokerLinkState } from '../../shared/station';
import { TEST_START } from '../../test-support/main/fake-time';
import { StationStore } from '../store';
import { MAX_IN_FLIGHT, MAX_QUEUED_EVENTS, MAX_UNSENT_BYTES, MQTT_WINDOW_MS, MqttPublisher, STATE_EVERY_MS } from './publisher';

interface Sent {
  topic: string;
  payload: string;
  retain: boolean;
  qos: number;
}

/** When each message was handed to the connection, on the fake clock. */
const handedAt = new WeakMap<Sent, number>();

/** A connection that connects, drops and acknowledges only when the test says so. */
class StandInConnection extends EventEmitter {
  connected = false;
  sent: Sent[] = [];
  unacknowledged: Array<(error?: Error) => void> = [];
  stream = { writableLength: 0 };
  ended = false;
  constructor(readonly options: IClientOptions) {
    super();
  }
  publish(topic: string, payload: string, options: { retain: boolean; qos: number }, done?: (error?: Error) => void): this {
    const message = { topic, payload: String(payload), retain: options.retain, qos: options.qos };
    handedAt.set(message, Date.now());
    this.sent.push(message);
    if (options.qos === 1 && done) this.unacknowledged.push(done);
    else done?.();
    return this;
  }
  subscribed: string[] = [];
  subscribe(topic: string): this {
    this.subscribed.push(topic);
    return this;
  }
  acknowledgeAll(): void {
    for (const done of this.unacknowledged.splice(0)) done();
  }
  up(): void {
    this.connected = true;
    this.emit('connect');
  }
  down(error?: Error & { code?: string | number }): void {
    this.connected = false;
    if (error) this.emit('error', error);
    this.emit('close');
  }
  end(): this {
    this.ended = true;
    return this;
  }
  endAsync(): Promise<void> {
    this.ended = true;
    return Promise.resolve();
  }
  publishAsync(topic: string, payload: string, options: { retain: boolean; qos: number }): Promise<undefined> {
    this.sent.push({ topic, payload, retain: options.retain, qos: options.qos });
    return Promise.resolve(undefined);
  }
}

const PREFIX = 'tendril/bench';

let store: StationStore;
let connections: StandInConnection[];
let alerts: Array<{ level: AlertLevel; code: string; message: string }>;
let links: BrokerLinkState[];
let publisher: MqttPublisher;

function start(outageAlertMs = 60_000, commands = true): void {
  publisher = new MqttPublisher({
    station: {
      state: () => store.state,
      subscribe: (listener) => store.subscribe((_event, state) => listener(state)),
      onEvent: (listener) => store.subscribe((event) => listener(event)),
      showBroker: (link) => links.push(link),
      alert: (level, code, message) => alerts.push({ level, code, message }),
    },
    // Commands on (with nobody allowed yet), so discovery offers the buttons these follow.
    settings: { url: 'mqtt://tendril:secret@broker.lan:1883', stationId: 'bench', outageAlertMs, ...(commands ? { commands: { users: {} } } : {}) },
    log: () => {},
    // Half of each delay is random: with 0, the delay is half the nominal one.
    random: () => 0,
    connect: (_url, options) => {
      const connection = new StandInConnection(options);
      connections.push(connection);
      return connection as unknown as MqttClient;
    },
  });
  publisher.start();
}

const latest = () => connections.at(-1)!;
const apply = (change: StationChange) => store.apply(change);
const reading = (value: number): StationChange => ({ type: 'ecph_reading', sensorId: 'ph1', value, at: Date.now() });
const sentTo = (topic: string, connection = latest()) => connection.sent.filter((message) => message.topic === topic);

/** The simulated controller's table: the lights, a pH probe, and any more probes given. */
function controllerTable(...probes: Array<{ id: string; kind: 'ec' | 'ph'; name: string; unit: string }>): StationChange {
  const at = Date.now();
  return {
    type: 'device_update',
    device: { device: 'tendril-sim', firmware: '0.3.1', protocol: '1', serial: 'SIM-0001', window: 4, watchdogMs: 3000 },
    channels: [{ id: 'lights', kind: 'relay', name: 'Lights' }, { id: 'ph1', kind: 'ph', name: 'pH', unit: 'pH' }, ...probes],
    relays: { lights: { on: false, why: 'state' } },
    pumps: {},
    flows: {},
    readings: Object.fromEntries([['ph1', { value: 6, at }], ...probes.map((probe) => [probe.id, { value: 1.2, at }])]),
    estop: false,
    alarm: null,
    at,
  };
}

function alertEvent(id: number): StationChange {
  const alert: Alert = { id, level: 'info', code: 'RECIPE_NOTE', message: `note ${id}`, at: Date.now(), source: 'host' };
  return { type: 'alert', alert };
}

beforeEach(() => {
  vi.useFakeTimers({ now: TEST_START });
  store = new StationStore(initialStationState(true, 'simulated', TEST_START));
  store.apply(controllerTable());
  store.apply({ type: 'recipes_update', recipes: [{ id: 'weekly', name: 'Weekly', steps: [{ kind: 'notify', message: 'look' }] }] });
  connections = [];
  alerts = [];
  links = [];
});

afterEach(async () => {
  await publisher.close();
  vi.useRealTimers();
});

describe('the publisher', () => {
  it('connects with an offline Last Will, and says online before anything else', () => {
    start();
    expect(latest().options.will).toMatchObject({ topic: `${PREFIX}/availability`, retain: true, qos: 1 });
    expect(String(latest().options.will!.payload)).toBe('offline');
    expect(latest().options.reconnectPeriod).toBe(0);
    latest().up();
    expect(latest().sent[0]).toEqual({ topic: `${PREFIX}/availability`, payload: 'online', retain: true, qos: 1 });
    expect(sentTo(`${PREFIX}/state`)).toHaveLength(1);
    expect(sentTo(`${PREFIX}/readings/ph1`)).toHaveLength(1);
    expect(sentTo('homeassistant/button/bench/recipe_weekly/config')).toHaveLength(1);
    expect(links.at(-1)).toMatchObject({ status: 'connected', broker: 'mqtt://tendril@broker.lan:1883' });
  });

  it('offers Home Assistant no switch or button while commands are off, and clears those a run with commands left', () => {
    // With a tank, the lights are a relay a grower may switch by hand.
    apply({ type: 'tanks_update', tanks: [{ id: 'main', name: 'Main', capacityL: 60, channelIds: ['lights', 'ph1'] }] });
    start(60_000, false);
    latest().up();
    const config = (topic: string) => sentTo(`homeassistant/${topic}/config`).map((message) => message.payload);
    expect(JSON.parse(config('binary_sensor/bench/relay_state_lights')[0]!)).toMatchObject({ name: 'Lights', state_topic: 'tendril/bench/relays/lights' });
    // Withdrawn, not offered: a press would go nowhere.
    expect(config('switch/bench/relay_lights')).toEqual(['']);
    expect(config('button/bench/estop')).toEqual(['']);
    expect(config('button/bench/recipe_weekly')).toEqual(['']);
  });

  it("sends Home Assistant the configs again when it says it has started", () => {
    start();
    latest().up();
    expect(latest().subscribed).toEqual(['homeassistant/status']);
    const configs = () => sentTo('homeassistant/button/bench/estop/config').length;
    expect(configs()).toBe(1);
    latest().emit('message', 'homeassistant/status', Buffer.from('offline'));
    expect(configs()).toBe(1);
    latest().emit('message', 'homeassistant/status', Buffer.from('online'));
    expect(configs()).toBe(2);
  });

  it('publishes the state on change at most once a second, and the last change always', async () => {
    start();
    latest().up();
    const sentAt = () => sentTo(`${PREFIX}/state`).length;
    await vi.advanceTimersByTimeAsync(STATE_EVERY_MS);
    const before = sentAt();
    for (let i = 0; i < 25; i++) {
      apply(reading(6 + i / 100));
      await vi.advanceTimersByTimeAsync(100);
    }
    // 2.5 s of changes every 100 ms: one at once, then one a second.
    expect(sentAt() - before).toBe(3);
    await vi.advanceTimersByTimeAsync(STATE_EVERY_MS);
    const last = JSON.parse(sentTo(`${PREFIX}/state`).at(-1)!.payload) as { readings: { ph1: { value: number } } };
    expect(last.readings.ph1.value).toBe(6.24);
  });

  it('publishes each reading within one window of its change, the latest of each channel', async () => {
    start();
    latest().up();
    await vi.advanceTimersByTimeAsync(1_000);
    const changedAt = new Map<number, number>();
    for (let i = 0; i < 40; i++) {
      const value = 6 + i / 100;
      changedAt.set(value, Date.now());
      apply(reading(value));
      await vi.advanceTimersByTimeAsync(30);
    }
    await vi.advanceTimersByTimeAsync(MQTT_WINDOW_MS);
    const readings = sentTo(`${PREFIX}/readings/ph1`).slice(1);
    // Changes every 30 ms, coalesced over 100 ms: fewer messages than changes, none later than a window.
    expect(readings.length).toBeLessThan(40);
    for (const message of readings) {
      const value = (JSON.parse(message.payload) as { value: number }).value;
      expect(handedAt.get(message)! - changedAt.get(value)!).toBeLessThanOrEqual(MQTT_WINDOW_MS);
    }
    expect(JSON.parse(readings.at(-1)!.payload)).toMatchObject({ value: 6.39 });
  });

  it('paces each channel on its own: a reading never waits for the window of another channel', async () => {
    store.apply(controllerTable({ id: 'ec1', kind: 'ec', name: 'EC', unit: 'mS/cm' }));
    start();
    latest().up();
    await vi.advanceTimersByTimeAsync(1_000);
    const handed = (topic: string) => sentTo(topic).map((message) => ({ at: handedAt.get(message)! - Date.now(), value: (JSON.parse(message.payload) as { value: number }).value }));

    apply(reading(6.1));
    await vi.advanceTimersByTimeAsync(30);
    apply({ type: 'ecph_reading', sensorId: 'ec1', value: 1.4, at: Date.now() });
    apply(reading(6.2));
    await vi.advanceTimersByTimeAsync(0);
    // EC's first change in a window goes out as it comes; pH's second waits for pH's window.
    expect(handed(`${PREFIX}/readings/ec1`).at(-1)).toEqual({ at: 0, value: 1.4 });
    expect(handed(`${PREFIX}/readings/ph1`).at(-1)).toEqual({ at: -30, value: 6.1 });
    await vi.advanceTimersByTimeAsync(MQTT_WINDOW_MS - 30);
    expect(handed(`${PREFIX}/readings/ph1`).at(-1)).toEqual({ at: 0, value: 6.2 });
  });

  it('keeps the latest of each retained topic while the broker is away, and sends them all again on reconnect', async () => {
    start();
    latest().up();
    latest().down(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(links.at(-1)).toMatchObject({ status: 'disconnected' });
    expect(links.at(-1)!.reason).toMatch(/^nothing answers at that address .*; trying again in 1 s$/);
    for (let i = 0; i < 10; i++) {
      apply(reading(7 + i / 10));
      await vi.advanceTimersByTimeAsync(100);
    }
    apply({ type: 'recipes_update', recipes: [] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connections).toHaveLength(2);
    latest().up();
    expect(latest().sent[0]!.payload).toBe('online');
    const readings = sentTo(`${PREFIX}/readings/ph1`);
    expect(readings).toHaveLength(1);
    expect(JSON.parse(readings[0]!.payload)).toMatchObject({ value: 7.9 });
    // The recipe deleted while away: its button goes when the broker is back.
    expect(sentTo('homeassistant/button/bench/recipe_weekly/config')).toEqual([{ topic: 'homeassistant/button/bench/recipe_weekly/config', payload: '', retain: true, qos: 1 }]);
    expect(sentTo('homeassistant/button/bench/estop/config')).toHaveLength(1);
  });

  it('holds at most the newest events while away, and sends them a window of unacknowledged at a time', async () => {
    start();
    latest().up();
    latest().down();
    const extra = 5;
    for (let id = 1; id <= MAX_QUEUED_EVENTS + extra; id++) apply(alertEvent(id));
    await vi.advanceTimersByTimeAsync(1_000);
    latest().up();
    const events = () => latest().sent.filter((message) => message.topic === `${PREFIX}/events/alert`);
    expect(events()).toHaveLength(MAX_IN_FLIGHT);
    expect(events().every((message) => message.qos === 1 && !message.retain)).toBe(true);
    while (latest().unacknowledged.length > 0) latest().acknowledgeAll();
    expect(events()).toHaveLength(MAX_QUEUED_EVENTS);
    expect((JSON.parse(events()[0]!.payload) as { alert: Alert }).alert.id).toBe(extra + 1);
    expect((JSON.parse(events().at(-1)!.payload) as { alert: Alert }).alert.id).toBe(MAX_QUEUED_EVENTS + extra);
  });

  it('sends again the events a dropped connection never acknowledged', async () => {
    start();
    latest().up();
    apply(alertEvent(1));
    await vi.advanceTimersByTimeAsync(10);
    expect(sentTo(`${PREFIX}/events/alert`)).toHaveLength(1);
    latest().down();
    await vi.advanceTimersByTimeAsync(1_000);
    latest().up();
    expect(sentTo(`${PREFIX}/events/alert`)).toHaveLength(1);
  });

  it('asks again in MQTT 3.1.1 at once when the broker refuses MQTT 5', async () => {
    start();
    expect(latest().options.protocolVersion).toBe(5);
    latest().down(Object.assign(new Error('Connection refused: Unsupported Protocol Version'), { code: 132 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(connections).toHaveLength(2);
    expect(latest().options.protocolVersion).toBe(4);
  });

  it('backs off on the same curve as the controller link, up to 30 s', async () => {
    start();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const count = connections.length;
      latest().down();
      let waited = 0;
      while (connections.length === count) {
        await vi.advanceTimersByTimeAsync(250);
        waited += 250;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it('raises an alert after the outage the settings allow, and an all-clear when the broker is back', async () => {
    start(5 * 60_000);
    latest().up();
    latest().down();
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(alerts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(alerts).toEqual([expect.objectContaining({ level: 'warning', code: 'MQTT_OFFLINE' })]);
    expect(alerts[0]!.message).toContain('out of reach for 5 min');
    expect(alerts[0]!.message).not.toContain('secret');
    await vi.advanceTimersByTimeAsync(30_000);
    latest().up();
    expect(alerts.map((alert) => alert.code)).toEqual(['MQTT_OFFLINE', 'MQTT_BACK']);
  });

  it('lets retained values wait while the broker is slow to take them, then sends the latest of each', async () => {
    start();
    latest().up();
    latest().stream.writableLength = MAX_UNSENT_BYTES + 1;
    const before = sentTo(`${PREFIX}/readings/ph1`).length;
    for (let i = 0; i < 5; i++) {
      apply(reading(5 + i / 10));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sentTo(`${PREFIX}/readings/ph1`)).toHaveLength(before);
    latest().stream.writableLength = 0;
    apply({ type: 'relay_update', relayId: 'lights', on: true, why: 'cmd' });
    await vi.advanceTimersByTimeAsync(100);
    const readings = sentTo(`${PREFIX}/readings/ph1`);
    expect(readings).toHaveLength(before + 1);
    expect(JSON.parse(readings.at(-1)!.payload)).toMatchObject({ value: 5.4 });
  });

  it('removes the retained values of a channel the controller no longer has', async () => {
    start();
    latest().up();
    apply({
      type: 'device_update',
      device: store.state.device!,
      channels: [{ id: 'lights', kind: 'relay', name: 'Lights' }],
      relays: { lights: { on: false, why: 'state' } },
      pumps: {},
      flows: {},
      readings: {},
      estop: false,
      alarm: null,
      at: Date.now(),
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(sentTo(`${PREFIX}/readings/ph1`).at(-1)).toEqual({ topic: `${PREFIX}/readings/ph1`, payload: '', retain: true, qos: 1 });
    expect(sentTo('homeassistant/sensor/bench/reading_ph1/config').at(-1)!.payload).toBe('');
  });
});

describe('closing', () => {
  it('sends what changed last and the state before saying offline', async () => {
    start();
    latest().up();
    await vi.advanceTimersByTimeAsync(10);
    apply({ type: 'relay_update', relayId: 'lights', on: true, why: 'cmd' });
    apply(reading(6.5));
    const connection = latest();
    await publisher.close();
    const order = connection.sent.map((message) => message.topic).slice(-4);
    expect(order).toEqual([`${PREFIX}/relays/lights`, `${PREFIX}/readings/ph1`, `${PREFIX}/state`, `${PREFIX}/availability`]);
    expect(connection.sent.at(-1)).toEqual({ topic: `${PREFIX}/availability`, payload: 'offline', retain: true, qos: 1 });
    expect(JSON.parse(sentTo(`${PREFIX}/state`, connection).at(-1)!.payload)).toMatchObject({ relays: { lights: true } });
    expect(connection.ended).toBe(true);
  });
});
