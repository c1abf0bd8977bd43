/**
 * docs/examples/lan_client.py, the Python client docs/lan-api.md quotes, against a live headless
 * station on the simulator: while an operator creates recipes and schedules, starts and cancels
 * more than 50 jobs and switches a relay over POST /api/command, the client follows 1,000 events
 * and more, and its copy hashes to the station's at every state_hash. It needs Debian's
 * python3-socketio and python3-websocket (.ci/run installs them); without them it says it was
 * skipped, and why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Debian's Python, where apt puts python3-socketio; another python3 first on PATH may lack it. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const OPERATOR = 'operator-token-for-python-client-01';

const probe = spawnSync(PYTHON, ['-c', 'import socketio, websocket'], { encoding: 'utf8' });
const missing = probe.status === 0 ? null : (probe.stderr || probe.error?.message || 'unknown error').trim().split('\n').pop();
if (missing) {
  console.warn(
    `SKIPPED: the Python LAN client test needs python-socketio with a websocket client, and ${PYTHON} cannot import it (${missing}). ` +
      'Install it with "apt-get install -y python3-socketio python3-websocket" (.ci/run does this in CI).',
  );
}

const children: ChildProcess[] = [];
const folders: string[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Headless Tendril on the simulated station, as a grower starts it; resolves with its address. */
function serve(): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), 'tendril-python-'));
  folders.push(data);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/main/headless.ts'), '--simulate', '--host', '127.0.0.1', '--port', '0', '--time-scale', '100', '--data', data], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TENDRIL_OPERATOR_TOKEN: OPERATOR, TENDRIL_VIEWER_TOKEN: '' },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /Tendril is listening on (http:\/\/[\d.]+:\d+)/.exec(stdout)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`headless Tendril exited (${code}) before listening:\n${stderr}`)));
  });
}

let ids = 0;

/** One command over POST /api/command; a spent allowance (429) is waited out and retried with the same id. */
async function command(url: string, body: Record<string, unknown>, token = OPERATOR): Promise<{ ok: boolean; result?: Record<string, unknown>; error?: { message: string } }> {
  const id = `python-test-${++ids}`;
  for (;;) {
    const response = await fetch(`${url}/api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, ...body }),
    });
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    return (await response.json()) as { ok: boolean; result?: Record<string, unknown>; error?: { message: string } };
  }
}

interface Summary {
  events: number;
  checks: number;
  mismatches: number;
  resyncs: number;
  recipes: number;
  schedules: number;
  finishedJobs: number;
}

describe.skipIf(missing !== null)('the Python LAN client of docs/lan-api.md', () => {
  it('follows 1,000 events of a busy station and its copy hashes to the station’s at every check', async () => {
    const url = await serve();
    const client = spawn(PYTHON, [join(root, 'docs/examples/lan_client.py'), '--follow', '1000', '150'], {
      // Its standard input stays open until the operator below is done: it follows until then.
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TENDRIL_URL: url, TENDRIL_TOKEN: OPERATOR },
    });
    children.push(client);
    let out = '';
    let err = '';
    client.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    client.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => client.once('exit', resolve));
    let done = false;
    void exited.then(() => (done = true));

    // Each token has its own allowance of commands (10 a second): four operators work faster.
    const operators = [OPERATOR];
    for (const label of ['second', 'third', 'fourth']) {
      const paired = await command(url, { type: 'access.pair', role: 'operator', label });
      operators.push(new URL((paired.result!['links'] as string[])[0]!).searchParams.get('token')!);
    }
    // What the operators do meanwhile: more than 50 finished jobs, recipes and schedules, then
    // relays switched until the client has seen enough.
    await Promise.all(
      operators.map(async (token, first) => {
        for (let n = first; n < 60; n += operators.length) {
          const started = await command(url, { type: 'job.start', job: { kind: 'mix', relayId: 'air', seconds: 30 } }, token);
          expect(started.ok, started.error?.message).toBe(true);
          await command(url, { type: 'job.cancel', jobId: (started.result!['job'] as { id: number }).id }, token);
          if (n % 4 !== 0) continue;
          const recipe = { id: `recipe-${n}`, name: `Recipe ${n}`, steps: [{ kind: 'wait', seconds: 60 }, { kind: 'notify', message: `step ${n}` }] };
          expect((await command(url, { type: 'recipe.create', recipe }, token)).ok).toBe(true);
          const schedule = {
            id: `schedule-${n}`,
            name: `Schedule ${n}`,
            enabled: n % 8 === 0,
            timezone: 'Europe/Berlin',
            trigger: { kind: 'cron', expression: `${n} 3 * * *`, action: { kind: 'recipe', recipeId: `recipe-${n}` } },
          };
          const created = await command(url, { type: 'schedule.create', schedule }, token);
          expect(created.ok, created.error?.message).toBe(true);
        }
      }),
    );
    client.stdin!.end();
    await Promise.all(
      operators.map(async (token, n) => {
        for (let on = true; !done; on = !on) await command(url, { type: 'relay.set', relayId: n % 2 ? 'lights' : 'air', on }, token);
      }),
    );

    expect(await exited, err).toBe(0);
    const summary = JSON.parse(out.trim().split('\n').pop()!) as Summary;
    console.log(`the Python client: ${JSON.stringify(summary)}`);
    expect(summary.events).toBeGreaterThanOrEqual(1000);
    expect(summary.mismatches).toBe(0);
    expect(summary.checks).toBeGreaterThanOrEqual(10);
    expect(summary.finishedJobs).toBe(50);
    expect(summary.recipes).toBeGreaterThanOrEqual(15);
    expect(summary.schedules).toBeGreaterThanOrEqual(15);
  }, 180_000);
});
