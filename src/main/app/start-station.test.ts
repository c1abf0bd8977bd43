/**
 * The station as both shells start it, and what each policy does when a part cannot start: a
 * real data folder, a real SQLite file, the simulated station and real sockets on loopback.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../db';
import type { StationSource } from '../station';
import { startStation, StationStartError, type StartPolicy, type Station } from './start-station';

const STOP: StartPolicy = { tokens: 'stop', link: 'stop', lan: 'stop' };
const CARRY_ON: StartPolicy = { tokens: 'carry-on', link: 'carry-on', lan: 'carry-on' };
const SIMULATED: StationSource = { kind: 'simulated', timeScale: 1 };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tendril-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port another program holds, on loopback. */
async function portInUse(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return (server.address() as { port: number }).port;
}

interface Start {
  dataDir?: string;
  policy: StartPolicy;
  port?: number;
  source?: StationSource;
  log?: (line: string) => void;
}

async function start({ dataDir = dataFolder(), policy, port = 0, source = SIMULATED, log = () => {} }: Start): Promise<Station> {
  const station = await startStation({
    dataDir,
    source,
    policy,
    lan: { choice: { enabled: true, host: '127.0.0.1', port }, configurable: true, webRoot: null },
    log,
    env: {},
  });
  cleanups.push(() => station.close());
  return station;
}

async function refusal(started: Promise<Station>): Promise<StationStartError> {
  const error = await started.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StationStartError);
  return error as StationStartError;
}

describe('starting the station', () => {
  it('listens on loopback and hands out fresh pairing links', async () => {
    const station = await start({ policy: STOP });
    expect(station.lan.status()).toMatchObject({ enabled: true, listening: true });
    expect(station.pairing.length).toBeGreaterThan(0);
    const [links] = station.pairing;
    expect(links!.watch).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(links!.control).not.toBe(links!.watch);
    const health = await fetch(`${station.lan.listeningUrl()}/api/health`);
    expect(health.status).toBe(200);
  });
});

describe('a LAN port another program holds', () => {
  it('stops the station when the policy says stop, naming the port', async () => {
    const port = await portInUse();
    const error = await refusal(start({ policy: STOP, port }));
    expect(error.part).toBe('lan');
    expect(error.reason).toBe(`port ${port} is in use by another program; choose another port`);
  });

  it('keeps the station running when the policy carries on, with the reason where Settings shows it', async () => {
    const port = await portInUse();
    const station = await start({ policy: CARRY_ON, port });
    expect(station.lan.status()).toMatchObject({ enabled: true, listening: false, problem: expect.stringContaining('in use'), configurable: true });
    expect(station.pairing).toEqual([]);
    // The grower moves it from Settings, and it listens.
    const moved = await station.lan.configure!(true, 0);
    expect(moved.listening).toBe(true);
  });
});

describe('a token file that cannot be read', () => {
  const unreadable = (): string => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, 'tokens.json'), 'not json');
    return dataDir;
  };

  it('stops the station when the policy says stop', async () => {
    const error = await refusal(start({ dataDir: unreadable(), policy: STOP }));
    expect(error.part).toBe('tokens');
    expect(error.reason).toMatch(/does not hold valid pairing tokens/);
  });

  it('keeps the LAN server off when the policy carries on: nobody could pair', async () => {
    const log: string[] = [];
    const station = await start({ dataDir: unreadable(), policy: CARRY_ON, log: (line) => log.push(line) });
    expect(station.lan.status()).toMatchObject({ enabled: false, listening: false, configurable: false });
    expect(station.pairing).toEqual([]);
    expect(log).toContainEqual(expect.stringMatching(/^lan: .*does not hold valid pairing tokens/));
  });
});

describe('a controller port that cannot be opened', () => {
  const missing: StationSource = { kind: 'serial', path: '/dev/tendril-no-such-port', baud: 115200 };

  it('stops the station when the policy says stop, with nothing from the link before it', async () => {
    const log: string[] = [];
    const error = await refusal(start({ policy: STOP, source: missing, log: (line) => log.push(line) }));
    expect(error.part).toBe('link');
    expect(log).toEqual([]);
  });

  it('keeps the station and its LAN server when the policy carries on, and logs why', async () => {
    let told: (line: string) => void = () => {};
    const failure = new Promise<string>((resolve) => (told = resolve));
    const log = (line: string): void => {
      if (line.startsWith('Tendril could not start the station link')) told(line);
    };
    const station = await start({ policy: CARRY_ON, source: missing, log });
    expect(station.lan.status().listening).toBe(true);
    expect(await failure).toMatch(/tendril-no-such-port/);
  });
});

describe('a database that cannot be opened', () => {
  it('stops the station whatever the policy', async () => {
    const dataDir = dataFolder();
    writeFileSync(join(dataDir, DATABASE_FILE), 'this is not a SQLite database, whatever its name says'.repeat(100));
    const error = await refusal(start({ dataDir, policy: CARRY_ON }));
    expect(error.part).toBe('database');
    expect(error.file).toBe(join(dataDir, DATABASE_FILE));
  });
});
