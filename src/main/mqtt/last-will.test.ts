/**
 * Headless Tendril as a grower runs it, publishing to a real Mosquitto as settings.json says: the
 * broker announces it offline (its Last Will) when the process is killed with no chance to say
 * so itself, and a clean stop says offline too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crashHeadless, startHeadless, stopHeadless } from '../../test-support/main/headless-process';
import { socatAvailable, startSimProcess } from '../../test-support/main/sim-process';
import { startBroker, type Broker } from './test-support/mosquitto';
import { subscribe } from './test-support/subscriber';

const STATION = { name: 'tendril', password: 'grow-secret' };
const WATCHER = { username: 'homeassistant', password: 'ha-secret' };
const ID = 'greenhouse-1';
const AVAILABILITY = `tendril/${ID}/availability`;

let broker: Broker;
beforeAll(async () => {
  broker = await startBroker([
    { ...STATION, acl: ['topic readwrite tendril/#', 'topic readwrite homeassistant/#'] },
    { name: WATCHER.username, password: WATCHER.password, acl: ['topic read tendril/#', 'topic read homeassistant/#'] },
  ]);
});
afterAll(() => broker?.stop());

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `stationId` null leaves it to the controller's serial number. Commands are on (nobody allowed), so Home Assistant is offered the switches. */
async function headlessOnBroker(label: string, stationId: string | null = ID) {
  const sim = await startSimProcess();
  cleanups.push(() => sim.kill());
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-mqtt-headless-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ mqtt: { url: broker.url, username: STATION.name, password: STATION.password, ...(stationId ? { stationId } : {}), commands: { users: {} } } }));
  const server = await startHeadless({
    dataDir,
    serialPath: sim.serialPath,
    port: '0',
    viewerToken: `mqtt-viewer-${label}-0123456789abcdef`,
    operatorToken: `mqtt-operator-${label}-0123456789abcdef`,
  });
  cleanups.push(() => stopHeadless(server.process));
  return server;
}

describe.skipIf(!socatAvailable())('the station on the broker, as a process', () => {
  it('is announced offline by its Last Will when it is killed', async () => {
    // Watching from before it starts: everything it ever publishes is seen.
    const watcher = await subscribe(broker.url, WATCHER, ['tendril/#', 'homeassistant/#']);
    cleanups.push(() => watcher.close());
    // Named by the controller's serial number, it connects the moment the controller answers,
    // before the station has laid its tanks over the channel table.
    const server = await headlessOnBroker('crash', null);
    const online = await watcher.next((m) => /^tendril\/[^/]+\/availability$/.test(m.topic) && m.payload === 'online', 'online');
    const availability = online.topic;
    const derived = availability.split('/')[1]!;
    // tendril- and the controller's serial number, as a topic level.
    expect(derived).toMatch(/^tendril-[a-z0-9_-]+$/);
    await watcher.next((m) => m.topic === `homeassistant/switch/${derived}/relay_lights/config`, 'the switches');
    // Not even for a moment is a switch offered for a valve only a job may open.
    expect(watcher.all.filter((m) => /relay_(fill|drain)\/config$/.test(m.topic))).toEqual([]);
    const seen = watcher.all.length;

    await crashHeadless(server.process);
    const offline = await watcher.next((m) => watcher.all.indexOf(m) >= seen && m.topic === availability, 'the Last Will');
    expect(offline.payload).toBe('offline');
    expect(server.stderr()).not.toContain(STATION.password);

    // Retained: a dashboard that looks later still sees it offline.
    const late = await subscribe(broker.url, WATCHER, [availability]);
    cleanups.push(() => late.close());
    expect((await late.next((m) => m.topic === availability, 'the retained availability')).payload).toBe('offline');
  });

  it('says offline itself when it is stopped', async () => {
    const server = await headlessOnBroker('stop');
    const watcher = await subscribe(broker.url, WATCHER, ['tendril/#']);
    cleanups.push(() => watcher.close());
    await watcher.next((m) => m.topic === AVAILABILITY && m.payload === 'online', 'online');
    const seen = watcher.all.length;
    await stopHeadless(server.process);
    expect(server.process.exitCode).toBe(0);
    const offline = await watcher.next((m) => watcher.all.indexOf(m) >= seen && m.topic === AVAILABILITY, 'offline');
    expect(offline.payload).toBe('offline');
  });
});
