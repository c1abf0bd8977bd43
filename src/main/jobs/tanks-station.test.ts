/**
 * A tank changed from a screen: `tanks.configure` over a real Socket.IO connection checks the
 * floor, headroom and valves against the tank and the controller's channels, writes the tank to
 * the real settings.json beside the grower's other keys, audits each change in a real SQLite
 * file, and the live state (and the next start) has the tank as edited.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
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
  const dir = mkdtempSync(join(tmpdir(), 'tendril-tanks-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function database(dataDir: string): StationDatabase {
  const db = openStationDatabase(join(dataDir, 'tendril.db'));
  cleanups.push(() => db.close());
  return db;
}

async function station(dataDir: string, db: StationDatabase): Promise<StationCore> {
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: new StationSimulator({ timeScale: 1 }), database: db });
  cleanups.push(() => core.shutdown());
  await core.start();
  await waitFor(() => core.state().link.status === 'ready' && core.state().tanks.length === 1, 10_000, 'the simulated link');
  return core;
}

const screens = (core: StationCore) => operatorAndViewer(core, cleanups);

const fileOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('tanks.configure', () => {
  it('writes the one tank the station made up, with its floor and drain valve, audits it, and keeps it for the next start', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { port: 4646 } }));
    const db = database(dataDir);
    const core = await station(dataDir, db);
    const { operator, viewer } = await screens(core);
    const channelIds = core.state().tanks[0]!.channelIds;

    const ack = await operator.command({ id: 't1', type: 'tanks.configure', tankId: 'main', tank: { floorL: 15, headroomL: 8, plumbing: { drainValve: 'drain' } } });
    expect(ack).toMatchObject({
      ok: true,
      result: {
        changes: [
          { key: 'headroomL', old: null, new: 8 },
          { key: 'floorL', old: null, new: 15 },
          { key: 'plumbing.drainValve', old: null, new: 'drain' },
        ],
      },
    });
    expect(fileOf(dataDir)).toEqual({
      lan: { port: 4646 },
      tanks: [{ id: 'main', name: 'Main tank', capacityL: 100, channelIds, headroomL: 8, floorL: 15, plumbing: { drainValve: 'drain' } }],
    });
    expect(db.settingsAudit.list().map((row) => [row.by, row.setting, row.old, row.new])).toEqual([
      ['Ana’s phone (LAN screen)', 'tanks.main.headroomL', null, 8],
      ['Ana’s phone (LAN screen)', 'tanks.main.floorL', null, 15],
      ['Ana’s phone (LAN screen)', 'tanks.main.plumbing.drainValve', null, 'drain'],
    ]);
    await waitFor(() => viewer.replica?.state.tanks[0]?.floorL === 15, 5_000, 'the viewer sees the new floor');
    expect(core.state().tanks[0]).toMatchObject({ floorL: 15, headroomL: 8, plumbing: { drainValve: 'drain' }, roles: { drainValve: 'drain' } });

    // A second edit changes that tank's keys in the file, and clears a valve with null.
    expect(await operator.command({ id: 't2', type: 'tanks.configure', tankId: 'main', tank: { capacityL: 120, plumbing: { drainValve: null } } })).toMatchObject({ ok: true });
    expect(fileOf(dataDir)['tanks']).toEqual([{ id: 'main', name: 'Main tank', capacityL: 120, channelIds, headroomL: 8, floorL: 15 }]);

    await core.shutdown();
    const again = await station(dataDir, db);
    expect(again.state().tanks[0]).toMatchObject({ capacityL: 120, floorL: 15, headroomL: 8 });
  });

  it('refuses a viewer, an unknown tank, a floor and headroom that leave no room, and a valve that is not the tank’s relay, changing nothing', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { port: 4646 } }));
    const db = database(dataDir);
    const core = await station(dataDir, db);
    const { operator, viewer } = await screens(core);
    const before = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    const tankBefore = core.state().tanks[0];

    expect(await viewer.command({ id: 'v1', type: 'tanks.configure', tankId: 'main', tank: { floorL: 10 } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await operator.command({ id: 't1', type: 'tanks.configure', tankId: 'veg', tank: { floorL: 10 } })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'there is no tank "veg"; the tanks are "main"' },
    });
    expect(await operator.command({ id: 't2', type: 'tanks.configure', tankId: 'main', tank: { floorL: 90, headroomL: 10 } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'a floor of 90 L and 10 L of headroom leave no water to fill or drain in a 100 L tank; lower the floor or the headroom, or give the right capacity' },
    });
    expect(await operator.command({ id: 't3', type: 'tanks.configure', tankId: 'main', tank: { plumbing: { drainValve: 'nut_a' } } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'Drain valve: "nut_a" is not a relay on this controller; pick one of the tank\'s relays' },
    });
    expect(await operator.command({ id: 't4', type: 'tanks.configure', tankId: 'main', tank: { plumbing: { drainValve: 'fill', fillValve: 'fill' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: expect.stringMatching(/is already the/) },
    });
    expect(await operator.command({ id: 't5', type: 'tanks.configure', tankId: 'main', tank: { floorL: -1 } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'tank.floorL: floorL must be at least 0 L' },
    });
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    expect(db.settingsAudit.list()).toEqual([]);
    expect(core.state().tanks[0]).toEqual(tankBefore);
  });

  it('keeps neither the tank edit nor its audit when the audit cannot be written', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ lan: { port: 4646 } }));
    const db = database(dataDir);
    const core = await station(dataDir, db);
    const { operator } = await screens(core);
    const before = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    const tankBefore = core.state().tanks[0];

    // The database refuses the audit row, as a full disk or a failing card would.
    const other = new Database(join(dataDir, 'tendril.db'));
    other.exec(`CREATE TRIGGER audit_refused BEFORE INSERT ON settings_audit BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    other.close();

    const ack = await operator.command({ id: 't9', type: 'tanks.configure', tankId: 'main', tank: { capacityL: 150, floorL: 30 } });
    expect(ack).toMatchObject({ ok: false });
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toBe(before);
    expect(core.state().tanks[0]).toEqual(tankBefore);

    // The same edit once the audit can be written again goes through whole: nothing was half kept.
    const fixed = new Database(join(dataDir, 'tendril.db'));
    fixed.exec('DROP TRIGGER audit_refused');
    fixed.close();
    expect(db.settingsAudit.list()).toEqual([]);
    const retried = await operator.command({ id: 't10', type: 'tanks.configure', tankId: 'main', tank: { capacityL: 150, floorL: 30 } });
    expect(retried).toMatchObject({ ok: true, result: { changes: [{ key: 'capacityL', new: 150 }, { key: 'floorL', new: 30 }] } });
    expect(db.settingsAudit.list().map((row) => row.setting)).toEqual(['tanks.main.capacityL', 'tanks.main.floorL']);
    expect(fileOf(dataDir)['tanks']).toMatchObject([{ id: 'main', capacityL: 150, floorL: 30 }]);
  });

  it('keeps no audit of a tank edit that settings.json refused', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ tanks: [{ id: 'other', name: 'Other', capacityL: 50, channelIds: [] }] }));
    const db = database(dataDir);
    const core = await station(dataDir, db);
    const { operator } = await screens(core);
    // settings.json changed by hand since start: it no longer lists the tank the station runs.
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ tanks: [{ id: 'elsewhere', name: 'Elsewhere', capacityL: 50, channelIds: [] }] }));
    const tankId = core.state().tanks[0]!.id;

    const ack = await operator.command({ id: 't11', type: 'tanks.configure', tankId, tank: { capacityL: 45 } });
    expect(ack).toMatchObject({ ok: false });
    expect(db.settingsAudit.list()).toEqual([]);
  });
});
