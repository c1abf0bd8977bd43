/**
 * Which controller the station talks to: how to reach the one a source names, the simulated
 * station (made the first time it is chosen, then kept), and switching to another from Settings.
 */
import type { Job } from '../../shared/station';
import { describeJob } from '../jobs';
import { detectController, listPorts, openSerialPort, type LinkTarget } from '../link';
import { createDuplexPair, StationSimulator } from '../simulator';
import { Refusal } from '../../shared/refusal';
import type { Part } from './lifecycle';
import { saveStationSource } from './settings-file';
import type { StationConnection, StationSource } from './types';

export interface ControllerSourceOptions {
  source: StationSource;
  /** The simulated station to use, for tests that need its ground truth and faults. */
  simulator?: StationSimulator;
  log(line: string): void;
}

export class ControllerSource {
  private source: StationSource;
  // Like a real board, the simulated station keeps its tanks between connections.
  private simulator: StationSimulator | null = null;
  /** Stops the simulated station, if there was one, once the link has let go of it. */
  readonly part: Part = { name: 'simulator', stop: () => this.simulator?.stop() };

  constructor(private readonly options: ControllerSourceOptions) {
    this.source = options.source;
  }

  current(): StationSource {
    return this.source;
  }

  /** Makes `next` the controller to reach; the link is retargeted by the caller. */
  choose(next: StationSource): void {
    this.source = next;
  }

  /** How to reach the controller a source names; the current one when none is given. */
  target(chosen: StationSource = this.source): LinkTarget {
    const { log } = this.options;
    switch (chosen.kind) {
      case 'simulated': {
        const sim = this.simulatorFor(chosen.timeScale);
        return {
          port: 'simulated',
          simulated: true,
          open: async () => {
            const [host, device] = createDuplexPair();
            sim.attach(device);
            return {
              stream: host,
              close: async () => {
                sim.detach();
                host.destroy();
              },
            };
          },
        };
      }
      case 'serial':
        return { port: chosen.path, simulated: false, open: () => openSerialPort(chosen.path, chosen.baud) };
      case 'auto':
        return {
          port: 'auto-detect',
          simulated: false,
          open: async () => {
            const found = await detectController(chosen.baud);
            if (!found) throw new Error('no controller answered on any serial port; check the USB cable and power');
            log(`station: found ${found.identity.device} ${found.identity.serial} on ${found.path}`);
            return openSerialPort(found.path, chosen.baud);
          },
        };
    }
  }

  /**
   * How many times faster the controller's clock runs than this computer's: the simulated
   * station's time scale while it is the controller, or the simulator's on a pty as the command
   * line says, 1 for real hardware.
   */
  timeScale(): number {
    if (this.source.kind === 'serial') return this.source.timeScale ?? 1;
    if (this.source.kind !== 'simulated') return 1;
    return this.simulatorFor(this.source.timeScale).snapshot().timeScale;
  }

  private simulatorFor(timeScale: number | undefined): StationSimulator {
    return (this.simulator ??= this.options.simulator ?? new StationSimulator({ timeScale: timeScale ?? 1 }));
  }
}

export interface ConnectionOptions {
  controller: ControllerSource;
  /** Points the link at another controller, switching every output off on the current one. */
  retarget(target: LinkTarget): Promise<void>;
  jobs(): readonly Job[];
  /** Whether the station is shutting down. */
  stopping(): boolean;
  dataDir: string;
  log(line: string): void;
  /** The serial ports this computer has; the system's by default. */
  ports?: StationConnection['ports'];
  /** Saves the choice to settings.json; saveStationSource by default. */
  save?: (dataDir: string, source: StationSource) => void;
}

/** Which controller the station talks to, and switching to another, as StationCore offers it. */
export function stationConnection(options: ConnectionOptions): StationConnection {
  const { controller, log } = options;
  const save = options.save ?? saveStationSource;
  return {
    source: () => controller.current(),
    ports: options.ports ?? (() => listPorts()),
    async switchTo(next) {
      const refusal = switchRefusal(options.jobs());
      if (refusal) throw new Refusal('REFUSED', refusal);
      if (options.stopping()) throw new Refusal('NOT_READY', 'Tendril is shutting down');
      // Written first: if the file cannot be saved, nothing changes and the grower is told why.
      save(options.dataDir, next);
      controller.choose(next);
      log(`station: switching to ${next.kind === 'serial' ? next.path : next.kind}`);
      try {
        await options.retarget(controller.target());
        return { opened: true };
      } catch (err) {
        return { opened: false, problem: (err as Error).message };
      }
    },
  };
}

/** Jobs were planned for the controller they started on: none may be left to run on another. */
export function switchRefusal(jobs: readonly Job[]): string | null {
  const busy = jobs.filter((job) => job.state === 'running' || job.state === 'paused' || job.state === 'queued');
  if (busy.length === 0) return null;
  const named = busy.map((job) => `job ${job.id} (${describeJob(job.spec)})`).join(', ');
  const them = busy.length === 1 ? 'it' : 'them';
  return `${named} would run on another controller; wait for ${them} or cancel ${them} first`;
}
