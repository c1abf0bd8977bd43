/**
 * What one live connection may ask to be sent whole, and how its requests are read: the same for
 * a screen of the one process (live-server.ts) and a screen of a worker (workers/screen-worker.ts).
 */
import type { Socket } from 'socket.io';
import type { CommandAck } from '../../shared/commands';
import { Allowance } from './allowance';

/**
 * Snapshots per connection (`subscribe_tank`, `unsubscribe_tank`, `resync`): a burst of this
 * many, refilled at this rate per second. A snapshot is the whole state, hundreds of times the
 * request that asks for it; a screen needs one when it starts following something or falls
 * behind, never many a second.
 */
export const SNAPSHOT_BURST = 10;
export const SNAPSHOTS_PER_SECOND = 2;

/** One connection's snapshots: following another audience is rationed, resyncs are folded. */
export class SnapshotRation {
  private readonly allowance: Allowance;
  /** A resync asked for and not yet sent: every later one is answered by the same snapshot. */
  private waiting: ReturnType<typeof setTimeout> | null = null;

  constructor(now: () => number = Date.now) {
    this.allowance = new Allowance(SNAPSHOT_BURST, SNAPSHOTS_PER_SECOND, now);
  }

  /**
   * A screen starts following a tank, or the whole station: null when it may (the snapshot that
   * follows answers a resync still waiting too), else the refusal to answer it with.
   */
  follow(): CommandAck | null {
    if (!this.allowance.take()) return this.refusal();
    this.stop();
    return null;
  }

  /**
   * Never refused, since a screen that fell behind needs one, but folded together: resyncs asked
   * for while one waits are answered by it, and it waits for the allowance. It goes out on a
   * later turn even when allowed now, so a flood read in one go costs one snapshot.
   */
  resync(send: () => void): void {
    this.waiting ??= setTimeout(() => {
      this.waiting = null;
      this.allowance.take();
      send();
    }, this.allowance.msUntilNext());
  }

  /** The connection went away: a waiting resync is not sent. */
  stop(): void {
    if (this.waiting) clearTimeout(this.waiting);
    this.waiting = null;
  }

  private refusal(): CommandAck {
    return {
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: `too many snapshots asked for by this connection (subscribe_tank, unsubscribe_tank and resync together: at most ${SNAPSHOT_BURST} at once, then ${SNAPSHOTS_PER_SECOND} per second); wait ${Math.ceil(this.allowance.msUntilNext() / 1000)} s and try again`,
      },
    };
  }
}

/**
 * Listens for a screen's request. The ack is the last argument when the client asked for one, and
 * payloads are optional; a request without an ack is answered into the void.
 */
export function onRequest(socket: Pick<Socket, 'on'>, event: string, handler: (payload: unknown, ack: (answer: CommandAck) => void) => void): void {
  socket.on(event, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (answer: CommandAck) => void) : () => {};
    handler(typeof args[0] === 'function' ? undefined : args[0], ack);
  });
}
