/**
 * The controller's commands as typed calls (docs/protocol.md section 5.1). Each resolves when
 * the device has acknowledged it and rejects with a Refusal saying why it did not, in the LAN
 * API's codes: this is where the wire's reasons stop.
 */
import type { FieldValues } from '../protocol';
import { asRefusal, type CommandResult } from './commands';
import type { StationLink } from './station-link';

export interface ControllerCommands {
  /** Switches a relay; `maxMs` is the bound after which the device switches it off itself. */
  setRelay(channel: string, on: boolean, maxMs?: number): Promise<void>;
  /** Runs a dosing pump for `ml / mlPerSecond` seconds, never longer than `maxMs`. */
  dose(pump: string, ml: number, mlPerSecond: number, maxMs: number): Promise<void>;
  /** Opens `valve` until `flowMeter` counts `pulses`, `maxMs` passes, or no pulse for `noFlowMs`. */
  fill(valve: string, flowMeter: string, pulses: number, maxMs: number, noFlowMs: number): Promise<void>;
  /** Ends one channel's action, or every action and output. */
  stop(channel?: string): Promise<void>;
  /** The device's uptime in milliseconds. */
  ping(): Promise<number>;
}

export function controllerCommands(link: StationLink): ControllerCommands {
  const send = (verb: string, fields?: FieldValues): Promise<CommandResult> =>
    link.command(verb, fields).catch((err: unknown) => {
      throw asRefusal(err);
    });
  return {
    async setRelay(channel, on, maxMs) {
      await send('SET', { ch: channel, on, max: on ? maxMs : undefined });
    },
    async dose(pump, ml, mlPerSecond, maxMs) {
      await send('DOSE', { ch: pump, ml, rate: mlPerSecond, max: Math.ceil(maxMs) });
    },
    async fill(valve, flowMeter, pulses, maxMs, noFlowMs) {
      await send('FILL', { ch: valve, flow: flowMeter, pulses: Math.round(pulses), max: Math.ceil(maxMs), noflow: Math.ceil(noFlowMs) });
    },
    async stop(channel) {
      await send('STOP', { ch: channel });
    },
    async ping() {
      const { fields } = await send('PING');
      return Number(fields.up);
    },
  };
}
