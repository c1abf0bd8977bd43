/**
 * How a screen follows a live feed, whatever carries it (IPC or Socket.IO): start from a
 * snapshot, apply numbered events with the shared reducer, and ask for a new snapshot the
 * moment something does not follow on.
 */
import { applyEvent, type LiveMessage, type Replica, type StationSnapshot } from './events';

export type FollowOutcome =
  /** The state changed. */
  | 'changed'
  /** Nothing new (repeats, or events while a snapshot is on its way). */
  | 'unchanged'
  /** A gap or a new epoch: fetch a snapshot and hand it to `start`. */
  | 'resync';

export class FeedFollower {
  private replica: Replica | null = null;

  /** The followed state, or null before the first snapshot and while waiting for a new one. */
  get current(): Replica | null {
    return this.replica;
  }

  start(snapshot: StationSnapshot): void {
    this.replica = { state: snapshot.state, seq: snapshot.seq, epoch: snapshot.epoch };
  }

  take(messages: readonly LiveMessage[]): FollowOutcome {
    let outcome: FollowOutcome = 'unchanged';
    for (const message of messages) {
      if (message.name === 'status_update') {
        this.start(message.payload);
        outcome = 'changed';
        continue;
      }
      // Without a copy there is nothing to apply to; the snapshot on its way covers this.
      if (this.replica === null) continue;
      const next = applyEvent(this.replica, message.payload);
      if (next === 'resync') {
        this.replica = null;
        return 'resync';
      }
      if (next !== this.replica) outcome = 'changed';
      this.replica = next;
    }
    return outcome;
  }
}
