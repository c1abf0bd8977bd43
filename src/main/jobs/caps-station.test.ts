/**
 * Caps changed from a screen: an operator's `safety.configure` over a real Socket.IO connection
 * is checked, written to the real settings.json beside the grower's other keys, recorded in a
 * real SQLite settings audit, shown on every screen at once, and holds the next job. A station
 * started again reads the caps back from the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../shared/limits';
import { openStationDatabase, type StationDatabase } from '../db';
import { StationSimulator } from '../simulator';
import { createStationCore, type StationCore } from '../station';
import { operatorAndViewer } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-caps-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function station(dataDir: string, database: StationDatabase): Promise<StationCore> {
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: new StationSimulator({ timeScale: 1 }), database });
  cleanups.push(() => core.shutdown());
  await core.start();
  await waitFor(() => core.state().link.status === 'ready', 10_000, 'the simulated link');
  return core;
}

const screens = (core: StationCore) => operatorAndViewer(core, cleanups);

const fileOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('safety.configure', () => {
  it('writes the caps beside the other keys, audits each change, shows it on every screen and holds the next dose to it', async () => {
    const dataDir = dataFolder();
    // The grower's own keys, in this section and others, stay as written.
    writeFileSync(
      join(dataDir, 'settings.json'),
      JSON.stringify({ lan: { port: 4646 }, safety: { loop: { mlPerUnit: 12 }, pumps: { ph_down: { maxMlPerDose: 5 } } }, unknownKey: [1, 2] }),
    );
    const db = openStationDatabase(join(dataDir, 'tendril.db'));
    cleanups.push(() => db.close());
    const core = await station(dataDir, db);
    const { operator, viewer } = await screens(core);

    const ack = (await operator.command({ id: 'c1', type: 'safety.configure', limits: { pump: { maxMlPerDose: 20 }, loop: { abPauseMs: 45_000 } } })) as {
      ok: boolean;
      result: { changes: unknown[] };
    };
    expect(ack.ok).toBe(true);
    expect(ack.result.changes).toEqual([
      { key: 'pump.maxMlPerDose', label: 'Each pump, per dose', old: 50, new: 20, unit: 'mL' },
      { key: 'loop.abPauseMs', label: 'Pause between nutrient A and B', old: 30_000, new: 45_000, unit: 'ms' },
    ]);
    expect(fileOf(dataDir)).toEqual({
      lan: { port: 4646 },
      safety: { loop: { mlPerUnit: 12, abPauseMs: 45_000 }, pumps: { ph_down: { maxMlPerDose: 5 } }, pump: { maxMlPerDose: 20 } },
      unknownKey: [1, 2],
    });
    expect(db.settingsAudit.list()).toEqual([
      { at: expect.any(Number), by: 'Ana’s phone (LAN screen)', setting: 'safety.pump.maxMlPerDose', old: 50, new: 20 },
      { at: expect.any(Number), by: 'Ana’s phone (LAN screen)', setting: 'safety.loop.abPauseMs', old: 30_000, new: 45_000 },
    ]);
    expect(core.state().limits.pump.maxMlPerDose).toBe(20);
    await waitFor(() => viewer.replica?.state.limits.pump.maxMlPerDose === 20, 5_000, 'the viewer sees the new cap');
    expect(viewer.replica?.state.limits.loop).toMatchObject({ abPauseMs: 45_000, mlPerUnit: 12 });

    // The next job is held to the new cap.
    expect(await operator.command({ id: 'd1', type: 'pump.dose', pumpId: 'nut_a', ml: 30 })).toMatchObject({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/a dose of 30 mL exceeds the 20 mL per-dose cap for Nutrient A; dose less, or raise the cap in Settings → Safety$/) },
    });
  });

  it('refuses a viewer, caps out of their bounds and caps that disagree, changing nothing', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { port: 4646 } }));
    const db = openStationDatabase(join(dataDir, 'tendril.db'));
    cleanups.push(() => db.close());
    const core = await station(dataDir, db);
    const { operator, viewer } = await screens(core);
    const before = readFileSync(join(dataDir, 'settings.json'), 'utf8');

    expect(await viewer.command({ id: 'v1', type: 'safety.configure', limits: { pump: { maxMlPerDose: 20 } } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await operator.command({ id: 'c1', type: 'safety.configure', limits: { fill: { noFlowMs: 100 } } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'limits.fill.noFlowMs: fill.noFlowMs must be at least 0.5 s, the least the controller accepts' },
    });
    expect(await operator.command({ id: 'c2', type: 'safety.configure', limits: { pump: { maxMlPerDose: 600 } } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: "pump.maxMlPerDose (600 mL) is more than each pump's per-24-hour cap (500 mL); lower the per-dose cap or raise the daily one" },
    });
    // The simulated pumps dose at most 250 mL at once.
    expect(await operator.command({ id: 'c3', type: 'safety.configure', limits: { pump: { maxMlPerDose: 300, maxMlPerDay: 1000 } } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'pump.maxMlPerDose (300 mL) is more than any pump on this controller doses at once (at most 250 mL); set 250 mL or less' },
    });
    expect(await operator.command({ id: 'c4', type: 'safety.configure', limits: { pump: { maxMlPerDose: 20, extra: 1 } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'unknown field "extra"; remove it' },
    });
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    expect(db.settingsAudit.list()).toEqual([]);
    expect(core.state().limits).toEqual(DEFAULT_LIMITS);
  });

  it('refuses to write into a safety section the station could not read, and says what to fix', async () => {
    const dataDir = dataFolder();
    const text = JSON.stringify({ safety: { pump: { maxMlPerDose: -1 } } });
    writeFileSync(join(dataDir, 'settings.json'), text);
    const db = openStationDatabase(join(dataDir, 'tendril.db'));
    cleanups.push(() => db.close());
    const core = await station(dataDir, db);
    const { operator } = await screens(core);
    expect(await operator.command({ id: 'c1', type: 'safety.configure', limits: { loop: { abPauseMs: 40_000 } } })).toEqual({
      ok: false,
      error: { code: 'REFUSED', message: expect.stringMatching(/^settings\.json's safety\.pump\.maxMlPerDose: .*; fix it by hand first\. Nothing was changed$/) },
    });
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(text);
    expect(core.state().limits).toEqual(DEFAULT_LIMITS);
  });

  it('keeps the caps for the next start', async () => {
    const dataDir = dataFolder();
    const db = openStationDatabase(join(dataDir, 'tendril.db'));
    cleanups.push(() => db.close());
    const first = await station(dataDir, db);
    first.caps.configure({ fill: { noFlowMs: 20_000 }, pumps: { nut_a: { maxMlPerDose: 10 } } }, 'desktop');
    await first.shutdown();
    const again = await station(dataDir, db);
    expect(again.state().limits.fill.noFlowMs).toBe(20_000);
    expect(again.state().limits.pumps).toEqual({ nut_a: { maxMlPerDose: 10 } });
  });
});
