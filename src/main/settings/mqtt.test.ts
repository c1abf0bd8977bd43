import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, warningOf } from './load';
import { MQTT_SETTINGS_INPUT_SCHEMA, type MqttSettingsInput } from '../../shared/mqtt-settings';
import { DEFAULT_MQTT, readMqtt, readMqttSection } from './mqtt';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(settings: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-mqtt-settings-'));
  folders.push(dir);
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  return dir;
}

describe('the mqtt section', () => {
  it('is off while missing', () => {
    expect(readMqtt(undefined, 'settings.json')).toEqual({ value: null });
  });

  it('takes a broker address with the defaults for the rest', () => {
    const settings = loadSettings(folder({ mqtt: { url: 'mqtt://tendril:secret@192.168.1.5:1883', stationId: 'greenhouse-1' } }));
    expect(settings.mqtt).toEqual({ ...DEFAULT_MQTT, url: 'mqtt://tendril:secret@192.168.1.5:1883', stationId: 'greenhouse-1' });
    expect(settings.warnings).toEqual([]);
  });

  it('is off when switched off, keeping what was written for later', () => {
    expect(readMqtt({ enabled: false, url: 'mqtt://broker.local' }, 'settings.json')).toEqual({ value: null });
  });

  it('says what is wrong with the address and keeps publishing off', () => {
    const dir = folder({ mqtt: { url: 'http://broker.local' } });
    const settings = loadSettings(dir);
    expect(settings.mqtt).toBeNull();
    expect(warningOf(settings, 'mqtt')).toBe(`${join(dir, 'settings.json')}: mqtt.url must start with mqtt://, mqtts://, ws:// or wss://, not http://; nothing is published to MQTT until it is fixed`);
  });

  it('refuses a prefix with wildcards, and an unknown key', () => {
    expect(readMqtt({ url: 'mqtt://b', prefix: 'tendril/#' }, 'f').warning).toMatch(/^f: mqtt\.prefix must be topic levels of letters, digits/);
    expect(readMqtt({ url: 'mqtt://b', pasword: 'x' }, 'f').warning).toBe('f: mqtt.unknown field "pasword"; remove it; nothing is published to MQTT until it is fixed');
  });
  it('takes commands for the broker users it maps to roles, on unless switched off', () => {
    const commands = { users: { homeassistant: 'operator', 'dash.board': 'viewer' }, homeAssistantUser: 'homeassistant' };
    expect(readMqtt({ url: 'mqtt://b', commands }, 'f').value?.commands).toEqual({ enabled: true, ...commands });
    expect(readMqtt({ url: 'mqtt://b', commands: { ...commands, enabled: false } }, 'f').value?.commands?.enabled).toBe(false);
    expect(readMqtt({ url: 'mqtt://b' }, 'f').value?.commands).toBeUndefined();
  });

  it('says what is wrong with the commands and keeps MQTT off', () => {
    const warning = (commands: unknown) => readMqtt({ url: 'mqtt://b', commands }, 'f').warning;
    expect(warning({ users: { alice: 'admin' } })).toBe('f: mqtt.commands.users: each user\'s role must be "viewer" or "operator"; nothing is published to MQTT until it is fixed');
    expect(warning({ users: { 'tendril/#': 'viewer' } })).toMatch(/^f: mqtt\.commands\.users: a broker user name is 1 to 64 letters/);
    expect(warning({ users: { alice: 'operator' }, homeAssistantUser: 'homeassistant' })).toBe(
      'f: mqtt.commands.homeAssistantUser must be one of mqtt.commands.users, so its switches and buttons act with a role; nothing is published to MQTT until it is fixed',
    );
    expect(warning({ users: ['alice'] })).toMatch(/^f: mqtt\.commands\.users must map broker user names to roles/);
  });
});

describe('the MQTT form (mqtt.configure)', () => {
  const form: MqttSettingsInput = {
    enabled: true,
    url: 'mqtt://192.168.1.5:1883',
    username: 'tendril',
    password: '',
    caFile: '',
    prefix: '',
    stationId: '',
    name: '',
    discovery: true,
    discoveryPrefix: 'homeassistant',
    outageAlertMinutes: 5,
    keepaliveSeconds: 30,
    commands: { enabled: false, users: {}, homeAssistantUser: '' },
  };
  const problems = (change: Partial<MqttSettingsInput>) =>
    (MQTT_SETTINGS_INPUT_SCHEMA.safeParse({ ...form, ...change }).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

  it('takes empty text for "none" and "the default"', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ password: null })).toEqual([]);
  });

  it('needs an address only while MQTT is on', () => {
    expect(problems({ url: '' })).toEqual(["url: enter the broker's address, an address such as mqtt://user:password@192.168.1.5:1883 (mqtt://, mqtts://, ws:// or wss://), or switch MQTT off"]);
    expect(problems({ url: '', enabled: false })).toEqual([]);
    expect(problems({ url: 'http://broker.local' })).toEqual(['url: must start with mqtt://, mqtts://, ws:// or wss://, not http://']);
  });

  it('holds each setting to the rules of settings.json, in the same words', () => {
    expect(problems({ prefix: 'tendril/#' })).toEqual(['prefix: must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"']);
    expect(readMqtt({ url: 'mqtt://b', prefix: 'tendril/#' }, 'f').issue).toBe('mqtt.prefix must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"');
    expect(problems({ stationId: 'green house' })).toEqual(['stationId: must be letters, digits, - and _, such as "greenhouse-1"']);
    expect(problems({ discoveryPrefix: '' })).toEqual(['discoveryPrefix: must be a topic such as "homeassistant"']);
    expect(problems({ outageAlertMinutes: 0 })).toEqual(['outageAlertMinutes: must be more than 0']);
    expect(problems({ outageAlertMinutes: Number.NaN })).toEqual(['outageAlertMinutes: must be a number of minutes']);
    expect(problems({ keepaliveSeconds: 1.5 })).toEqual(['keepaliveSeconds: must be whole seconds']);
  });

  it('says which broker user cannot be one, and that Home Assistant\'s user needs a role', () => {
    expect(problems({ commands: { enabled: true, users: { 'tendril/#': 'viewer' }, homeAssistantUser: '' } })).toEqual([
      'commands.users: a broker user name is 1 to 64 letters, digits, and . _ @ -, such as "homeassistant" (it is also its command topic); "tendril/#" is not',
    ]);
    expect(problems({ commands: { enabled: true, users: { ha: 'admin' as 'operator' }, homeAssistantUser: '' } })).toEqual(['commands.users.ha: each user\'s role must be "viewer" or "operator"']);
    expect(problems({ commands: { enabled: true, users: { alice: 'operator' }, homeAssistantUser: 'homeassistant' } })).toEqual([
      'commands.homeAssistantUser: must be one of the broker users given a role, so its switches and buttons act with a role',
    ]);
  });

  it('keeps a section switched off with no address, for later', () => {
    expect(readMqttSection({ enabled: false }, 'f')).toEqual({ value: { ...DEFAULT_MQTT, enabled: false, url: '' } });
    expect(readMqtt({ enabled: false }, 'f')).toEqual({ value: null });
    expect(readMqtt({ stationId: 'x' }, 'f').issue).toBe('mqtt.url must be an address such as mqtt://user:password@192.168.1.5:1883 (mqtt://, mqtts://, ws:// or wss://)');
  });
});
