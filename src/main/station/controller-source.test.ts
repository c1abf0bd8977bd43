import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/station';
import type { LinkTarget } from '../link';
import { StationSimulator } from '../simulator';
import { ControllerSource, stationConnection, switchRefusal } from './controller-source';
import type { StationSource } from './types';

function job(id: number, state: Job['state']): Job {
  return {
    id,
    kind: 'dose',
    spec: { kind: 'dose', pumpId: 'nut_a', ml: 10 },
    state,
    tankId: 'main',
    progress: 0,
    etaMs: null,
    detail: '',
    requestedBy: 'Ana',
    createdAt: 0,
    startedAt: null,
    endedAt: null,
  };
}

/** A simulated station that counts how often it was stopped. */
class CountingSimulator extends StationSimulator {
  stops = 0;
  override stop(): void {
    this.stops++;
    super.stop();
  }
}

describe('the controller source', () => {
  it('names the port of each kind of source', () => {
    const controller = new ControllerSource({ source: { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 }, log: () => {} });
    expect(controller.target()).toMatchObject({ port: '/dev/ttyUSB0', simulated: false });
    expect(controller.target({ kind: 'auto', baud: 115200 })).toMatchObject({ port: 'auto-detect', simulated: false });
    expect(controller.target({ kind: 'simulated' })).toMatchObject({ port: 'simulated', simulated: true });
  });

  it('keeps one simulated station across connections, and stops it with the station', async () => {
    const simulator = new CountingSimulator({ seed: 3 });
    const controller = new ControllerSource({ source: { kind: 'simulated' }, simulator, log: () => {} });
    for (let connection = 0; connection < 2; connection++) {
      const port = await controller.target().open();
      await port.close();
    }
    await controller.part.stop!();
    expect(simulator.stops).toBe(1);
  });

  it('stops no simulated station when none was chosen', async () => {
    const simulator = new CountingSimulator({ seed: 3 });
    const controller = new ControllerSource({ source: { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 }, simulator, log: () => {} });
    await controller.part.stop!();
    expect(simulator.stops).toBe(0);
    simulator.stop();
  });

  it('runs job timers as fast as the controller runs: real hardware at 1, a simulator at its time scale', () => {
    expect(new ControllerSource({ source: { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 }, log: () => {} }).timeScale()).toBe(1);
    expect(new ControllerSource({ source: { kind: 'serial', path: '/dev/pts/4', baud: 115200, timeScale: 60 }, log: () => {} }).timeScale()).toBe(60);
    expect(new ControllerSource({ source: { kind: 'auto', baud: 115200 }, log: () => {} }).timeScale()).toBe(1);
  });
});

describe('switching the controller', () => {
  /** A connection whose saving and retargeting are written down. */
  function switcher(jobs: Job[] = [], options: { stopping?: boolean; save?: () => void; retarget?: (target: LinkTarget) => Promise<void> } = {}) {
    const done: string[] = [];
    const controller = new ControllerSource({ source: { kind: 'simulated' }, log: () => {} });
    const connection = stationConnection({
      controller,
      retarget: options.retarget ?? (async (target) => void done.push(`retarget ${target.port}`)),
      jobs: () => jobs,
      stopping: () => options.stopping ?? false,
      dataDir: '/nowhere',
      log: (line) => void done.push(line),
      ports: async () => [],
      save: options.save ?? ((_dir: string, source: StationSource) => void done.push(`saved ${source.kind}`)),
    });
    return { connection, done };
  }
  const ttyUSB0: StationSource = { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 };

  it('saves the choice first, then points the link at it', async () => {
    const { connection, done } = switcher();
    await expect(connection.switchTo(ttyUSB0)).resolves.toEqual({ opened: true });
    expect(done).toEqual(['saved serial', 'station: switching to /dev/ttyUSB0', 'retarget /dev/ttyUSB0']);
    expect(connection.source()).toEqual(ttyUSB0);
  });

  it('says why the new port could not be opened', async () => {
    const { connection } = switcher([], { retarget: async () => Promise.reject(new Error('/dev/ttyUSB0: permission denied')) });
    await expect(connection.switchTo(ttyUSB0)).resolves.toEqual({ opened: false, problem: '/dev/ttyUSB0: permission denied' });
  });

  it('changes nothing when the choice cannot be saved', async () => {
    const { connection, done } = switcher([], {
      save: () => {
        throw new Error('settings.json could not be written');
      },
    });
    await expect(connection.switchTo(ttyUSB0)).rejects.toThrow('settings.json could not be written');
    expect(connection.source()).toEqual({ kind: 'simulated' });
    expect(done).toEqual([]);
  });

  it('is refused while jobs would be left running, and while Tendril shuts down', async () => {
    const busy = switcher([job(3, 'running'), job(4, 'queued'), job(5, 'succeeded')]);
    await expect(busy.connection.switchTo(ttyUSB0)).rejects.toMatchObject({
      code: 'REFUSED',
      message: 'job 3 (dose 10 mL with nut_a), job 4 (dose 10 mL with nut_a) would run on another controller; wait for them or cancel them first',
    });
    const stopping = switcher([], { stopping: true });
    await expect(stopping.connection.switchTo(ttyUSB0)).rejects.toMatchObject({ code: 'NOT_READY', message: 'Tendril is shutting down' });
    expect([...busy.done, ...stopping.done]).toEqual([]);
  });

  it('names one paused job as "it"', () => {
    expect(switchRefusal([job(7, 'paused')])).toBe('job 7 (dose 10 mL with nut_a) would run on another controller; wait for it or cancel it first');
    expect(switchRefusal([job(8, 'failed')])).toBeNull();
  });
});
