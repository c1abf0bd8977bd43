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
import { hasControlCharacters } from '../../shared/plain-text';
import { OPERATOR_TOKEN, TestScreen } from '../../test-support/main/lan-station';
import { waitFor } from '../../test-support/main/sim-process';
import { DATABASE_FILE } from '../db';
import type { StationSource } from '../station';
import { startStation, StationStartError, type StartPolicy, type StartStationOptions, type Station } from './start-station';

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
  env?: NodeJS.ProcessEnv;
  pairingLinks?: StartStationOptions['pairingLinks'];
}

async function start({ dataDir = dataFolder(), policy, port = 0, source = SIMULATED, log = () => {}, env = {}, pairingLinks }: Start): Promise<Station> {
  const station = await startStation({
    dataDir,
    source,
    policy,
    lan: { choice: { enabled: true, host: '127.0.0.1', port }, configurable: true, webRoot: null },
    log,
    env,
    pairingLinks,
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

describe('pairing links', () => {
  it('are made until an operator can reach the station, then only when asked for at every start', async () => {
    const dataDir = dataFolder();
    const first = await start({ dataDir, policy: STOP });
    expect(first.pairing).toHaveLength(1);
    await first.close();
    // Nobody opened them: the next start makes fresh ones.
    const second = await start({ dataDir, policy: STOP });
    expect(second.pairing).toHaveLength(1);
    expect(second.pairing[0]!.control).not.toBe(first.pairing[0]!.control);
    await second.close();

    const env = { TENDRIL_OPERATOR_TOKEN: OPERATOR_TOKEN };
    const preset = await start({ dataDir, policy: STOP, env });
    expect(preset.pairing).toEqual([]);
    expect((await fetch(`${preset.lan.listeningUrl()}/api/state`, { headers: { authorization: `Bearer ${tokenOf(second.pairing[0]!.control)}` } })).status).toBe(401);
    await preset.close();
    const asked = await start({ dataDir, policy: STOP, env, pairingLinks: 'every start' });
    expect(asked.pairing).toHaveLength(1);
  });
});

describe('LAN screens in the record and the log', () => {
  it("marks a screen's self-given name as a LAN screen with its token's label, and keeps every log line one plain line", async () => {
    const log: string[] = [];
    const station = await start({ policy: STOP, env: { TENDRIL_OPERATOR_TOKEN: OPERATOR_TOKEN }, log: (line) => log.push(line) });
    await waitFor(() => station.core.state().link.status === 'ready', 10_000, 'the simulated link');
    const impostor = await new TestScreen(station.lan.listeningUrl()!, OPERATOR_TOKEN, 'desktop').ready();
    cleanups.push(() => impostor.close());
    const marked = 'desktop (LAN screen paired as “TENDRIL_OPERATOR_TOKEN”)';

    const dose = (await impostor.command({ id: 'd1', type: 'pump.dose', pumpId: 'nut_a', ml: 1 })) as { ok: boolean; result: { jobId: number } };
    expect(dose.ok).toBe(true);
    await waitFor(() => station.records.doses({}).some((entry) => entry.jobId === dose.result.jobId), 10_000, 'the dose in the audit');
    expect(station.records.doses({}).find((entry) => entry.jobId === dose.result.jobId)?.requestedBy).toBe(marked);
    expect(station.records.recentJobs(1)[0]?.requestedBy).toBe(marked);
    expect(log).toContain(`command: ${marked} (operator) pump.dose nut_a 1 mL: done`);

    // A label with a line break is refused before it is stored, and nothing is paired.
    const forged = 'Kitchen\ncommand: desktop (operator) estop: done';
    const pair = await impostor.command({ id: 'p1', type: 'access.pair', role: 'operator', label: forged });
    expect(pair).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'label must be plain text on one line: no line breaks, tabs, control characters or text-direction marks' },
    });
    expect(((await impostor.command({ id: 't1', type: 'access.tokens' })) as { result: { tokens: unknown[] } }).result.tokens).toHaveLength(1);

    // A name a screen sends with a line separator is written as an escape, not as a new line.
    const sneaky = await new TestScreen(station.lan.listeningUrl()!, OPERATOR_TOKEN, 'Ana\u2028schedule Lights').ready();
    cleanups.push(() => sneaky.close());
    expect(await sneaky.command({ id: 'r1', type: 'relay.set', relayId: 'lights', on: true })).toMatchObject({ ok: true });
    expect(log).toContain('command: Ana\\u2028schedule Lights (LAN screen paired as “TENDRIL_OPERATOR_TOKEN”) (operator) relay.set lights on: done');
    expect(log.filter((line) => hasControlCharacters(line))).toEqual([]);
  });
});

const tokenOf = (link: string): string => new URL(link).searchParams.get('token')!;
