/**
 * Home Assistant discovery as pure data: the station's channels and recipes in, configs that
 * Home Assistant's checks accept out, and an empty config for every entity that went away.
 */
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../shared/events';
import type { Recipe } from '../../shared/jobs';
import { initialStationState, type Channel, type StationState } from '../../shared/station';
import { discoveryConfigs, removedConfigs, switchable } from './discovery';
import { discoveryProblems, homeAssistantProblems } from './test-support/home-assistant';
import { stateSummary, stationIdOf, stationTopics, topicLevel } from './topics';

const CHANNELS: Channel[] = [
  { id: 'fill', kind: 'relay', name: 'Fill valve' },
  { id: 'drain', kind: 'relay', name: 'Drain valve' },
  { id: 'circulation', kind: 'relay', name: 'Circulation pump' },
  { id: 'lights', kind: 'relay', name: 'Lights' },
  { id: 'nut_a', kind: 'pump', name: 'Nutrient A' },
  { id: 'flow1', kind: 'flow', name: 'Fill line' },
  { id: 'ec1', kind: 'ec', name: 'EC', unit: 'mS/cm' },
  { id: 'ph1', kind: 'ph', name: 'pH', unit: 'pH' },
  { id: 'temp1', kind: 'temp', name: 'Water temperature', unit: 'C' },
  { id: 'level1', kind: 'level', name: 'Tank level', unit: 'L' },
];

const RECIPE: Recipe = { id: 'weekly', name: 'Weekly top-up', steps: [{ kind: 'notify', message: 'check the roots' }] };

function station(channels = CHANNELS, recipes: Recipe[] = [RECIPE]): StationState {
  let state = initialStationState(true, 'simulated');
  state = applyChange(state, {
    type: 'device_update',
    device: { device: 'tendril-sim', firmware: '1.4.0', protocol: '1', serial: 'SIM-0001', window: 4, watchdogMs: 3000 },
    channels,
    relays: {},
    pumps: {},
    flows: {},
    readings: {},
    estop: false,
    alarm: null,
    at: 0,
  });
  state = applyChange(state, { type: 'tanks_update', tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds: channels.map((c) => c.id) }] });
  return applyChange(state, { type: 'recipes_update', recipes });
}

const context = (stationId = 'tendril-sim-0001', commands = true) => ({ discoveryPrefix: 'homeassistant', stationId, topics: stationTopics(`tendril/${stationId}`), commands });

function byTopic(state: StationState): Map<string, Record<string, unknown>> {
  return new Map(discoveryConfigs(state, context()).map((config) => [config.topic, JSON.parse(config.payload) as Record<string, unknown>]));
}

