/**
 * Choosing the controller from Settings: from the simulated station to a real tty (the simulator
 * process on a socat pty pair) and back, saved to settings.json, and never while jobs would be
 * left running on the controller being let go.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { socatAvailable, startSimProcess, waitFor } from '../../test-support/main/sim-process';
import { StationSimulator } from '../simulator';
import { createStationCore } from './core';
import { loadStationSource } from './settings';
import type { StationCore } from './types';

const haveSocat = socatAvailable();
if (!haveSocat) console.log('skipped: controller switching tests need socat (apt-get install -y socat)');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataFolder(settings?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-switch-'));
  if (settings !== undefined) writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function simulatedCore(dataDir: string): Promise<{ core: StationCore; simulator: StationSimulator }> {
  const simulator = new StationSimulator({ timeScale: 1 });
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator });
  cleanups.push(() => core.shutdown());
  await core.start();
  await waitFor(() => core.state().link.status === 'ready', 10_000, 'the simulated link');
  return { core, simulator };
}

describe.skipIf(!haveSocat)('switching the controller', () => {
  it('moves from the simulated station to a tty, switching the simulated outputs off first, and saves the choice', async () => {
    const dataDir = dataFolder({ tanks: [{ id: 'main', name: 'Main', capacityL: 100, channelIds: [] }], station: { note: 'kept' } });
    const { core, simulator } = await simulatedCore(dataDir);
    await core.setRelay('mixer', true);
    await waitFor(() => simulator.snapshot().relays['mixer'] === true, 5_000, 'the simulated mixer on');

    const sim = await startSimProcess();
    cleanups.push(() => sim.kill());
    const outcome = await core.connection.switchTo({ kind: 'serial', path: sim.serialPath, baud: 115200 });
    expect(outcome).toEqual({ opened: true });
    await waitFor(() => core.state().link.status === 'ready' && core.state().link.port === sim.serialPath, 10_000, 'the link on the pty');
    expect(core.state().link.simulated).toBe(false);
    // The controller let go of was told to switch everything off.
    expect(simulator.snapshot().relays['mixer']).toBe(false);

    await core.setRelay('mixer', true);
    await waitFor(async () => (await sim.snapshot()).relays['mixer'] === true, 5_000, 'the pty simulator mixer on');

    const saved = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
    expect(saved.station).toEqual({ note: 'kept', serialPath: sim.serialPath, baud: 115200 });
    expect(saved.tanks).toHaveLength(1);
    expect(loadStationSource(dataDir)).toEqual({ kind: 'serial', path: sim.serialPath, baud: 115200 });
    expect(core.connection.source()).toEqual({ kind: 'serial', path: sim.serialPath, baud: 115200 });

    // And back: the pty controller's outputs go off, the simulated station answers again.
    await core.connection.switchTo({ kind: 'simulated' });
    await waitFor(() => core.state().link.status === 'ready' && core.state().link.simulated, 10_000, 'the simulated link again');
    expect((await sim.snapshot()).relays['mixer']).toBe(false);
    expect(loadStationSource(dataDir)).toEqual({ kind: 'simulated' });
  });

  it('refuses while a job runs, and says which one', async () => {
    const { core } = await simulatedCore(dataFolder());
    const started = core.jobs.start({ kind: 'mix', relayId: 'mixer', seconds: 60 }, 'Ana');
    expect(started.ok).toBe(true);
    await expect(core.connection.switchTo({ kind: 'serial', path: '/dev/ttyUSB9', baud: 115200 })).rejects.toThrow(/job 1 \(.*\) would run on another controller; wait for it or cancel it first/);
    expect(core.state().link.simulated).toBe(true);
    expect(core.state().link.status).toBe('ready');
  });

  it('reports a port that cannot be opened and keeps trying it', async () => {
    const dataDir = dataFolder();
    const { core } = await simulatedCore(dataDir);
    const outcome = await core.connection.switchTo({ kind: 'serial', path: '/dev/tendril-no-such-port', baud: 115200 });
    expect(outcome.opened).toBe(false);
    expect(outcome.problem).toMatch(/tendril-no-such-port/);
    expect(core.state().link.port).toBe('/dev/tendril-no-such-port');
    expect(core.state().link.status).not.toBe('ready');
    // Saved all the same: the grower chose this port, and it may be plugged in later.
    expect(loadStationSource(dataDir)).toEqual({ kind: 'serial', path: '/dev/tendril-no-such-port', baud: 115200 });
  });

  it('leaves a settings file it cannot read untouched, and the link where it was', async () => {
    const dataDir = dataFolder();
    const { core } = await simulatedCore(dataDir);
    writeFileSync(join(dataDir, 'settings.json'), '{ "station": ');
    await expect(core.connection.switchTo({ kind: 'auto', baud: 115200 })).rejects.toThrow(/settings.json is not valid JSON .*Nothing was changed/);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe('{ "station": ');
    expect(core.state().link.simulated).toBe(true);
    expect(core.state().link.status).toBe('ready');
  });
});
