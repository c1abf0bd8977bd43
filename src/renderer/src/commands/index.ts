/**
 * Commands from this screen to the station. Every command gets an idempotency key here, so a
 * retry, or a command queued while offline and flushed on reconnect, acts exactly once. How
 * waiting commands behave (the order, the 2-minute limit, the emergency stop) is in outbox.ts.
 */
import type { Command, CommandAck } from '../../../shared/commands';
import { CommandOutbox, type Delivery, type OutboxReport } from './outbox';

export type { OutboxReport } from './outbox';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A command as a screen asks for it; the key is added here. */
export type CommandRequest = WithoutId<Command>;

const listeners = new Set<(report: OutboxReport) => void>();
const outbox = new CommandOutbox((report) => {
  for (const listener of listeners) listener(report);
});

/**
 * Where commands go: set by whoever connects the store to a transport, to the transport's
 * command path while it carries commands and to null while it does not. Commands sent in
 * between wait, and go out when a delivery is set again.
 */
export function setCommandDelivery(send: Delivery | null): void {
  outbox.setDelivery(send);
}

/** Sends a command and resolves with the station's answer (see outbox.ts for waiting commands). */
export function sendCommand(request: CommandRequest): Promise<CommandAck> {
  return outbox.send({ ...request, id: commandId() } as Command);
}

/** Follows the waiting commands; the listener hears the current report at once. */
export function watchWaitingCommands(listener: (report: OutboxReport) => void): () => void {
  listeners.add(listener);
  listener(outbox.report);
  return () => {
    listeners.delete(listener);
  };
}

/**
 * 128 random bits as hex. Not crypto.randomUUID: browsers offer that only on https and
 * localhost, and LAN screens open the station over plain http.
 */
function commandId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
