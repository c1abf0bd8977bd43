/**
 * Commands over MQTT on a real broker: Mosquitto with a password file and the ACL docs/mqtt.md
 * asks integrators to add, the simulated station behind the one door, and real MQTT clients as
 * a script (MQTT 5 and 3.1.1) and Home Assistant would be.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import { waitFor } from '../../test-support/main/sim-process';
import { createStationControl } from '../control';
import { MAX_COMMAND_BYTES } from './commands';
import type { MqttSettings } from './publisher';
import { startBroker, type Broker } from './test-support/mosquitto';
import { cleanUpAfterEach, stationOnBroker, type StationOnBroker } from '../../test-support/main/station-on-broker';

const ID = 'greenhouse';
const PREFIX = `tendril/${ID}`;
const STATION = { username: 'tendril', password: 'grow-secret' };
const ALICE = { username: 'alice', password: 'alice-secret' };
const VIVIAN = { username: 'vivian', password: 'vivian-secret' };
const MALLORY = { username: 'mallory', password: 'mallory-secret' };
const HA = { username: 'homeassistant', password: 'ha-secret' };

/** The ACL of docs/mqtt.md: each user writes only its own command topic and reads its answers. */
const COMMAND_ACL = ['pattern write tendril/+/command/%u', 'pattern read tendril/+/command/%u/#'];

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker([
    { name: STATION.username, password: STATION.password, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#', ...COMMAND_ACL] },
    { name: ALICE.username, password: ALICE.password, acl: [] },
    { name: VIVIAN.username, password: VIVIAN.password, acl: [] },
    { name: MALLORY.username, password: MALLORY.password, acl: [] },
    { name: HA.username, password: HA.password, acl: ['topic read tendril/#', 'topic read homeassistant/#', 'topic write tendril/+/ha/#'] },
  ]);
});
afterAll(() => broker?.stop());

const cleanUp = cleanUpAfterEach();

interface Running extends StationOnBroker {
  /** What the door carried out, one line per command, as the station's log has them. */
  acted: string[];
}

async function station(settings: Partial<MqttSettings> = {}): Promise<Running> {
  const acted: string[] = [];
  const running = await stationOnBroker(
    {
      url: broker.url,
      ...STATION,
      stationId: ID,
      outageAlertMs: 60_000,
      commands: { users: { alice: 'operator', vivian: 'viewer', homeassistant: 'operator' }, homeAssistantUser: 'homeassistant' },
      ...settings,
    },
    cleanUp,
    (core) => createStationControl(core, { log: (line) => acted.push(line) }),
  );
  await waitFor(() => running.core.state().broker?.status === 'connected', 10_000, 'the broker link');
  return { ...running, acted };
}

interface Answer {
  topic: string;
  ack: CommandAck & { id?: string };
  correlationData?: Buffer;
}

/** A client as an integrator's script would be: it sends commands and collects the answers. */
async function client(user: { username: string; password: string }, protocolVersion: 4 | 5 = 5): Promise<{ client: MqttClient; answers: Answer[]; next(what: string, matches?: (answer: Answer) => boolean): Promise<Answer> }> {
  const connection = await mqtt.connectAsync(broker.url, { ...user, protocolVersion, reconnectPeriod: 0, clean: true });
  cleanUp(() => connection.endAsync(true));
  const answers: Answer[] = [];
  connection.on('message', (topic, payload, packet) => {
    answers.push({ topic, ack: JSON.parse(payload.toString()) as Answer['ack'], ...(packet.properties?.correlationData ? { correlationData: packet.properties.correlationData } : {}) });
  });
  await connection.subscribeAsync(`${PREFIX}/command/${user.username}/+`, { qos: 1 });
  return {
    client: connection,
    answers,
    async next(what, matches = () => true) {
      await waitFor(() => answers.some(matches), 10_000, what);
      return answers.find(matches)!;
    },
  };
}

const REPLIES = `${PREFIX}/command/alice/replies`;

function request(sender: MqttClient, user: string, command: unknown, correlation: string): Promise<unknown> {
  return sender.publishAsync(`${PREFIX}/command/${user}`, JSON.stringify(command), { qos: 1, properties: { responseTopic: `${PREFIX}/command/${user}/replies`, correlationData: Buffer.from(correlation) } });
}

const doorLines = (running: Running, user: string): string[] => running.acted.filter((line) => line.startsWith(`command: ${user} (MQTT user)`));

