/**
 * The station under soak: the simulator as its own process on a real pty, headless Tendril as
 * another on that pty with a data folder of its own, and an operator on the LAN API. Tendril
 * can be crashed (SIGKILL) and started again on the same folder and port, as a power cut and a
 * grower's restart would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { io, type Socket } from 'socket.io-client';
import { crashHeadless, startHeadless, stopHeadless, type HeadlessProcess } from '../src/test-support/main/headless-process';
import { startSimProcess, type SimProcess } from '../src/test-support/main/sim-process';
import type { Audited, Truth } from './ledger';

const VIEWER = 'soak-viewer-0123456789abcdef';
const OPERATOR = 'soak-operator-0123456789abcdef';
const COMMAND_TIMEOUT_MS = 5_000;

export type Ack = { ok: true; result?: Record<string, unknown> } | { ok: false; error?: { code: string; message: string } };

export interface StationOptions {
  seed: number;
  timeScale: number;
  watchdogMs: number;
  /** Real milliseconds between the simulator's rounds of reads; by default a simulated second. */
  readEveryMs?: number;
  /** settings.json as a grower would have written it. */
  settings: object;
}

export class SoakStation {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tendril-soak-'));
  readonly viewerToken = VIEWER;
  private headless: HeadlessProcess | null = null;
  private operator: Socket | null = null;
  private port = '0';

  private constructor(
    readonly sim: SimProcess,
    private readonly timeScale: number,
  ) {}

  static async start(options: StationOptions): Promise<SoakStation> {
    const pace = options.readEveryMs === undefined ? [] : ['--read-every', String(options.readEveryMs)];
    const sim = await startSimProcess(['--seed', String(options.seed), '--time-scale', String(options.timeScale), '--watchdog', String(options.watchdogMs), ...pace]);
    const station = new SoakStation(sim, options.timeScale);
    writeFileSync(join(station.dataDir, 'settings.json'), JSON.stringify(options.settings, null, 2));
    await station.launch();
    return station;
  }

  get url(): string {
    if (!this.headless) throw new Error('Tendril is not running');
    return this.headless.url;
  }

  /** Tendril's process id, for measuring it from outside. */
  get pid(): number {
    const pid = this.headless?.process.pid;
    if (pid === undefined) throw new Error('Tendril is not running');
    return pid;
  }

  get running(): boolean {
    return this.headless !== null;
  }

  /** The simulator's ground truth. */
  async truth(): Promise<Truth> {
    return (await this.sim.snapshot()) as unknown as Truth;
  }

  /** Sends a command as the operator; a lost answer (Tendril down, a timeout) is an error ack. */
  async command(command: Record<string, unknown>): Promise<Ack> {
    const operator = this.operator;
    if (!operator?.connected) return { ok: false, error: { code: 'NO_LINK', message: 'the operator is not connected' } };
    try {
      return (await operator.timeout(COMMAND_TIMEOUT_MS).emitWithAck('command', command)) as Ack;
    } catch (err) {
      return { ok: false, error: { code: 'NO_ANSWER', message: (err as Error).message } };
    }
  }

  /** SIGKILL: no chance to switch anything off or to finish a write. */
  async crash(): Promise<void> {
    if (this.headless) await crashHeadless(this.headless.process);
    this.headless = null;
  }

  async restart(): Promise<void> {
    if (this.headless) await stopHeadless(this.headless.process);
    this.headless = null;
    await this.launch();
  }

  /** While Tendril is down: the database's own check, and which of `jobIds` it holds in which state. */
  inspect(jobIds: readonly number[]): { integrity: string; states: Map<number, string> } {
    const db = new Database(join(this.dataDir, 'tendril.db'), { readonly: true });
    try {
      const integrity = (db.prepare('PRAGMA integrity_check').all() as Array<Record<string, string>>).map((row) => Object.values(row)[0]).join('; ');
      const states = new Map<number, string>();
      const read = db.prepare('SELECT id, state FROM jobs WHERE id = ?');
      for (const id of jobIds) {
        const row = read.get(id) as { id: number; state: string } | undefined;
        if (row) states.set(row.id, row.state);
      }
      return { integrity, states };
    } finally {
      db.close();
    }
  }

  /** The dose audit and the jobs as the database holds them, for a soak's record. */
  books(): { doses: unknown[]; jobs: unknown[] } {
    const db = new Database(join(this.dataDir, 'tendril.db'), { readonly: true });
    try {
      return {
        doses: db.prepare('SELECT * FROM dose_audit ORDER BY id').all(),
        jobs: db.prepare('SELECT id, kind, spec, state, created_at, started_at, ended_at, detail FROM jobs ORDER BY id').all(),
      };
    } finally {
      db.close();
    }
  }

  /**
   * What the dose audit says each pump delivered in all: `known`, from the doses whose end
   * Tendril heard, and `atMost`, the full amounts of those whose end it never heard (killed, the
   * link lost, the report lost): the audit's `unknown` outcomes.
   */
  audited(): Audited {
    const db = new Database(join(this.dataDir, 'tendril.db'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT pump_id AS pump, outcome LIKE 'unknown%' AS unknown, total(delivered_ml) AS ml FROM dose_audit GROUP BY pump_id, unknown")
        .all() as Array<{ pump: string; unknown: number; ml: number }>;
      const audited: Audited = { known: {}, atMost: {} };
      for (const row of rows) audited[row.unknown ? 'atMost' : 'known'][row.pump] = row.ml;
      return audited;
    } finally {
      db.close();
    }
  }

  /** Stops Tendril as a grower's Ctrl-C would (outputs off), then the simulator. */
  async stop(): Promise<void> {
    this.operator?.disconnect();
    if (this.headless) await stopHeadless(this.headless.process);
    this.headless = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.sim.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    this.headless = await startHeadless({
      dataDir: this.dataDir,
      serialPath: this.sim.serialPath,
      port: this.port,
      viewerToken: VIEWER,
      operatorToken: OPERATOR,
      timeScale: this.timeScale,
    });
    this.port = new URL(this.headless.url).port;
    if (!this.operator) {
      this.operator = io(this.headless.url, { auth: { token: OPERATOR, name: 'soak operator' }, transports: ['websocket'], forceNew: true, reconnectionDelayMax: 500 });
    }
  }
}
