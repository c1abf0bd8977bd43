/**
 * The headless entry as a user runs it: a separate process, flags on the command line, the
 * simulator on a real pty, and plain HTTP to ask how it is.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { socatAvailable, startSimProcess, waitFor, withTimeout } from '../../test-support/main/sim-process';

const ROOT = join(__dirname, '../../..');
const haveSocat = socatAvailable();
if (!haveSocat) console.log('skipped: headless pty smoke test needs socat (apt-get install -y socat)');

interface Headless {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
  viewerUrl: string;
  operatorUrl: string;
  /** What it printed about pairing instead of links, when an operator was paired already. */
  pairingNote: string;
  /** Everything it printed to stdout up to its pairing links or its note. */
  stdout: string[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface RunOptions {
  data?: string;
  env?: Record<string, string>;
}

function runServe(args: string[], options: RunOptions = {}): { child: ChildProcessWithoutNullStreams; stderr: () => string; exit: Promise<number | null> } {
  const data = options.data ?? mkdtempSync(join(tmpdir(), 'tendril-serve-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/headless.ts'), '--data', data, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TENDRIL_VIEWER_TOKEN: '', TENDRIL_OPERATOR_TOKEN: '', ...options.env },
  });
  let errText = '';
  child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
  });
  return { child, stderr: () => errText, exit };
}

async function startServe(args: string[], options: RunOptions = {}): Promise<Headless> {
  const run = runServe(['--port', '0', ...args], options);
  const lines = createInterface({ input: run.child.stdout });
  let url = '';
  let viewerUrl = '';
  let operatorUrl = '';
  let pairingNote = '';
  const stdout: string[] = [];
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        stdout.push(line);
        url ||= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
        viewerUrl ||= /Pair a screen to watch: +(http:\/\/\S+)/.exec(line)?.[1] ?? '';
        operatorUrl ||= /Pair a screen to control: +(http:\/\/\S+)/.exec(line)?.[1] ?? '';
        pairingNote ||= /no pairing links are printed/.test(line) ? line : '';
        if (operatorUrl || pairingNote) resolve();
      });
      void run.exit.then((code) => reject(new Error(`serve exited with ${code}: ${run.stderr()}`)));
    }),
    20_000,
    'serve to print its URL and pairing links',
  );
  return { ...run, url, viewerUrl, operatorUrl, pairingNote, stdout };
}

const tokenOf = (link: string): string => new URL(link).searchParams.get('token')!;

function getState(url: string, token: string): Promise<Response> {
  return fetch(`${url}/api/state`, { headers: { authorization: `Bearer ${token}` } });
}

async function health(url: string): Promise<{ ok: boolean; link: string; device: { serial: string } | null }> {
  const res = await fetch(`${url}/api/health`);
  return (await res.json()) as { ok: boolean; link: string; device: { serial: string } | null };
}

describe('serve flags', () => {
  it('refuses an unknown flag with one line and exit code 2', async () => {
    const run = runServe(['--colour', 'green']);
    expect(await run.exit).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tendril: .*--colour.*--help/);
  });

  it('refuses a flag without its value in one line', async () => {
    const run = runServe(['--simulate', '--baud']);
    expect(await run.exit).toBe(2);
    expect(run.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^tendril: .*--baud.*--help/)]);
  });

  it('refuses a bad port number', async () => {
    const run = runServe(['--simulate', '--port', 'eighty']);
    expect(await run.exit).toBe(2);
    expect(run.stderr().trim()).toBe('tendril: --port must be a whole number from 0 to 65535, not "eighty"');
  });

  it('says what to do when the serial port cannot be opened', async () => {
    const run = runServe(['--serial', '/dev/tendril-no-such-port', '--port', '0']);
    expect(await run.exit).toBe(2);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot open \/dev\/tendril-no-such-port .*--simulate/);
  });
});

describe('serve on the simulated station', () => {
  it('reports a ready link and serves the state snapshot', async () => {
    const serve = await startServe(['--simulate']);
    await waitFor(async () => (await health(serve.url)).link === 'ready', 10_000, 'the simulated link');
    expect((await fetch(`${serve.url}/api/state`)).status).toBe(401);
    const res = await getState(serve.url, tokenOf(serve.viewerUrl));
    const body = (await res.json()) as { seq: number; state: { link: { simulated: boolean }; channels: unknown[] } };
    expect(body.state.link.simulated).toBe(true);
    expect(body.state.channels.length).toBeGreaterThan(10);
    expect((await fetch(`${serve.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${serve.url}/api/health`, { method: 'POST' })).status).toBe(405);

    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    expect(serve.stderr()).toMatch(/every output switched off[\s\S]*stopped/);
  });
});