describe('Home Assistant discovery', () => {
  it('gives configs Home Assistant accepts, one unique_id each', () => {
    const configs = discoveryConfigs(station(), context());
    expect(discoveryProblems(new Map(configs.map((config) => [config.topic, config.payload])))).toEqual([]);
  });

  it('has a sensor with its device class and unit for each probe and flow meter', () => {
    const configs = byTopic(station());
    const sensor = (id: string) => configs.get(`homeassistant/sensor/tendril-sim-0001/reading_${id}/config`);
    expect(sensor('ec1')).toMatchObject({ device_class: 'conductivity', unit_of_measurement: 'mS/cm', state_class: 'measurement', state_topic: 'tendril/tendril-sim-0001/readings/ec1' });
    expect(sensor('ph1')).toMatchObject({ device_class: 'ph', state_class: 'measurement' });
    expect(sensor('ph1')).not.toHaveProperty('unit_of_measurement');
    expect(sensor('temp1')).toMatchObject({ device_class: 'temperature', unit_of_measurement: '°C' });
    expect(sensor('level1')).toMatchObject({ device_class: 'volume_storage', unit_of_measurement: 'L' });
    expect(sensor('flow1')).toMatchObject({ device_class: 'volume_flow_rate', unit_of_measurement: 'L/min' });
    expect(sensor('nut_a')).toBeUndefined();
    expect(sensor('ec1')).toMatchObject({
      unique_id: 'tendril-sim-0001_reading_ec1',
      default_entity_id: 'sensor.tendril_sim_0001_reading_ec1',
      availability: [{ topic: 'tendril/tendril-sim-0001/availability', payload_available: 'online', payload_not_available: 'offline' }],
      device: { identifiers: ['tendril-sim-0001'], manufacturer: 'Tendril', model: 'tendril-sim', sw_version: '1.4.0', serial_number: 'SIM-0001' },
    });
  });

  it('offers a switch for relays a grower may switch by hand, never for the fill or drain valve', () => {
    const switches = [...byTopic(station()).keys()].filter((topic) => topic.startsWith('homeassistant/switch/'));
    expect(switches.sort()).toEqual(['homeassistant/switch/tendril-sim-0001/relay_circulation/config', 'homeassistant/switch/tendril-sim-0001/relay_lights/config']);
    const state = station();
    expect(switchable(state, CHANNELS[0]!)).toBe(false);
    expect(switchable(state, CHANNELS[1]!)).toBe(false);
  });

  it('offers no switch at all until the tanks are known, when any relay may be a valve', () => {
    const untanked = applyChange(station(), { type: 'tanks_update', tanks: [] });
    expect(discoveryConfigs(untanked, context()).filter((config) => config.topic.startsWith('homeassistant/switch/'))).toEqual([]);
  });

  it('has the emergency stop, the link and the stop latch, and a button per recipe', () => {
    const configs = byTopic(station());
    expect(configs.get('homeassistant/button/tendril-sim-0001/estop/config')).toMatchObject({ name: 'Emergency stop', command_topic: 'tendril/tendril-sim-0001/ha/estop/press' });
    expect(configs.get('homeassistant/binary_sensor/tendril-sim-0001/link/config')).toMatchObject({ device_class: 'connectivity', state_topic: 'tendril/tendril-sim-0001/state' });
    expect(configs.get('homeassistant/binary_sensor/tendril-sim-0001/estop_latched/config')).toMatchObject({ device_class: 'safety' });
    expect(configs.get('homeassistant/button/tendril-sim-0001/recipe_weekly/config')).toMatchObject({ name: 'Run Weekly top-up', command_topic: 'tendril/tendril-sim-0001/ha/recipes/weekly/run' });
  });

  it('offers no switch or button while commands are off: the relays read-only, and they come back when commands are on', () => {
    const off = discoveryConfigs(station(), context('tendril-sim-0001', false));
    expect(discoveryProblems(new Map(off.map((config) => [config.topic, config.payload])))).toEqual([]);
    const topics = off.map((config) => config.topic);
    expect(topics.filter((topic) => topic.includes('/switch/') || topic.includes('/button/'))).toEqual([]);
    const lights = off.find((config) => config.topic === 'homeassistant/binary_sensor/tendril-sim-0001/relay_state_lights/config');
    expect(JSON.parse(lights!.payload)).toMatchObject({ name: 'Lights', state_topic: 'tendril/tendril-sim-0001/relays/lights' });
    expect(JSON.parse(lights!.payload)).not.toHaveProperty('command_topic');
    expect(topics.some((topic) => topic.endsWith('/relay_state_fill/config'))).toBe(false);

    const on = discoveryConfigs(station(), context());
    expect(removedConfigs(topics, on).sort()).toEqual([
      'homeassistant/binary_sensor/tendril-sim-0001/relay_state_circulation/config',
      'homeassistant/binary_sensor/tendril-sim-0001/relay_state_lights/config',
    ]);
    expect(removedConfigs(on.map((config) => config.topic), off).filter((topic) => topic.includes('/button/'))).toEqual([
      'homeassistant/button/tendril-sim-0001/estop/config',
      'homeassistant/button/tendril-sim-0001/recipe_weekly/config',
    ]);
  });

  it("names Home Assistant's device by the station's name, else by its tank", () => {
    const device = (name?: string) => (JSON.parse(discoveryConfigs(station(), { ...context(), ...(name ? { name } : {}) })[0]!.payload) as { device: { name: string } }).device.name;
    expect(device('Greenhouse')).toBe('Greenhouse');
    expect(device()).toBe('Tendril Main tank');
  });

  it('withdraws the entities of a removed recipe and a removed channel', () => {
    const before = discoveryConfigs(station(), context()).map((config) => config.topic);
    const after = discoveryConfigs(
      station(
        CHANNELS.filter((channel) => channel.id !== 'temp1'),
        [],
      ),
      context(),
    );
    expect(removedConfigs(before, after).sort()).toEqual(['homeassistant/button/tendril-sim-0001/recipe_weekly/config', 'homeassistant/sensor/tendril-sim-0001/reading_temp1/config']);
  });

  it('the checker catches what Home Assistant would refuse', () => {
    expect(homeAssistantProblems('homeassistant/sensor/x/y/config', JSON.stringify({ name: 'EC', state_topic: 't', device_class: 'ph', unit_of_measurement: 'pH', device: { identifiers: ['x'] }, availability: [{ topic: 'a' }] }))).toEqual([
      'homeassistant/sensor/x/y/config: no unique_id',
      'homeassistant/sensor/x/y/config: unit pH is not one Home Assistant accepts for ph ()',
    ]);
    expect(homeAssistantProblems('homeassistant/switch/x/y/config', JSON.stringify({ unique_id: 'u', name: null, device: { identifiers: ['x'] }, availability: [{ topic: 'a' }] }))).toEqual([
      'homeassistant/switch/x/y/config: a switch needs a command_topic',
    ]);
    const named = (extra: object) => JSON.stringify({ unique_id: 'u', name: 'Lights', command_topic: 'c', device: { identifiers: ['x'] }, availability: [{ topic: 'a' }], ...extra });
    expect(homeAssistantProblems('homeassistant/button/x/y/config', named({ object_id: 'x_y' }))).toEqual(['homeassistant/button/x/y/config: object_id is no longer read; give default_entity_id']);
    expect(homeAssistantProblems('homeassistant/button/x/y/config', named({ default_entity_id: 'button.x-y' }))).toEqual([
      'homeassistant/button/x/y/config: default_entity_id must be button.<lowercase letters, digits and _>, not button.x-y',
    ]);
  });
});

describe('topics and the state summary', () => {
  it('names the station by settings, else by the controller serial, as a safe topic level', () => {
    expect(stationIdOf('Greenhouse-1', station())).toBe('greenhouse-1');
    expect(stationIdOf(undefined, station())).toBe('tendril-sim-0001');
    expect(stationIdOf(undefined, initialStationState(true, null))).toBeNull();
    expect(topicLevel('a/b+#c')).toBe('a_b_c');
  });

  it('sums up the link, the stop, the tanks, relays, readings and the jobs under way', () => {
    let state = station();
    state = applyChange(state, { type: 'ecph_reading', sensorId: 'ph1', value: 6.1, at: 5 });
    state = applyChange(state, { type: 'relay_update', relayId: 'lights', on: true, why: 'cmd' });
    expect(stateSummary(state)).toMatchObject({
      link: 'disconnected',
      estop: false,
      tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, levelL: null }],
      relays: { lights: true },
      readings: { ph1: { value: 6.1, unit: 'pH', at: 5 } },
      jobs: [],
    });
  });
});
