/**
 * Commands on their way to the station, including those waiting for a connection.
 *
 * - Online, a command goes out at once and its promise resolves with the station's ack.
 * - Offline, it waits here with its id and goes out on the next connection (live, or the REST
 *   API while only polling works), in the order the grower gave them, one at a time. A command whose answer was
 *   lost with the connection waits again and is re-sent with the same id: the station answers
 *   a repeated id with its first answer, so nothing acts twice.
 * - Nothing waits forever. A dose that fires an hour after the grower gave up is worse than no
 *   dose, so a waiting command is dropped after `maxWaitMs` (2 minutes) and its promise says
 *   so: NOT_READY when it never left this screen, TIMEOUT when it was sent but never answered
 *   (it may have acted).
 * - The emergency stop never waits silently. It skips the line, and when it cannot go out its
 *   promise resolves at once with a NOT_READY ack that says so, while it stays queued, first in
 *   line, and without a time limit: a late stop cannot overdose or flood. `estopWaiting` tells
 *   the screen to keep showing it. One waiting stop is enough; more presses do not add more.
 */
import type { Command, CommandAck } from '../../../shared/commands';

export type Delivery = (command: Command) => Promise<CommandAck>;

export interface OutboxReport {
  /** Commands waiting for a connection. */
  waiting: number;
  /** An emergency stop is among them. */
  estopWaiting: boolean;
}

export const MAX_WAIT_MS = 2 * 60_000;

interface Entry {
  command: Command;
  /** The order the grower gave the commands in; queued commands go out in this order. */
  order: number;
  deadline: number;
  sent: boolean;
  resolve: (ack: CommandAck) => void;
  expiry: ReturnType<typeof setTimeout> | null;
}

export class CommandOutbox {
  private delivery: Delivery | null = null;
  private readonly queue: Entry[] = [];
  private flushing = false;
  /** Counts the times the connection came back, so a flush knows a loss is from an older one. */
  private connections = 0;
  private nextOrder = 0;
  private reported: OutboxReport = { waiting: 0, estopWaiting: false };

  constructor(
    private readonly onReport: (report: OutboxReport) => void = () => {},
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  get report(): OutboxReport {
    return this.reported;
  }

  /** Where commands go now; null while there is no connection that carries them. */
  setDelivery(delivery: Delivery | null): void {
    const cameBack = this.delivery === null && delivery !== null;
    this.delivery = delivery;
    if (cameBack) {
      this.connections += 1;
      void this.flush();
    }
  }

  send(command: Command): Promise<CommandAck> {
    return new Promise((resolve) => {
      const entry: Entry = { command, order: this.nextOrder++, deadline: Date.now() + this.maxWaitMs, sent: false, resolve, expiry: null };
      if (isEstop(entry)) this.sendEstop(entry);
      else if (this.delivery && !this.flushing && this.queue.length === 0) void this.dispatch(entry, this.delivery);
      else {
        this.enqueue(entry);
        if (this.delivery) void this.flush();
      }
    });
  }

  private sendEstop(entry: Entry): void {
    if (this.delivery) {
      void this.dispatch(entry, this.delivery);
      return;
    }
    this.enqueue(entry);
    entry.resolve(ESTOP_WAITING);
  }

  /** Sends one command; false when its answer was lost and it waits again. */
  private async dispatch(entry: Entry, delivery: Delivery): Promise<boolean> {
    entry.sent = true;
    let ack: CommandAck;
    try {
      ack = await delivery(entry.command);
    } catch {
      this.enqueue(entry);
      if (isEstop(entry)) entry.resolve(ESTOP_WAITING);
      return false;
    }
    entry.resolve(ack);
    return true;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.delivery && this.queue.length > 0) {
        const entry = this.queue.shift()!;
        if (entry.expiry) clearTimeout(entry.expiry);
        entry.expiry = null;
        this.publish();
        const connection = this.connections;
        const answered = await this.dispatch(entry, this.delivery);
        // A loss on this very connection means it is gone; wait for the next one.
        if (!answered && connection === this.connections) break;
      }
    } finally {
      this.flushing = false;
    }
  }

  private enqueue(entry: Entry): void {
    const estop = isEstop(entry);
    if (estop && this.queue.some(isEstop)) return;
    const at = this.queue.findIndex((waiting) => goesFirst(entry, waiting));
    this.queue.splice(at === -1 ? this.queue.length : at, 0, entry);
    if (!estop) entry.expiry = setTimeout(() => this.expire(entry), Math.max(0, entry.deadline - Date.now()));
    this.publish();
  }

  private expire(entry: Entry): void {
    const at = this.queue.indexOf(entry);
    if (at === -1) return;
    this.queue.splice(at, 1);
    this.publish();
    const minutes = this.maxWaitMs / 60_000;
    const waited = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${this.maxWaitMs / 1000} s`;
    entry.resolve(
      entry.sent
        ? { ok: false, error: { code: 'TIMEOUT', message: `the connection dropped before the station answered and did not come back within ${waited}, so this command may or may not have acted; check the station before sending it again` } }
        : { ok: false, error: { code: 'NOT_READY', message: `not sent: this screen could not reach the station for ${waited}, so the command was dropped rather than carried out late; nothing was done, send it again if it is still wanted` } },
    );
  }

  private publish(): void {
    const next: OutboxReport = { waiting: this.queue.length, estopWaiting: this.queue.some(isEstop) };
    if (next.waiting === this.reported.waiting && next.estopWaiting === this.reported.estopWaiting) return;
    this.reported = next;
    this.onReport(next);
  }
}

const isEstop = (entry: Entry): boolean => entry.command.type === 'estop';

/** Stops first, then everything else in the order it was given. */
function goesFirst(entry: Entry, waiting: Entry): boolean {
  return isEstop(entry) !== isEstop(waiting) ? isEstop(entry) : entry.order < waiting.order;
}

const ESTOP_WAITING: CommandAck = {
  ok: false,
  error: {
    code: 'NOT_READY',
    message: 'this screen cannot reach the station, so the emergency stop has not been sent yet; it goes out the moment the connection is back',
  },
};
