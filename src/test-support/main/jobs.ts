/**
 * A whole station for job tests: the real core (link, store, job engine) against the simulator
 * in-process, on vitest's fake clock, so minutes of dosing and mixing take milliseconds and run
 * the same every time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { CommandAck } from '../../shared/commands';
import { FINISHED_JOB_STATES, type Job } from '../../shared/station';
import { createStationControl, type Principal } from '../../main/control';
import { StationSimulator, type SimulatorOptions } from '../../main/simulator';
import { createStationCore, memorySetup, type SetupKeeper, type StationCore } from '../../main/station';
import { TEST_START } from './fake-time';
import type { JobJournal } from '../../main/jobs/ports';
import { MemoryJournal } from '../../main/jobs/memory-journal';

export interface SimStation {
  core: StationCore;
  sim: StationSimulator;
  journal: JobJournal & Partial<MemoryJournal>;
  /** Recipes, schedules and calibrations, in memory. */
  setup: SetupKeeper;
  dataDir: string;
  /** Moves the fake clock, letting streams and promises run between its steps. */
  advance(ms: number): Promise<void>;
  /** Advances until `done` holds, at most `withinMs` of simulated time. */
  until(done: () => boolean, withinMs: number, what: string): Promise<void>;
  job(id: number): Job | undefined;
  /** Whether job `id` has ended, however: what `until` waits for. */
  finished(id: number): () => boolean;
  close(): Promise<void>;
}

/** The simulator's pumps really deliver 1.2 mL/s; calibrated to that, as a grower would. */
export const CALIBRATED = { nut_a: { mlPerSecond: 1.2 }, nut_b: { mlPerSecond: 1.2 }, ph_up: { mlPerSecond: 1.2 }, ph_down: { mlPerSecond: 1.2 } };

export async function startSimStation(settings: Record<string, unknown> = {}, journal: JobJournal = new MemoryJournal(), simulator: SimulatorOptions = {}): Promise<SimStation> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(TEST_START);
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-jobs-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ pumps: CALIBRATED, ...settings }));
  const sim = new StationSimulator({ seed: 3, ...simulator });
  const setup = memorySetup();
  const core = createStationCore({ source: { kind: 'simulated' }, dataDir, simulator: sim, journal, setup });
  const advance = async (ms: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(ms);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const until = async (done: () => boolean, withinMs: number, what: string): Promise<void> => {
    const step = 100;
    for (let waited = 0; !done(); waited += step) {
      if (waited >= withinMs) throw new Error(`${what}: not within ${withinMs} ms of simulated time`);
      await advance(step);
    }
  };
  await core.start();
  await until(() => core.state().link.status === 'ready' && core.state().tanks.length > 0, 5_000, 'the link to come up');
  // A first round of readings, so closed loops and level checks have something to go on.
  await advance(1_500);
  return {
    core,
    sim,
    journal,
    setup,
    dataDir,
    advance,
    until,
    job: (id) => core.state().jobs.find((job) => job.id === id),
    finished: (id) => () => FINISHED_JOB_STATES.includes(core.state().jobs.find((job) => job.id === id)?.state ?? 'queued'),
    async close() {
      const stopping = core.shutdown();
      await advance(3_000);
      await stopping;
      sim.stop();
      vi.useRealTimers();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The id of an accepted job, or the refusal as an error. */
export function accepted(answer: { ok: true; job: Job } | { ok: false; error: { code: string; message: string } }): number {
  if (!answer.ok) throw new Error(`refused: ${answer.error.code} ${answer.error.message}`);
  return answer.job.id;
}

/** A grower's phone on the station's command door: `send` answers with the ack, `ok` with the result or throws the refusal. */
export interface GrowerDoor {
  send(command: Record<string, unknown>): Promise<CommandAck>;
  ok(command: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export function growerDoor(core: StationCore, grower: Principal = { id: 'phone-1', role: 'operator', name: 'Ana' }): GrowerDoor {
  const control = createStationControl(core);
  let nextId = 0;
  const send = (command: Record<string, unknown>) => control.handle(grower, { id: `c${++nextId}`, ...command });
  return {
    send,
    async ok(command) {
      const ack = await send(command);
      if (!ack.ok) throw new Error(`${String(command['type'])} refused: ${ack.error.code} ${ack.error.message}`);
      return ack.result as Record<string, unknown>;
    },
  };
}
