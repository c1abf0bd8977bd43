/**
 * What a grower switches or doses by hand, checked before the controller is asked: the pump's
 * caps and run time, the relay rules (a channel a job drives takes no manual commands; fill and
 * drain valves open only in their jobs), and the bound a relay carries on the device.
 */
import { pumpBoundRefusal, pumpOf } from '../../shared/dose';
import { Refusal } from '../../shared/refusal';
import type { StationChange } from '../../shared/events';
import type { Job, StationState } from '../../shared/station';
import { describeJob, doseBoundMs, type JobControl } from '../jobs';
import { namesIn } from '../jobs/engine';
import { valveRefusal } from '../jobs/checks';
import type { ControllerCommands } from '../link';

export interface ManualCommandsOptions {
  state(): StationState;
  /** Every change to the station's state; returns the call that stops listening. */
  onChange(listener: (change: StationChange) => void): () => void;
  controller: Pick<ControllerCommands, 'dose' | 'setRelay'>;
  /** The pump's calibrated rate, measured or configured. */
  mlPerSecond(pumpId: string): number;
  /** The jobs; read when a command arrives, as they are built after these commands. */
  jobs(): Pick<JobControl, 'holding' | 'start'>;
}

export interface ManualCommands {
  /** Runs a pump on the controller at once: the dose jobs' own step. */
  startDose(pump: string, ml: number): Promise<void>;
  /** A dose as a job: within the pump's caps, written to the dose audit, refused while a job holds the pump. */
  dose(pump: string, ml: number, requestedBy?: string): Promise<Job>;
  setRelay(channel: string, on: boolean): Promise<void>;
}

/** How long a switched relay waits for the device's report of it; it follows the ACK at once. */
export const RELAY_REPORT_WAIT_MS = 1_000;

export function createManualCommands(options: ManualCommandsOptions): ManualCommands {
  const { state, controller } = options;

  /**
   * The device acknowledges a SET just before it reports the relay's new state (docs/protocol.md,
   * SET). A switch is answered once the state shows it, so a command sent right after the answer
   * (a pH adjustment after switching the circulation on) is checked against the relay as it is.
   * A report lost on the wire costs the wait, and the answer then rests on the device's ACK alone.
   */
  function reported(channel: string, on: boolean): Promise<void> {
    const shows = () => (state().relays[channel]?.on ?? false) === on;
    if (shows()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const timer = setTimeout(done, RELAY_REPORT_WAIT_MS);
      const stop = options.onChange(() => {
        if (shows()) done();
      });
    });
  }

  /** A channel a job is driving takes no manual commands until the job ends or is cancelled. */
  function refuseIfHeld(channelId: string, what: string): void {
    const job = options.jobs().holding(channelId);
    if (!job) return;
    // The grower reads this on the button they pressed, so it names the channel and the job as the screens do.
    const names = namesIn(state());
    throw new Refusal('REFUSED', `${what} ${names.channel(channelId)} is busy with job ${job.id} (${describeJob(job.spec, names)}); wait for it or cancel it`);
  }

  return {
    startDose(pump, ml) {
      const channel = pumpOf(state().channels, pump);
      if (!channel) throw new Refusal('REFUSED', `there is no pump "${pump}" on this controller`);
      const refusal = pumpBoundRefusal(channel, ml);
      if (refusal) throw new Refusal('REFUSED', refusal);
      const rate = options.mlPerSecond(pump);
      const runMs = (ml / rate) * 1000;
      const maxMs = Math.min(doseBoundMs(ml, rate), channel.maxMs ?? Infinity);
      if (runMs > maxMs) {
        throw new Refusal('REFUSED', `${ml} mL at ${rate} mL/s takes ${Math.ceil(runMs / 1000)} s, longer than ${channel.name || pump} may run (${Math.floor(maxMs / 1000)} s); dose less`);
      }
      return controller.dose(pump, ml, rate, maxMs);
    },
    async dose(pump, ml, requestedBy = 'desktop') {
      const answer = options.jobs().start({ kind: 'dose', pumpId: pump, ml }, requestedBy, 'high');
      if (!answer.ok) throw new Refusal(answer.error.code, answer.error.message);
      return answer.job;
    },
    async setRelay(channel, on) {
      const relay = state().channels.find((c) => c.id === channel);
      if (!relay || relay.kind !== 'relay') {
        throw new Refusal('REFUSED', `there is no relay "${channel}" on this controller`);
      }
      refuseIfHeld(channel, 'relay');
      // Fill and drain valves open only in their jobs, which measure the water and stop in time.
      const refusal = on ? valveRefusal(state(), relay) : null;
      if (refusal) throw new Refusal('REFUSED', refusal);
      // Relays the device bounds must carry that bound; the device would refuse the command.
      await controller.setRelay(channel, on, relay.maxMs);
      await reported(channel, on);
    },
  };
}