/** A port nothing listens on now: the OS picks one, and it is given back at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function withSettings(settings: unknown): string {
  const data = mkdtempSync(join(tmpdir(), 'tendril-serve-'));
  writeFileSync(join(data, 'settings.json'), JSON.stringify(settings));
  return data;
}

/** The address the server says it listens on. */
async function listeningUrl(run: ReturnType<typeof runServe>): Promise<string> {
  const lines = createInterface({ input: run.child.stdout });
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url) resolve(url);
      });
      void run.exit.then((code) => reject(new Error(`serve exited with ${code}: ${run.stderr()}`)));
    }),
    20_000,
    'serve to print its URL',
  );
}

describe('lan in settings.json', () => {
  it('is where headless listens when the command line does not say, and --port wins over it', async () => {
    const port = await freePort();
    const data = withSettings({ lan: { host: '127.0.0.1', port } });
    const run = runServe(['--simulate'], { data });
    const url = await listeningUrl(run);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect((await health(url)).ok).toBe(true);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);

    const flagged = await startServe(['--simulate'], { data });
    expect(new URL(flagged.url).hostname).toBe('127.0.0.1');
    expect(new URL(flagged.url).port).not.toBe(String(port));
    expect((await health(flagged.url)).ok).toBe(true);
  });

  it('refuses lan.enabled false, which headless cannot honour, unless the command line says where to listen', async () => {
    const data = withSettings({ lan: { enabled: false } });
    const run = runServe(['--simulate'], { data });
    expect(await run.exit).toBe(2);
    expect(run.stderr().trim()).toBe(
      `tendril: ${join(data, 'settings.json')}: lan.enabled is false, but headless Tendril is used only through its LAN server; set it to true or remove it (the desktop app honours it), or pass --host or --port to listen anyway`,
    );
    const flagged = await startServe(['--simulate'], { data });
    expect((await health(flagged.url)).ok).toBe(true);
  });

  it('refuses a lan section it cannot read, in one line that says what to fix', async () => {
    const data = withSettings({ lan: { port: 'http' } });
    const run = runServe(['--simulate', '--port', '0'], { data });
    expect(await run.exit).toBe(2);
    expect(run.stderr().trim()).toBe(`tendril: ${join(data, 'settings.json')}: port: lan.port must be a port number; fix it, or pass --host and --port to say where to listen`);
  });
});

describe.skipIf(!haveSocat)('serve on a real pty', () => {
  it('is ready with the simulator on a pty, and leaves ready when the simulator dies', async () => {
    const sim = await startSimProcess();
    cleanups.push(() => sim.kill());
    const serve = await startServe(['--serial', sim.serialPath]);
    await waitFor(async () => (await health(serve.url)).link === 'ready', 10_000, 'a ready link');
    expect((await health(serve.url)).device?.serial).toBe('SIM-0001');

    await sim.kill('SIGTERM');
    const killedAt = Date.now();
    await waitFor(async () => (await health(serve.url)).link !== 'ready', 10_000, 'the link to leave ready');
    expect(Date.now() - killedAt).toBeLessThan(10_000);
  });

  it('answers a relay switch once the state shows it, so a pH adjustment right after sees the circulation on', async () => {
    const sim = await startSimProcess();
    cleanups.push(() => sim.kill());
    const operator = 'operator-token-for-the-switch-order';
    const serve = await startServe(['--serial', sim.serialPath], { env: { TENDRIL_OPERATOR_TOKEN: operator } });
    await waitFor(async () => (await health(serve.url)).link === 'ready', 10_000, 'a ready link');
    let key = 0;
    const command = async (payload: object): Promise<{ ok: boolean; result?: { job?: { id: number } }; error?: { message: string } }> => {
      const res = await fetch(`${serve.url}/api/command`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `switch-${++key}`, ...payload }),
      });
      return (await res.json()) as { ok: boolean; result?: { job?: { id: number } }; error?: { message: string } };
    };
    const circulation = async (): Promise<boolean> => ((await (await getState(serve.url, operator)).json()) as { state: { relays: Record<string, { on: boolean }> } }).state.relays.circulation?.on ?? false;

    // The device sends its ACK just before it reports the relay; the answer waits for the report.
    // Four rounds of four commands stay inside a screen's burst of 20.
    for (let round = 0; round < 4; round++) {
      expect(await command({ type: 'relay.set', relayId: 'circulation', on: true })).toMatchObject({ ok: true });
      expect(await circulation(), `round ${round}: on`).toBe(true);
      const adjust = await command({ type: 'job.start', job: { kind: 'adjust-ph', tankId: 'main', target: 5, band: 0.1 } });
      expect(adjust, `round ${round}: ${adjust.error?.message}`).toMatchObject({ ok: true });
      expect(await command({ type: 'job.cancel', jobId: adjust.result!.job!.id })).toMatchObject({ ok: true });
      expect(await command({ type: 'relay.set', relayId: 'circulation', on: false })).toMatchObject({ ok: true });
      expect(await circulation(), `round ${round}: off`).toBe(false);
    }
  });
});

