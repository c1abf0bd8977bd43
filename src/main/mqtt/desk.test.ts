/**
 * Settings → MQTT on a running station: `mqtt.configure` moves the station from one real
 * Mosquitto to another without a restart, the retained state appears on the new broker and the
 * old one hears "offline"; the password never reaches a screen, the log or the audit; a viewer
 * reads the settings and is refused changing them. A real data folder, SQLite file, LAN server
 * and Socket.IO screens.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MqttSettingsInput, MqttStatus } from '../../shared/mqtt-settings';
import { TestScreen } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';
import { startStation, type Station } from '../app/start-station';
import { DATABASE_FILE, openStationDatabase } from '../db';
import { DEFAULT_MQTT } from '../settings';
import type { MqttSettings } from './publisher';
import { mqttSettingsFrom } from './station-publisher';
import { MOSQUITTO, startBroker, type Broker } from './test-support/mosquitto';
import { subscribe } from './test-support/subscriber';

const A = { name: 'tendril', password: 'first-broker-secret' };
const B = { name: 'tendril-b', password: 'second-broker-secret' };
const WATCHER = { username: 'watcher', password: 'watcher-secret' };
const OPERATOR = 'mqtt-settings-operator-0123456789';
const VIEWER = 'mqtt-settings-viewer-00123456789';
const ID = 'greenhouse-1';
const ACL = ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'];

let brokerA: Broker;
let brokerB: Broker;
beforeAll(async () => {
  const watcher = { name: WATCHER.username, password: WATCHER.password, acl: ['topic read tendril/#'] };
  brokerA = await startBroker([{ ...A, acl: ACL }, watcher]);
  brokerB = await startBroker([{ ...B, acl: ACL }, watcher]);
});
afterAll(async () => {
  await brokerA?.stop();
  await brokerB?.stop();
});

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function station(settings: unknown, commandLine?: MqttSettings): Promise<{ station: Station; dataDir: string; log: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-mqtt-desk-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const log: string[] = [];
  const started = await startStation({
    dataDir,
    source: { kind: 'simulated', timeScale: 1 },
    policy: { tokens: 'stop', link: 'stop', lan: 'stop' },
    lan: { choice: { enabled: true, host: '127.0.0.1', port: 0 }, configurable: false, webRoot: null },
    log: (line) => log.push(line),
    env: { TENDRIL_OPERATOR_TOKEN: OPERATOR, TENDRIL_VIEWER_TOKEN: VIEWER },
    ...(commandLine ? { mqtt: commandLine } : {}),
  });
  cleanups.push(() => started.close());
  return { station: started, dataDir, log };
}

async function screen(station: Station, token: string, name: string): Promise<TestScreen> {
  const connected = await new TestScreen(station.lan.listeningUrl()!, token, name).ready();
  cleanups.push(() => connected.close());
  return connected;
}

type Ack = { ok: true; result: MqttStatus } | { ok: false; error: { code: string; message: string } };
let ids = 0;
const send = async (screen: TestScreen, command: Record<string, unknown>): Promise<Ack> => (await screen.command({ id: `c${++ids}`, ...command })) as Ack;

/** The form's values as the status gives them, with the changes a grower typed. */
function formFrom(status: MqttStatus, change: Partial<MqttSettingsInput>): MqttSettingsInput {
  const { password: _set, ...settings } = status.settings;
  return { ...settings, password: '', ...change };
}

