import { describe, expect, it } from 'vitest';
import { DEFAULT_MQTT, type LoadedSettings } from '../settings';
import { listenAt, mqttFrom, parseServeArgs, sourceFrom, workersFrom } from './serve-args';

const FILE = '/var/lib/tendril/settings.json';
const settings = (lanGiven: LoadedSettings['lanGiven'], warnings: LoadedSettings['warnings'] = []) => ({ file: FILE, lanGiven, warnings });
const flags = (...argv: string[]) => parseServeArgs(argv);

describe('where headless listens', () => {
  it('is this machine only on 4545 when neither the command line nor the settings say', () => {
    expect(listenAt(flags(), settings({}))).toEqual({ host: '127.0.0.1', port: 4545 });
  });

  it('takes each of host and port from the command line, else from lan in settings.json', () => {
    expect(listenAt(flags(), settings({ host: '0.0.0.0', port: 8080 }))).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(listenAt(flags('--port', '0'), settings({ host: '0.0.0.0', port: 8080 }))).toEqual({ host: '0.0.0.0', port: 0 });
    expect(listenAt(flags('--host', '127.0.0.1'), settings({ host: '0.0.0.0', port: 8080 }))).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('refuses lan.enabled false unless the command line says where to listen', () => {
    expect(() => listenAt(flags(), settings({ enabled: false }))).toThrow(/lan\.enabled is false, but headless Tendril is used only through its LAN server/);
    expect(listenAt(flags('--host', '0.0.0.0'), settings({ enabled: false }))).toEqual({ host: '0.0.0.0', port: 4545 });
  });

  it('refuses a lan section it cannot read unless both host and port are given', () => {
    const bad = settings({}, [{ section: 'lan', message: '…', issue: 'port: lan.port must be 1 to 65535' }]);
    expect(() => listenAt(flags('--port', '0'), bad)).toThrow(`${FILE}: port: lan.port must be 1 to 65535; fix it, or pass --host and --port to say where to listen`);
    expect(listenAt(flags('--host', '127.0.0.1', '--port', '0'), bad)).toEqual({ host: '127.0.0.1', port: 0 });
  });
});

describe('which controller headless reaches', () => {
  const none = {} as LoadedSettings;
  it('tells job timers how much faster a simulator on a port runs, and nothing of it for real hardware', () => {
    expect(sourceFrom(flags('--serial', '/dev/pts/4', '--time-scale', '60'), none, () => {})).toEqual({ kind: 'serial', path: '/dev/pts/4', baud: 115200, timeScale: 60 });
    expect(sourceFrom(flags('--serial', '/dev/ttyACM0'), none, () => {})).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200 });
    expect(sourceFrom(flags('--simulate', '--time-scale', '10'), none, () => {})).toEqual({ kind: 'simulated', timeScale: 10 });
  });
});

describe('the MQTT broker headless publishes to', () => {
  const saved = { mqtt: { ...DEFAULT_MQTT, url: 'mqtt://saved.local', stationId: 'greenhouse', outageAlertMinutes: 2 } };
  it('is left to settings.json without --mqtt', () => {
    expect(mqttFrom(flags(), saved)).toBeUndefined();
    expect(mqttFrom(flags(), { mqtt: null })).toBeUndefined();
  });

  it('takes --mqtt and --mqtt-ca over the settings, keeping their other keys', () => {
    expect(mqttFrom(flags('--mqtt', 'mqtts://tendril:pw@broker.lan:8883', '--mqtt-ca', '/etc/tendril/ca.pem'), saved)).toEqual({
      url: 'mqtts://tendril:pw@broker.lan:8883',
      caFile: '/etc/tendril/ca.pem',
      stationId: 'greenhouse',
      discoveryPrefix: 'homeassistant',
      outageAlertMs: 120_000,
      keepaliveSeconds: 30,
    });
    expect(mqttFrom(flags('--mqtt', 'mqtt://127.0.0.1:1883'), { mqtt: null })).toEqual({ url: 'mqtt://127.0.0.1:1883', discoveryPrefix: 'homeassistant', outageAlertMs: 300_000, keepaliveSeconds: 30 });
  });

  it('refuses an address that is not a broker, and a CA file with no broker', () => {
    expect(() => flags('--mqtt', 'broker.lan')).toThrow(/^--mqtt must be an address such as mqtt:\/\/user:password@192\.168\.1\.5:1883 \(mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/\)$/);
    expect(() => flags('--mqtt', 'http://broker.lan')).toThrow('--mqtt must start with mqtt://, mqtts://, ws:// or wss://, not http://');
    expect(() => mqttFrom(flags('--mqtt-ca', '/etc/ca.pem'), { mqtt: null })).toThrow('--mqtt-ca is for an mqtts:// broker; give its address with --mqtt or mqtt.url in the settings');
  });
});

describe('the screens\' workers', () => {
  it('are none unless --workers or lan.workers asks, the flag over the setting', () => {
    expect(workersFrom(flags(), { lanGiven: {} })).toEqual({ count: 0, redis: null });
    expect(workersFrom(flags(), { lanGiven: { workers: 2 } })).toEqual({ count: 2, redis: null });
    expect(workersFrom(flags('--workers', '3', '--redis', 'redis://10.0.0.5:6379'), { lanGiven: { workers: 2 } })).toEqual({ count: 3, redis: 'redis://10.0.0.5:6379' });
    expect(workersFrom(flags('--workers', '0'), { lanGiven: { workers: 2 } })).toEqual({ count: 0, redis: null });
  });

  it('refuses a count that is not one, a Redis that is not a URL, and a Redis with no workers', () => {
    expect(() => flags('--workers', 'two')).toThrow('--workers must be a whole number from 0 to 32, not "two"');
    expect(() => flags('--workers', '64')).toThrow('--workers must be a whole number from 0 to 32, not "64"');
    expect(() => flags('--workers', '2', '--redis', 'http://10.0.0.5:6379')).toThrow('--redis must start with redis:// or rediss://, not "http://"');
    expect(() => flags('--workers', '2', '--redis', 'localhost')).toThrow('--redis must be a URL such as redis://127.0.0.1:6379, not "localhost"');
    expect(() => workersFrom(flags('--screens-only', '--workers', '2'), { lanGiven: {} })).toThrow('--screens-only serves a station on another host: give its Redis with --redis URL and how many workers with --workers N');
    expect(workersFrom(flags('--screens-only', '--workers', '2', '--redis', 'redis://10.0.0.5:6379'), { lanGiven: {} })).toEqual({ count: 2, redis: 'redis://10.0.0.5:6379' });
    expect(() => workersFrom(flags('--redis', 'redis://10.0.0.5:6379'), { lanGiven: {} })).toThrow("--redis is for the screens' workers; add --workers N (or lan.workers in the settings), or leave --redis out");
  });
});