describe('commands over MQTT', () => {
  it('carries an operator’s command to the door and answers on the response topic with the correlation data', async () => {
    const running = await station();
    const alice = await client(ALICE);
    await request(alice.client, 'alice', { id: 'lights-on-1', type: 'relay.set', relayId: 'lights', on: true }, 'c-1');
    const answer = await alice.next('the answer', (a) => a.correlationData?.toString() === 'c-1');
    expect(answer.topic).toBe(REPLIES);
    expect(answer.ack).toEqual({ id: 'lights-on-1', ok: true, result: { relayId: 'lights', on: true } });
    await waitFor(() => running.core.state().relays.lights?.on === true, 10_000, 'the lights on');

    // The audit names the broker user: a dose's job says who asked for it.
    await request(alice.client, 'alice', { id: 'dose-1', type: 'pump.dose', pumpId: 'nut_a', ml: 2 }, 'c-2');
    const dose = await alice.next('the dose answer', (a) => a.correlationData?.toString() === 'c-2');
    expect(dose.ack.ok).toBe(true);
    expect(running.core.state().jobs.find((job) => job.kind === 'dose')?.requestedBy).toBe('alice (MQTT user)');
    expect(doorLines(running, 'alice')).toHaveLength(2);
  });

  it('refuses a viewer what the LAN refuses a viewer, and lets it stop the station', async () => {
    const running = await station();
    const vivian = await client(VIVIAN);
    await request(vivian.client, 'vivian', { id: 'v-1', type: 'relay.set', relayId: 'lights', on: true }, 'v-1');
    const refused = await vivian.next('the refusal', (a) => a.correlationData?.toString() === 'v-1');
    expect(refused.ack).toMatchObject({ id: 'v-1', ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.ack.ok === false && refused.ack.error.message).toMatch(/viewer in mqtt\.commands\.users/);
    expect(running.core.state().relays.lights?.on).toBe(false);

    await request(vivian.client, 'vivian', { id: 'v-2', type: 'estop' }, 'v-2');
    const stopped = await vivian.next('the stop', (a) => a.correlationData?.toString() === 'v-2');
    expect(stopped.ack.ok).toBe(true);
    expect(running.core.state().estop.latched).toBe(true);
    expect(doorLines(running, 'vivian')).toEqual(['command: vivian (MQTT user) (viewer) estop: done']);

    // The stop latch refuses an operator's command too, as on the LAN.
    const alice = await client(ALICE);
    await request(alice.client, 'alice', { id: 'a-1', type: 'relay.set', relayId: 'lights', on: true }, 'a-1');
    const latched = await alice.next('the latch refusal', (a) => a.correlationData?.toString() === 'a-1');
    expect(latched.ack).toMatchObject({ ok: false, error: { code: 'ESTOP' } });
  });

  it('refuses a broker user not in the settings, on its MQTT 3.1.1 ack topic', async () => {
    const running = await station();
    const mallory = await client(MALLORY, 4);
    await mallory.client.publishAsync(`${PREFIX}/command/mallory`, JSON.stringify({ id: 'm-1', type: 'estop' }), { qos: 1 });
    const answer = await mallory.next('the refusal');
    expect(answer.topic).toBe(`${PREFIX}/command/mallory/ack`);
    expect(answer.ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(answer.ack.ok === false && answer.ack.error.message).toContain('mqtt.commands.users');
    expect(running.core.state().estop.latched).toBe(false);
    expect(running.acted).toEqual([]);
  });

  it('acts once on a replayed id and answers it again', async () => {
    const running = await station();
    const alice = await client(ALICE);
    const dose = { id: 'dose-once', type: 'pump.dose', pumpId: 'nut_a', ml: 2 };
    await request(alice.client, 'alice', dose, 'first');
    const first = await alice.next('the first answer', (a) => a.correlationData?.toString() === 'first');
    await request(alice.client, 'alice', dose, 'again');
    const again = await alice.next('the second answer', (a) => a.correlationData?.toString() === 'again');
    expect(again.ack).toEqual(first.ack);
    expect(running.core.state().jobs.filter((job) => job.kind === 'dose')).toHaveLength(1);
    expect(doorLines(running, 'alice')).toHaveLength(1);
  });

  it('answers a malformed, an id-less and an oversized payload with a clear error, and does nothing', async () => {
    const running = await station();
    const alice = await client(ALICE, 4);
    const send = (payload: string | Buffer) => alice.client.publishAsync(`${PREFIX}/command/alice`, payload, { qos: 1 });
    await send('lights on please');
    const notJson = await alice.next('not JSON', (a) => a.ack.ok === false && /not JSON/.test(a.ack.error.message));
    expect(notJson.ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });

    await send(JSON.stringify({ type: 'relay.set', relayId: 'lights', on: true }));
    const noId = await alice.next('no id', (a) => a.ack.ok === false && /id is missing/.test(a.ack.error.message));
    expect(noId.ack.ok === false && noId.ack.error.message).toMatch(/deliver a message twice/);

    await send(JSON.stringify({ id: 'shape', type: 'relay.set', relayId: 'lights', on: 'yes' }));
    const shape = await alice.next('wrong shape', (a) => a.ack.id === 'shape');
    expect(shape.ack).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'on must be true or false' } });

    await send(Buffer.alloc(1024 * 1024, 'x'));
    const large = await alice.next('too large', (a) => a.ack.ok === false && /at most/.test(a.ack.error.message));
    expect(large.ack).toMatchObject({ ok: false, error: { code: 'INVALID', message: `a command is at most ${MAX_COMMAND_BYTES / 1024} KiB of JSON; this one is 1024 KiB, so it was not read` } });

    expect(running.core.state().relays.lights?.on).toBe(false);
    // Refused before anything acted: the door carried out nothing.
    expect(running.acted).toEqual([]);
  });
});

