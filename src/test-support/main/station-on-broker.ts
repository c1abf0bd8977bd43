/**
 * A simulated station publishing to a test's broker, and the clean-up of what a test started:
 * the set-up the MQTT tests share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { waitFor } from './sim-process';
import type { StationControl } from '../../main/control';
import { StationSimulator } from '../../main/simulator';
import { createStationCore, type StationCore } from '../../main/station';
import type { MqttPublisher, MqttSettings } from '../../main/mqtt/publisher';
import { publishStation } from '../../main/mqtt/station-publisher';

export type Cleanup = () => Promise<unknown> | unknown;

/** What a test started, stopped after each test, newest first; call at a test file's top. */
export function cleanUpAfterEach(): (cleanup: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => cleanups.push(cleanup);
}

export interface StationOnBroker {
  core: StationCore;
  sim: StationSimulator;
  publisher: MqttPublisher;
}

/**
 * The simulated station with a data folder of its own, its link ready, publishing with these
 * settings (and taking commands through `control`, when given).
 */
export async function stationOnBroker(settings: MqttSettings, cleanUp: (cleanup: Cleanup) => void, control?: (core: StationCore) => StationControl): Promise<StationOnBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-mqtt-'));
  cleanUp(() => rmSync(dataDir, { recursive: true, force: true }));
  const sim = new StationSimulator({ timeScale: 1 });
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: sim });
  cleanUp(() => core.shutdown());
  await core.start();
  await waitFor(() => core.state().link.status === 'ready' && core.state().tanks.length > 0, 10_000, 'the simulated link');
  const publisher = publishStation(core, settings, (line) => process.env.MQTT_DEBUG && console.log(line), control?.(core));
  cleanUp(() => publisher.close());
  return { core, sim, publisher };
}
