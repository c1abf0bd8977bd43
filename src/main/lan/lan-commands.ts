/**
 * Commands from screens on the LAN, whichever road they take: the live connection's `command`
 * event or `POST /api/command` while a screen only polls. Both come through here, so a command
 * is checked, limited and answered alike whatever carried it, and a screen that falls back to
 * polling does not get a fresh allowance by switching roads.
 */
import type { CommandAck } from '../../shared/commands';
import type { Principal, StationControl } from '../control';
import { Allowance } from './allowance';

/** Commands per token: a burst of this many, refilled at this rate per second. */
export const COMMAND_BURST = 20;
export const COMMANDS_PER_SECOND = 10;

export const COMMANDS_RATE_LIMITED: CommandAck = {
  ok: false,
  error: {
    code: 'RATE_LIMITED',
    message: `too many commands from this screen (at most ${COMMAND_BURST} at once, then ${COMMANDS_PER_SECOND} per second); slow down and retry`,
  },
};

export interface LanCommands {
  /** Carries one command from a paired screen to the station's door and resolves with its ack. */
  send(principal: Principal, payload: unknown): Promise<CommandAck>;
}

/**
 * The allowance is kept per token, not per connection: the polling road has no connection to
 * hang it on, and a phone that opens a second tab shares its pairing and its allowance.
 */
export function lanCommands(control: StationControl, now: () => number = Date.now): LanCommands {
  const allowances = new Map<string, Allowance>();
  const spend = (tokenId: string): boolean => {
    let allowance = allowances.get(tokenId);
    if (!allowance) allowances.set(tokenId, (allowance = new Allowance(COMMAND_BURST, COMMANDS_PER_SECOND, now)));
    return allowance.take();
  };
  return {
    send(principal, payload) {
      // Stopping is never rationed: a screen that spent its allowance (or a flood from a broken
      // client on the same token) must still be able to stop the station.
      if (!isStop(payload) && !spend(principal.id)) return Promise.resolve(COMMANDS_RATE_LIMITED);
      return control.handle(principal, payload).catch((err: unknown): CommandAck => ({ ok: false, error: { code: 'INTERNAL', message: (err as Error).message } }));
    },
  };
}

function isStop(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as { type?: unknown }).type === 'estop';
}
