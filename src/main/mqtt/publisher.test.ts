/**
 * The station on a real broker: Debian's Mosquitto on loopback with a password file and an ACL,
 * the simulated station, and a real MQTT client subscribing as Home Assistant would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationState } from '../../shared/station';
import { waitFor } from '../../test-support/main/sim-process';
import type { MqttSettings } from './publisher';
import { startBroker, type Broker } from './test-support/mosquitto';
import { discoveryProblems } from './test-support/home-assistant';
import type { StationCore } from '../station';
import { cleanUpAfterEach, stationOnBroker, type StationOnBroker } from '../../test-support/main/station-on-broker';
import { subscribe, type Subscriber } from './test-support/subscriber';

const STATION_USER = { username: 'tendril', password: 'grow-secret' };
const WATCHER = { username: 'homeassistant', password: 'ha-secret' };
const ID = 'bench-station';
const PREFIX = `tendril/${ID}`;

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker([
    { name: STATION_USER.username, password: STATION_USER.password, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] },
    { name: WATCHER.username, password: WATCHER.password, acl: ['topic read tendril/#', 'topic read homeassistant/#'] },
  ]);
});
afterAll(() => broker?.stop());

const cleanUp = cleanUpAfterEach();

function station(settings: Partial<MqttSettings> = {}): Promise<StationOnBroker> {
  // Commands on (with nobody allowed), so discovery offers the switches and buttons.
  return stationOnBroker({ url: broker.url, ...STATION_USER, stationId: ID, outageAlertMs: 60_000, commands: { users: {} }, ...settings }, cleanUp);
}

async function watcher(): Promise<Subscriber> {
  const subscriber = await subscribe(broker.url, WATCHER, ['tendril/#', 'homeassistant/#']);
  cleanUp(() => subscriber.close());
  return subscriber;
}

const configsOf = (subscriber: Subscriber): Map<string, string> =>
  new Map([...subscriber.latest].filter(([topic]) => topic.startsWith('homeassistant/') && topic.split('/')[2] === ID));

async function until(core: StationCore, check: (state: StationState) => boolean, what: string): Promise<void> {
  await waitFor(() => check(core.state()), 30_000, what);
}

describe('publishing to a broker', () => {
  it('is online with retained state and discovery configs Home Assistant accepts', async () => {
    const { core } = await station();
    const ha = await watcher();
    await ha.next((m) => m.topic === `${PREFIX}/availability` && m.payload === 'online', 'online');
    await ha.next((m) => m.topic === `homeassistant/button/${ID}/estop/config`, 'the emergency stop button');
    await ha.next((m) => m.topic === `${PREFIX}/state`, 'the state summary');
    await until(core, (state) => state.broker?.status === 'connected', 'the broker link shown as connected');
    expect(core.state().broker).toMatchObject({ broker: broker.url, status: 'connected' });

    const configs = configsOf(ha);
    expect(discoveryProblems(configs)).toEqual([]);
    const entities = [...configs.keys()].map((topic) => topic.split('/').slice(1, 4).join('/')).sort();
    expect(entities).toEqual(
      [
        `binary_sensor/${ID}/estop_latched`,
        `binary_sensor/${ID}/link`,
        `button/${ID}/estop`,
        `sensor/${ID}/reading_ec1`,
        `sensor/${ID}/reading_flow1`,
        `sensor/${ID}/reading_level1`,
        `sensor/${ID}/reading_ph1`,
        `sensor/${ID}/reading_temp1`,
        `switch/${ID}/relay_air`,
        `switch/${ID}/relay_circulation`,
        `switch/${ID}/relay_lights`,
        `switch/${ID}/relay_mixer`,
      ].sort(),
    );
    const state = JSON.parse(ha.latest.get(`${PREFIX}/state`)!) as { link: string; estop: boolean };
    expect(state).toMatchObject({ link: 'ready', estop: false });
  });

  it('publishes a reading after it changes on the simulator, and a relay as it switches', async () => {
    const { core, sim } = await station();
    const ha = await watcher();
    await ha.next((m) => m.topic === `${PREFIX}/availability` && m.payload === 'online', 'online');
    sim.faults.dipProbe('ph1', 7.4);
    const reading = await ha.next((m) => m.topic === `${PREFIX}/readings/ph1` && Math.abs((JSON.parse(m.payload) as { value: number }).value - 7.4) < 0.1, 'pH 7.4');
    expect(JSON.parse(reading.payload)).toMatchObject({ unit: 'pH' });
    expect(reading.retain).toBe(false);

    await core.setRelay('lights', true);
    const relay = await ha.next((m) => m.topic === `${PREFIX}/relays/lights` && (JSON.parse(m.payload) as { on: boolean }).on, 'lights on');
    expect(JSON.parse(relay.payload)).toEqual({ on: true, why: 'cmd' });

    // A newcomer gets the latest of each from the broker's retained store.
    const late = await watcher();
    const kept = await late.next((m) => m.topic === `${PREFIX}/relays/lights`, 'the retained relay');
    expect(kept.retain).toBe(true);
    expect(JSON.parse(kept.payload)).toMatchObject({ on: true });
  });

  it('sends discrete events once, not retained, and adds and removes a recipe button', async () => {
    const { core } = await station();
    const ha = await watcher();
    await ha.next((m) => m.topic === `${PREFIX}/availability` && m.payload === 'online', 'online');
    core.recipes.create({ id: 'weekly', name: 'Weekly top-up', steps: [{ kind: 'notify', message: 'check the roots' }] });
    const button = await ha.next((m) => m.topic === `homeassistant/button/${ID}/recipe_weekly/config` && m.payload !== '', 'the recipe button');
    expect(JSON.parse(button.payload)).toMatchObject({ name: 'Run Weekly top-up', unique_id: `${ID}_recipe_weekly` });
    const event = await ha.next((m) => m.topic === `${PREFIX}/events/recipes_update`, 'the recipes event');
    expect(event.retain).toBe(false);

    core.recipes.delete('weekly');
    await ha.next((m) => m.topic === `homeassistant/button/${ID}/recipe_weekly/config` && m.payload === '', 'the recipe button withdrawn');
    const late = await watcher();
    await late.next((m) => m.topic === `homeassistant/button/${ID}/estop/config`, 'the retained configs');
    expect(late.latest.has(`homeassistant/button/${ID}/recipe_weekly/config`)).toBe(false);
  });

  it('says so when the broker refuses the password, and the station runs on', async () => {
    const { core } = await station({ password: 'wrong' });
    await until(core, (state) => state.broker?.status === 'disconnected' && /user name or password/.test(state.broker.reason), 'the refusal shown');
    expect(core.state().broker?.broker).not.toContain('wrong');
    await core.setRelay('lights', true);
    expect(core.state().relays.lights?.on).toBe(true);
  });
});

describe('broker trouble', () => {
  it('keeps the station running while the broker is down, alerts, and publishes everything again when it is back', async () => {
    const { core } = await station({ outageAlertMs: 300 });
    const before = await watcher();
    await before.next((m) => m.topic === `homeassistant/button/${ID}/estop/config`, 'discovery');
    await before.close();

    await broker.kill();
    await until(core, (state) => state.broker?.status === 'disconnected', 'the outage shown');
    // The station does not wait for the broker: a relay switches and the state follows.
    await core.setRelay('air', true);
    expect(core.state().relays.air?.on).toBe(true);
    await until(core, (state) => state.alerts.some((alert) => alert.code === 'MQTT_OFFLINE'), 'the outage alert');

    // Mosquitto keeps nothing across this restart: what a subscriber finds was published again.
    await broker.restart();
    await until(core, (state) => state.broker?.status === 'connected', 'the broker link back');
    const after = await watcher();
    await after.next((m) => m.topic === `${PREFIX}/availability` && m.payload === 'online' && m.retain, 'online again');
    const relay = await after.next((m) => m.topic === `${PREFIX}/relays/air` && m.retain, 'the relay switched during the outage');
    expect(JSON.parse(relay.payload)).toMatchObject({ on: true });
    await after.next((m) => m.topic === `${PREFIX}/state` && m.retain, 'the state');
    await after.next((m) => m.topic === `homeassistant/button/${ID}/estop/config` && m.retain, 'discovery again');
    expect(discoveryProblems(configsOf(after))).toEqual([]);
    await until(core, (state) => state.alerts.some((alert) => alert.code === 'MQTT_BACK'), 'the all-clear');
  });
});

describe('a broker with TLS and its own CA', () => {
  let tlsBroker: Broker;
  beforeAll(async () => {
    tlsBroker = await startBroker([{ name: STATION_USER.username, password: STATION_USER.password, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] }], { tls: true });
  });
  afterAll(() => tlsBroker?.stop());

  it('is reached over mqtts:// with the CA file, and refused without it', async () => {
    const trusted = await station({ url: tlsBroker.url, caFile: tlsBroker.caFile! });
    await until(trusted.core, (state) => state.broker?.status === 'connected', 'connected over TLS');
    expect(trusted.core.state().broker?.broker).toBe(tlsBroker.url);

    const untrusted = await station({ url: tlsBroker.url, stationId: 'untrusted' });
    await until(untrusted.core, (state) => state.broker?.status === 'disconnected', 'the certificate refused');
    expect(untrusted.core.state().broker?.reason).toMatch(/^the broker's certificate is not signed by a CA this computer trusts \(.+\); give its CA certificate as mqtt\.caFile \(or --mqtt-ca\); trying again in \d+ s$/);
  });

  it('says which CA file it cannot read', async () => {
    const { core } = await station({ url: tlsBroker.url, caFile: '/nowhere/ca.pem' });
    await until(core, (state) => state.broker?.status === 'disconnected', 'the missing CA file');
    expect(core.state().broker?.reason).toMatch(/^the CA file \/nowhere\/ca\.pem cannot be read \(.*\); fix mqtt\.caFile in the settings$/);
  });
});
