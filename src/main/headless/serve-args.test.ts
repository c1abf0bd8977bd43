import { describe, expect, it } from 'vitest';
import type { LoadedSettings } from '../settings';
import { listenAt, parseServeArgs, sourceFrom } from './serve-args';

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