describe('the examples of docs/mqtt.md', () => {
  /** mosquitto_pub as an integrator runs it, with the options the examples give. */
  async function mosquittoPub(args: string[]): Promise<void> {
    const pub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    pub.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const [code] = (await once(pub, 'exit')) as [number | null];
    expect(errors).toBe('');
    expect(code).toBe(0);
  }

  it('answers mosquitto_pub with MQTT 5 properties on the response topic, and 3.1.1 on the ack topic', async () => {
    const running = await station();
    const alice = await client(ALICE);
    await mosquittoPub([
      '-u', ALICE.username, '-P', ALICE.password, '-V', 'mqttv5', '-t', `${PREFIX}/command/alice`,
      '-D', 'publish', 'response-topic', REPLIES, '-D', 'publish', 'correlation-data', 'lights-1',
      '-m', '{"id": "lights-1", "type": "relay.set", "relayId": "lights", "on": true}',
    ]);
    const answer = await alice.next('the MQTT 5 answer', (a) => a.topic === REPLIES);
    expect(answer.correlationData?.toString()).toBe('lights-1');
    expect(answer.ack).toMatchObject({ id: 'lights-1', ok: true });

    await mosquittoPub(['-u', ALICE.username, '-P', ALICE.password, '-t', `${PREFIX}/command/alice`, '-m', '{"id": "dose-0412", "type": "pump.dose", "pumpId": "nut_a", "ml": 5}']);
    const ack = await alice.next('the 3.1.1 answer', (a) => a.topic === `${PREFIX}/command/alice/ack`);
    expect(ack.ack).toMatchObject({ id: 'dose-0412', ok: true });
    expect(running.core.state().relays.lights?.on).toBe(true);

    // Alice may not write another user's topic: the broker drops it, so no one acts in vivian's name.
    await mosquittoPub(['-u', ALICE.username, '-P', ALICE.password, '-t', `${PREFIX}/command/vivian`, '-m', '{"id": "as-vivian", "type": "estop"}']);
    await request(alice.client, 'alice', { id: 'after', type: 'relay.set', relayId: 'lights', on: false }, 'after');
    await alice.next('the command after', (a) => a.correlationData?.toString() === 'after');
    expect(running.acted.some((line) => line.includes('vivian'))).toBe(false);
    expect(running.core.state().estop.latched).toBe(false);
  });
});

describe('Home Assistant’s switches and buttons', () => {
  it('switches a relay, and the door refuses a fill valve', async () => {
    const running = await station();
    const ha = await client(HA);
    await ha.client.publishAsync(`${PREFIX}/ha/relays/lights/set`, 'ON', { qos: 1 });
    await waitFor(() => running.core.state().relays.lights?.on === true, 10_000, 'the lights on from Home Assistant');
    expect(doorLines(running, 'homeassistant')[0]).toContain('relay.set lights on: done');

    // A valve has no switch in discovery, and a hand-made press is refused by the door itself.
    await ha.client.publishAsync(`${PREFIX}/ha/relays/fill/set`, 'ON', { qos: 1 });
    const refused = await ha.next('the valve refused', (a) => a.topic === `${PREFIX}/command/homeassistant/ack` && a.ack.ok === false);
    expect(refused.ack).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(running.core.state().relays.fill?.on).toBe(false);
    await waitFor(() => running.core.state().alerts.some((alert) => alert.code === 'MQTT_COMMAND_REFUSED'), 10_000, 'the grower told');

    await ha.client.publishAsync(`${PREFIX}/ha/estop/press`, 'PRESS', { qos: 1 });
    await waitFor(() => running.core.state().estop.latched, 10_000, 'the stop from Home Assistant');
    expect(doorLines(running, 'homeassistant').at(-1)).toBe('command: homeassistant (MQTT user) (operator) estop: done');
  });
});

describe('a broker restart', () => {
  it('keeps the station running and applies a command redelivered after the restart once', async () => {
    const running = await station();
    const alice = await client(ALICE);
    const dose = { id: 'dose-across-restart', type: 'pump.dose', pumpId: 'nut_a', ml: 2 };
    await request(alice.client, 'alice', dose, 'before');
    const before = await alice.next('the answer before', (a) => a.correlationData?.toString() === 'before');
    expect(before.ack.ok).toBe(true);

    await broker.kill();
    await waitFor(() => running.core.state().broker?.status === 'disconnected', 10_000, 'the outage shown');
    await running.core.setRelay('air', true);
    expect(running.core.state().relays.air?.on).toBe(true);
    await broker.restart();
    await waitFor(() => running.core.state().broker?.status === 'connected', 40_000, 'the broker back');

    // The client had no answer it trusted and sends again, as QoS 1 does after a reconnect.
    const back = await client(ALICE);
    await request(back.client, 'alice', dose, 'after');
    const after = await back.next('the answer after', (a) => a.correlationData?.toString() === 'after');
    expect(after.ack).toEqual(before.ack);
    expect(running.core.state().jobs.filter((job) => job.kind === 'dose')).toHaveLength(1);
    expect(doorLines(running, 'alice')).toHaveLength(1);
    expect(running.core.state().link.status).toBe('ready');
  }, 60_000);
});
