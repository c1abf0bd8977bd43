import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, warningOf } from './load';
import { DEFAULT_MQTT, readMqtt } from './mqtt';

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
});