describe.skipIf(!existsSync(MOSQUITTO))('MQTT from Settings', () => {
  it('moves the station to another broker without a restart, and never shows the password', async () => {
    const { station: running, dataDir, log } = await station({ mqtt: { url: brokerA.url, username: A.name, password: A.password, stationId: ID } });
    const onA = await subscribe(brokerA.url, WATCHER, ['tendril/#']);
    cleanups.push(() => onA.close());
    await onA.next((m) => m.topic === `tendril/${ID}/availability` && m.payload === 'online', 'online on broker A');
    const operator = await screen(running, OPERATOR, 'Ana');
    const viewer = await screen(running, VIEWER, 'Wall tablet');

    const before = await send(viewer, { type: 'mqtt.status' });
    expect(before.ok).toBe(true);
    if (!before.ok) return;
    expect(before.result.settings).toMatchObject({ enabled: true, url: brokerA.url, username: A.name, password: 'set', stationId: ID });
    expect(before.result.broker?.status).toBe('connected');
    expect(before.result.commandLine).toBeNull();

    // A viewer reads but may not change.
    const refused = await send(viewer, { type: 'mqtt.configure', settings: formFrom(before.result, { enabled: false }) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // A mistake is refused with what to do, and changes nothing.
    const bad = await send(operator, { type: 'mqtt.configure', settings: formFrom(before.result, { prefix: 'tendril/#' }) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID', message: 'settings.prefix: must be topic levels of letters, digits, - and _ joined by /, such as "tendril/greenhouse"' } });

    const onB = await subscribe(brokerB.url, WATCHER, ['tendril/#']);
    cleanups.push(() => onB.close());
    const moved = await send(operator, { type: 'mqtt.configure', settings: formFrom(before.result, { url: brokerB.url, username: B.name, password: B.password, name: 'Greenhouse' }) });
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.result.settings).toMatchObject({ url: brokerB.url, username: B.name, password: 'set' });

    // Broker A hears it leave; broker B gets the retained state, with no restart.
    await onA.next((m) => m.topic === `tendril/${ID}/availability` && m.payload === 'offline', 'offline on broker A');
    await onB.next((m) => m.topic === `tendril/${ID}/availability` && m.payload === 'online', 'online on broker B');
    // The grower's name for the station goes with its state, for the fleet and integrators.
    const summary = await onB.next((m) => m.topic === `tendril/${ID}/state`, 'the state on broker B');
    expect(JSON.parse(summary.payload)).toMatchObject({ name: 'Greenhouse' });
    // Retained there: a subscriber that comes later is handed it at once.
    const later = await subscribe(brokerB.url, WATCHER, [`tendril/${ID}/state`]);
    cleanups.push(() => later.close());
    expect((await later.next((m) => m.topic === `tendril/${ID}/state`, 'the retained state on broker B')).retain).toBe(true);
    await waitFor(() => running.core.state().broker?.status === 'connected' && running.core.state().broker?.broker === brokerB.url, 10_000, 'connected to broker B');
    await waitFor(() => viewer.replica?.state.broker?.broker === brokerB.url, 10_000, 'the viewer sees broker B');

    // Saved for the next start, with the new password; an empty field kept it on the next save.
    const saved = () => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).mqtt;
    expect(saved()).toMatchObject({ enabled: true, url: brokerB.url, username: B.name, password: B.password, stationId: ID });
    const again = await send(operator, { type: 'mqtt.configure', settings: formFrom(moved.result, { outageAlertMinutes: 2 }) });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(saved()).toMatchObject({ password: B.password, outageAlertMinutes: 2 });
    await waitFor(() => running.core.state().broker?.status === 'connected', 10_000, 'connected again');

    // Switched off: offline on B, the link gone from every screen.
    const off = await send(operator, { type: 'mqtt.configure', settings: formFrom(again.result, { enabled: false, password: null }) });
    expect(off).toMatchObject({ ok: true, result: { broker: null, settings: { enabled: false, password: 'not set' } } });
    await onB.next((m) => m.topic === `tendril/${ID}/availability` && m.payload === 'offline', 'offline on broker B');
    await waitFor(() => viewer.replica !== null && viewer.replica.state.broker === undefined, 10_000, 'the link gone from the viewer');
    expect(saved().password).toBeUndefined();

    // Nowhere a screen, the log or the audit can see holds a password.
    const screens = JSON.stringify([viewer.received, operator.received, running.core.state()]);
    await running.close();
    const database = openStationDatabase(join(dataDir, DATABASE_FILE));
    const audit = database.settingsAudit.list();
    database.close();
    for (const secret of [A.password, B.password]) {
      expect(screens).not.toContain(secret);
      expect(log.join('\n')).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(secret);
    }
    expect(audit.map((entry) => [entry.by.replace(/ \(LAN.*$/, ''), entry.setting, entry.old, entry.new])).toEqual([
      ['Ana', 'mqtt.url', brokerA.url, brokerB.url],
      ['Ana', 'mqtt.username', A.name, B.name],
      ['Ana', 'mqtt.name', '', 'Greenhouse'],
      ['Ana', 'mqtt.password', 'set', 'password changed'],
      ['Ana', 'mqtt.outageAlertMinutes', 5, 2],
      ['Ana', 'mqtt.enabled', true, false],
      ['Ana', 'mqtt.password', 'set', 'password removed'],
    ]);
  });

  it('switches MQTT on from off, keeping a password typed into the address apart from it', async () => {
    const { station: running } = await station({});
    const operator = await screen(running, OPERATOR, 'Ana');
    const off = await send(operator, { type: 'mqtt.status' });
    expect(off).toMatchObject({ ok: true, result: { broker: null, settings: { enabled: false, url: '', password: 'not set' } } });
    if (!off.ok) return;

    const onA = await subscribe(brokerA.url, WATCHER, ['tendril/#']);
    cleanups.push(() => onA.close());
    // The password typed into the address is kept apart from it, and never answered back.
    const withPassword = brokerA.url.replace('mqtt://', `mqtt://${A.name}:${A.password}@`);
    const on = await send(operator, { type: 'mqtt.configure', settings: formFrom(off.result, { enabled: true, url: withPassword, stationId: 'veg-room' }) });
    expect(on.ok).toBe(true);
    expect(JSON.stringify(on)).not.toContain(A.password);
    await onA.next((m) => m.topic === 'tendril/veg-room/state', 'the state on broker A');
  });

  it('keeps the address given on the command line (--mqtt), which wins while given', async () => {
    const address = brokerA.url.replace('mqtt://', `mqtt://${A.name}:${A.password}@`);
    const { station: running } = await station({}, mqttSettingsFrom({ ...DEFAULT_MQTT, url: address, stationId: 'bloom-room' }));
    const operator = await screen(running, OPERATOR, 'Ana');
    const status = await send(operator, { type: 'mqtt.status' });
    expect(status).toMatchObject({ ok: true, result: { commandLine: { url: brokerA.url.replace('mqtt://', `mqtt://${A.name}@`), caFile: '' } } });
    expect(JSON.stringify(status)).not.toContain(A.password);
    if (!status.ok) return;
    const elsewhere = await send(operator, { type: 'mqtt.configure', settings: formFrom(status.result, { enabled: true, url: brokerB.url }) });
    expect(elsewhere).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: "the broker's address is given on the command line (--mqtt), which wins while it is given; start Tendril without --mqtt to set it from Settings" },
    });
    // The rest is the form's: a new prefix applies on the command line's broker.
    const onA = await subscribe(brokerA.url, WATCHER, ['tendril/#']);
    cleanups.push(() => onA.close());
    const moved = await send(operator, { type: 'mqtt.configure', settings: formFrom(status.result, { enabled: true, url: status.result.commandLine!.url, stationId: 'bloom-room', prefix: 'tendril/bloom' }) });
    expect(moved.ok).toBe(true);
    await onA.next((m) => m.topic === 'tendril/bloom/state', 'the state under the new prefix');
  });
});
