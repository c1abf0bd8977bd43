/**
 * The one source of truth for the live state. Every change is numbered within this process's
 * epoch and applied with the shared reducer, exactly as every client applies it.
 */
import { randomBytes } from 'node:crypto';
import { applyChange, type StationChange, type StationEvent } from '../../shared/events';
import type { StationState } from '../../shared/station';

export interface Snapshot {
  seq: number;
  epoch: string;
  state: StationState;
}

/** A new epoch per process start, so clients can tell a restarted main from a gap. */
export function newEpoch(): string {
  return randomBytes(6).toString('hex');
}

// Bound once: the reducer runs for every change, and loaders compile imported names into getters.
const reduce = applyChange;

export class StationStore {
  private current: StationState;
  private seq = 0;
  private readonly listeners = new Set<(event: StationEvent, state: StationState) => void>();

  constructor(
    initial: StationState,
    readonly epoch: string = newEpoch(),
  ) {
    this.current = initial;
  }

  get state(): StationState {
    return this.current;
  }

  snapshot(): Snapshot {
    return { seq: this.seq, epoch: this.epoch, state: this.current };
  }

  /** Applies a change and returns its sequence number. */
  apply(change: StationChange): number {
    this.current = reduce(this.current, change);
    const seq = ++this.seq;
    if (this.listeners.size > 0) {
      const event = Object.assign({ seq, epoch: this.epoch }, change) as StationEvent;
      for (const listener of this.listeners) listener(event, this.current);
    }
    return seq;
  }

  /** Called after every change with the numbered event and the new state. */
  subscribe(listener: (event: StationEvent, state: StationState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