describe('pairing', () => {
  it('prints fresh links each start; a link that was used keeps working, an unused one does not', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-pairing-'));
    const first = await startServe(['--simulate'], { data });
    expect(first.viewerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect((await getState(first.url, tokenOf(first.viewerUrl))).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    // Only hashes are kept on disk.
    const saved = readFileSync(join(data, 'tokens.json'), 'utf8');
    expect(saved).not.toContain(tokenOf(first.viewerUrl));

    const second = await startServe(['--simulate'], { data });
    expect(second.viewerUrl).not.toBe(first.viewerUrl);
    expect((await getState(second.url, tokenOf(first.viewerUrl))).status).toBe(200);
    expect((await getState(second.url, tokenOf(first.operatorUrl))).status).toBe(401);
    expect((await getState(second.url, tokenOf(second.operatorUrl))).status).toBe(200);
  });

  it('prints the links only until an operator is paired, then one line on how to get them; --print-pairing prints fresh ones', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-pairing-'));
    const first = await startServe(['--simulate'], { data });
    expect(first.pairingNote).toBe('');
    // The grower opens the operator link: from now on the journal gets no more links.
    expect((await getState(first.url, tokenOf(first.operatorUrl))).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    const second = await startServe(['--simulate'], { data });
    expect(second.operatorUrl).toBe('');
    expect(second.pairingNote).toBe(
      'An operator screen is paired already, so no pairing links are printed; pair more screens from Settings on it, or restart with --print-pairing for fresh links',
    );
    expect(second.stdout.join('\n')).not.toContain('token=');
    expect(second.stderr()).not.toContain('token=');
    expect((await getState(second.url, tokenOf(first.operatorUrl))).status).toBe(200);
    // The viewer link nobody opened stops working, though no new one was printed.
    expect((await getState(second.url, tokenOf(first.viewerUrl))).status).toBe(401);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    const third = await startServe(['--simulate', '--print-pairing'], { data });
    expect(third.pairingNote).toBe('');
    expect(third.operatorUrl).not.toBe(first.operatorUrl);
    expect((await getState(third.url, tokenOf(third.operatorUrl))).status).toBe(200);
    expect((await getState(third.url, tokenOf(third.viewerUrl))).status).toBe(200);
  });

  it('prints no links when automation presets an operator token', async () => {
    const serve = await startServe(['--simulate'], { env: { TENDRIL_OPERATOR_TOKEN: 'a-long-operator-secret-from-ansible' } });
    expect(serve.operatorUrl).toBe('');
    expect(serve.pairingNote).toMatch(/no pairing links are printed.*--print-pairing/);
  });

  it('accepts tokens preset by automation, and refuses a weak one in one line', async () => {
    const operator = 'a-long-operator-secret-from-ansible';
    const serve = await startServe(['--simulate'], { env: { TENDRIL_OPERATOR_TOKEN: operator } });
    expect((await getState(serve.url, operator)).status).toBe(200);
    // Secrets from the environment are never printed.
    expect(serve.stderr()).not.toContain(operator);

    const weak = runServe(['--simulate', '--port', '0'], { env: { TENDRIL_VIEWER_TOKEN: 'short' } });
    expect(await weak.exit).toBe(2);
    expect(weak.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^tendril: TENDRIL_VIEWER_TOKEN: .*16/)]);
  });
});

describe('the data folder', () => {
  const modeOf = (path: string): number => statSync(path).mode & 0o777;

  it('creates the folder 0700 and keeps the database, its WAL files and the tokens 0600', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'tendril-private-')), 'new', 'Tendril');
    const serve = await startServe(['--simulate'], { data });
    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(join(data, '..'))).toBe(0o700);
    for (const name of ['tendril.db', 'tendril.db-wal', 'tendril.db-shm', 'tokens.json']) {
      expect(existsSync(join(data, name)), name).toBe(true);
      expect(modeOf(join(data, name)), name).toBe(0o600);
    }
    expect(serve.stderr()).not.toMatch(/files: /);
  });

  it('makes a folder and files others could read private at start, one line each', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-private-'));
    chmodSync(data, 0o755);
    writeFileSync(join(data, 'settings.json'), '{}\n');
    chmodSync(join(data, 'settings.json'), 0o644);
    writeFileSync(join(data, 'notes.txt'), 'not ours\n');
    chmodSync(join(data, 'notes.txt'), 0o644);
    const serve = await startServe(['--simulate'], { data });
    const lines = serve
      .stderr()
      .split('\n')
      .filter((line) => line.includes(' files: '))
      .map((line) => line.replace(/^\S+ /, ''));
    expect(lines).toEqual([
      `files: the data folder (${data}) was 0755, open to other users of this computer; it is now 0700`,
      `files: settings.json (${join(data, 'settings.json')}) was 0644, open to other users of this computer; it is now 0600`,
    ]);
    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(join(data, 'settings.json'))).toBe(0o600);
    // Only what Tendril keeps is its business.
    expect(modeOf(join(data, 'notes.txt'))).toBe(0o644);
  });
});

describe('jobs across a crash', () => {
  it('shows a job killed mid-run as interrupted on restart, resumes nothing, and keeps the dose audit', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-crash-'));
    const operator = 'operator-token-for-crash-test';
    const first = await startServe(['--simulate'], { data, env: { TENDRIL_OPERATOR_TOKEN: operator } });
    await waitFor(async () => (await health(first.url)).link === 'ready', 10_000, 'the simulated link');
    const socket = io(first.url, { auth: { token: operator, name: 'crash test' }, transports: ['websocket'], reconnection: false });
    cleanups.push(async () => void socket.disconnect());
    const jobs = new Map<number, string>();
    socket.on('job_update', (event: { job: { id: number; state: string } }) => jobs.set(event.job.id, event.job.state));
    await new Promise<void>((resolve, reject) => {
      socket.once('initial_state', () => resolve());
      socket.once('connect_error', reject);
    });
    const command = (payload: object) => socket.timeout(5_000).emitWithAck('command', payload) as Promise<{ ok: boolean; result: { job?: { id: number }; jobId?: number } }>;

    const dose = await command({ id: 'dose-1', type: 'pump.dose', pumpId: 'nut_a', ml: 2 });
    expect(dose.ok).toBe(true);
    await waitFor(() => jobs.get(dose.result.jobId!) === 'succeeded', 15_000, 'the dose to finish');
    const mix = await command({ id: 'mix-1', type: 'job.start', job: { kind: 'mix', relayId: 'mixer', seconds: 600 } });
    const mixId = mix.result.job!.id;
    await waitFor(() => jobs.get(mixId) === 'running', 5_000, 'the mix to run');

    first.child.kill('SIGKILL');
    await first.exit;

    const second = await startServe(['--simulate'], { data, env: { TENDRIL_OPERATOR_TOKEN: operator } });
    const auth = { headers: { authorization: `Bearer ${operator}` } };
    const listed = (await (await fetch(`${second.url}/api/jobs`, auth)).json()) as { jobs: Array<{ id: number; state: string }> };
    expect(listed.jobs.slice(0, 2)).toEqual([expect.objectContaining({ id: mixId, state: 'interrupted' }), expect.objectContaining({ id: dose.result.jobId, state: 'succeeded' })]);
    const state = (await (await getState(second.url, operator)).json()) as { state: { alerts: Array<{ code: string; message: string }>; relays: Record<string, { on: boolean }> } };
    expect(state.state.alerts).toEqual([expect.objectContaining({ code: 'JOB_INTERRUPTED', message: expect.stringMatching(new RegExp(`job ${mixId} \\(run mixer for 600 s\\).*nothing was resumed`)) })]);
    await waitFor(async () => (await health(second.url)).link === 'ready', 10_000, 'the link after restart');
    const after = (await (await getState(second.url, operator)).json()) as { state: { relays: Record<string, { on: boolean }> } };
    expect(after.state.relays.mixer?.on).toBe(false);
    const csv = await (await fetch(`${second.url}/api/export/doses.csv`, auth)).text();
    expect(csv.split('\r\n')[1]).toMatch(/nut_a,2,2(\.0+)?,/);
  });
});

describe('an operator on the LAN', () => {
  it('runs a dose, a fill, a mix, a pH adjustment and a recipe, finds them in /api/jobs, and exports the dose audit', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tendril-operator-'));
    // The simulated station runs 30 times faster than the clock, and the jobs' waits with it: 90 s of mixing wait takes 3 s.
    writeFileSync(join(data, 'settings.json'), JSON.stringify({ safety: { loop: { mixWaitMs: 90_000, abPauseMs: 30_000 } } }));
    const operator = 'operator-token-for-lan-jobs';
    const serve = await startServe(['--simulate', '--time-scale', '30'], { data, env: { TENDRIL_OPERATOR_TOKEN: operator } });
    await waitFor(async () => (await health(serve.url)).link === 'ready', 10_000, 'the simulated link');
    const socket = io(serve.url, { auth: { token: operator, name: 'Ana' }, transports: ['websocket'], reconnection: false });
    cleanups.push(async () => void socket.disconnect());
    const jobs = new Map<number, { state: string; detail: string }>();
    socket.on('job_update', (event: { job: { id: number; state: string; detail: string } }) => jobs.set(event.job.id, event.job));
    let ph = 0;
    socket.on('ecph_reading', (event: { sensorId: string; value: number }) => {
      if (event.sensorId === 'ph1') ph = event.value;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('initial_state', () => resolve());
      socket.once('connect_error', reject);
    });
    let key = 0;
    const command = async (payload: object): Promise<{ job?: { id: number }; jobId?: number }> => {
      const ack = (await socket.timeout(5_000).emitWithAck('command', { id: `op-${++key}`, ...payload })) as { ok: boolean; result: { job?: { id: number }; jobId?: number }; error?: { message: string } };
      if (!ack.ok) throw new Error(`${JSON.stringify(payload)} was refused: ${ack.error?.message}`);
      return ack.result;
    };
    const succeeds = async (id: number, what: string, withinMs: number): Promise<number> => {
      await waitFor(() => ['succeeded', 'failed', 'cancelled'].includes(jobs.get(id)?.state ?? ''), withinMs, what);
      expect(jobs.get(id), what).toMatchObject({ state: 'succeeded' });
      return id;
    };

    const dose = await succeeds((await command({ type: 'job.start', job: { kind: 'dose', pumpId: 'nut_a', ml: 3 } })).job!.id, 'the dose', 15_000);
    const fill = await succeeds((await command({ type: 'job.start', job: { kind: 'fill', tankId: 'main', liters: 2 } })).job!.id, 'the fill', 20_000);
    const mix = await succeeds((await command({ type: 'job.start', job: { kind: 'mix', relayId: 'mixer', seconds: 2 } })).job!.id, 'the mix', 15_000);
    await command({ type: 'relay.set', relayId: 'circulation', on: true });
    await waitFor(() => ph > 0, 5_000, 'a pH reading');
    const target = Math.round((ph - 0.3) * 100) / 100;
    const adjust = await succeeds((await command({ type: 'job.start', job: { kind: 'adjust-ph', tankId: 'main', target, band: 0.1 } })).job!.id, 'the pH adjustment', 60_000);
    await command({
      type: 'recipe.create',
      recipe: { id: 'top-up', name: 'Top up', steps: [{ kind: 'job', job: { kind: 'dose', pumpId: 'nut_b', ml: 2 } }, { kind: 'wait', seconds: 1 }, { kind: 'notify', message: 'topped up' }] },
    });
    const recipe = await succeeds((await command({ type: 'job.start', job: { kind: 'recipe', recipeId: 'top-up' } })).job!.id, 'the recipe', 15_000);

    const auth = { headers: { authorization: `Bearer ${operator}` } };
    // A screen names itself; the record says it is a LAN screen and which token it used.
    const ANA = 'Ana (LAN screen paired as “TENDRIL_OPERATOR_TOKEN”)';
    const listed = (await (await fetch(`${serve.url}/api/jobs`, auth)).json()) as { jobs: Array<{ id: number; kind: string; state: string; requestedBy: string }> };
    expect(listed.jobs.map((job) => [job.id, job.kind, job.state, job.requestedBy])).toEqual([
      [recipe, 'recipe', 'succeeded', ANA],
      [adjust, 'adjust-ph', 'succeeded', ANA],
      [mix, 'mix', 'succeeded', ANA],
      [fill, 'fill', 'succeeded', ANA],
      [dose, 'dose', 'succeeded', ANA],
    ]);
    const csv = (await (await fetch(`${serve.url}/api/export/doses.csv`, auth)).text()).trim().split('\r\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, index) => [header[index], cell])));
    expect(rows.map((row) => [row['job'], row['pump'], row['requested_by']])).toEqual(
      expect.arrayContaining([
        [String(dose), 'nut_a', ANA],
        [String(adjust), 'ph_down', ANA],
        [String(recipe), 'nut_b', ANA],
      ]),
    );
  });
});
