/**
 * A live feed: the store's changes as one kind of screen receives them. Telemetry goes out at
 * most once per window, coalesced per channel (latest value wins); discrete changes go out on
 * the next turn of the event loop, in order, never dropped.
 *
 * Coalescing means a screen does not see every store change, so each audience gets its own
 * numbering: the messages it receives carry `seq` values without gaps, and a screen that sees a
 * gap or a new epoch knows it missed something and asks for a snapshot. The audiences are
 * "all" (the whole station) and one per tank ("tank:<id>"), for screens that follow one tank.
 */
import type { LiveMessage, StationChange, StationEvent, StationSnapshot } from '../../shared/events';
import { STATE_HASH_EVENT, stateHash, type StateHashNote } from '../../shared/state-hash';
import { channelOf, scopeChange, scopeState, tankMap, telemetryKey, telemetryKeysOf, type TankMap } from '../../shared/scope';
import type { StationState } from '../../shared/station';
import { newEpoch } from '../store';

export const ALL = 'all';

export function tankAudience(tankId: string): string {
  return `tank:${tankId}`;
}

/** A snapshot with the hash of its state, so a screen can check its copy from the start. */
export type FeedSnapshot = StationSnapshot & { stateHash: string };
export type FeedMessage = LiveMessage | { name: typeof STATE_HASH_EVENT; payload: StateHashNote };

/** How often each audience is told the hash of its state, after the events that lead to it. */
export interface HashCadence {
  /** At the end of the first batch that brings the events since the last hash to this many. */
  events: number;
  /** Or at the end of the first batch this long after the last hash. */
  ms: number;
}

export interface FeedSource {
  state(): StationState;
  /** Called with every change, after the state has taken it; returns the unsubscribe function. */
  onChange(listener: (change: StationChange) => void): () => void;
}

export interface FeedOptions {
  /** How long telemetry may wait to be superseded, in ms; 0 sends it on the next turn too. */
  windowMs: number;
  /** Receives each audience's messages for one flush, in order. */
  deliver(audience: string, messages: FeedMessage[]): void;
  /**
   * Whether discrete changes wait for the window too, so each window sends one batch (IPC,
   * once per frame). Otherwise they go out on the next turn of the event loop.
   */
  batchDiscrete?: boolean;
  /** Only the whole-station audience, for a transport with no tank rooms. */
  wholeStationOnly?: boolean;
  epoch?: string;
  /** Sends `state_hash` after batches at this cadence; none when left out. */
  hashEvery?: HashCadence;
}

export class LiveFeed {
  readonly epoch: string;
  /** Changes since the last flush; a superseded telemetry change leaves a hole (null). */
  private pending: Array<StationChange | null> = [];
  /** Telemetry key → its latest change's index in `pending`. */
  private readonly latest = new Map<string, number>();
  private readonly counters = new Map<string, number>();
  private telemetryTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSentAt = -Infinity;
  private discreteTimer: ReturnType<typeof setImmediate> | null = null;
  /** Per audience: events numbered since its last state hash, and when that was sent. */
  private readonly sinceHash = new Map<string, { events: number; at: number }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly source: FeedSource,
    private readonly options: FeedOptions,
  ) {
    this.epoch = options.epoch ?? newEpoch();
    this.unsubscribe = source.onChange((change) => this.take(change));
  }

  /** Flushes first, so the snapshot and the messages that follow it join without a seam. */
  snapshot(audience: string = ALL): FeedSnapshot {
    this.flush();
    const state = this.source.state();
    const tankId = tankOfAudience(audience);
    return this.snapshotOf(tankId === null ? state : scopeState(state, tankId), this.counters.get(audience) ?? 0);
  }

  /** The audiences there are now: everything, and each configured tank. */
  audiences(): string[] {
    if (this.options.wholeStationOnly) return [ALL];
    return [ALL, ...this.source.state().tanks.map((tank) => tankAudience(tank.id))];
  }

  close(): void {
    this.unsubscribe();
    this.clearTimers();
    this.pending = [];
    this.latest.clear();
  }

  /** Sends everything pending now. */
  flush(): void {
    this.clearTimers();
    if (this.pending.length === 0) return;
    const changes = this.pending.filter((change): change is StationChange => change !== null);
    // The window paces telemetry: a relay switching must not make the next reading wait. When
    // discrete changes wait for the window too (IPC, one batch per frame), every send counts.
    if (this.options.batchDiscrete || changes.some((change) => telemetryKey(change) !== null)) this.lastSentAt = Date.now();
    this.pending = [];
    this.latest.clear();

    const state = this.source.state();
    const tanks = tankMap(state.tanks);
    // A new tank layout changes what each tank's screens hold: they start over from a snapshot.
    const relayout = changes.some((change) => change.type === 'tanks_update');
    for (const audience of this.audiences()) {
      const tankId = tankOfAudience(audience);
      if (tankId !== null && relayout) {
        const seq = this.next(audience);
        this.sinceHash.set(audience, { events: 0, at: Date.now() });
        this.options.deliver(audience, [{ name: 'status_update', payload: this.snapshotOf(scopeState(state, tankId), seq) }]);
        continue;
      }
      const messages = this.number(audience, tankId, changes, tanks);
      if (messages.length === 0) continue;
      const note = this.hashNote(audience, messages.length, () => (tankId === null ? state : scopeState(state, tankId)));
      if (note) messages.push({ name: STATE_HASH_EVENT, payload: note });
      this.options.deliver(audience, messages);
    }
  }

  private snapshotOf(state: StationState, seq: number): FeedSnapshot {
    return { epoch: this.epoch, seq, state, stateHash: stateHash(state) };
  }

  /**
   * The hash of what a screen of this audience holds after this batch, when one is due. Every
   * pending change has just been sent, so that is the source's state as it is now.
   */
  private hashNote(audience: string, sent: number, stateNow: () => StationState): StateHashNote | null {
    const cadence = this.options.hashEvery;
    if (!cadence) return null;
    const now = Date.now();
    const since = this.sinceHash.get(audience) ?? { events: 0, at: -Infinity };
    since.events += sent;
    if (since.events < cadence.events && now - since.at < cadence.ms) {
      this.sinceHash.set(audience, since);
      return null;
    }
    this.sinceHash.set(audience, { events: 0, at: now });
    return { epoch: this.epoch, seq: this.counters.get(audience) ?? 0, stateHash: stateHash(stateNow()) };
  }

  private take(change: StationChange): void {
    const key = telemetryKey(change);
    if (key === null) {
      // Telemetry before a discrete change of its own channel (a dose's progress before its
      // end) is never moved past it.
      const channel = channelOf(change);
      if (channel !== null) for (const key of telemetryKeysOf(channel)) this.latest.delete(key);
      this.pending.push(change);
      if (this.options.batchDiscrete) this.flushAfterWindow();
      else this.flushSoon();
      return;
    }
    // The older value moves out and the newer one takes its place at the end, so nothing
    // that came between them is reordered.
    const previous = this.latest.get(key);
    if (previous !== undefined) this.pending[previous] = null;
    this.latest.set(key, this.pending.push(change) - 1);
    this.flushAfterWindow();
  }

  private flushSoon(): void {
    this.discreteTimer ??= setImmediate(() => {
      this.discreteTimer = null;
      this.flush();
    });
  }

  /**
   * At most one send per window, but never a wait for nothing: after a quiet window the change
   * goes out at once (with whatever else arrived in the same turn), and only changes that come
   * faster than the window wait for its end, where the latest of each wins.
   */
  private flushAfterWindow(): void {
    if (this.telemetryTimer || this.discreteTimer) return;
    const wait = this.lastSentAt + this.options.windowMs - Date.now();
    if (wait <= 0) {
      this.flushSoon();
      return;
    }
    this.telemetryTimer = setTimeout(() => {
      this.telemetryTimer = null;
      this.flush();
    }, wait);
  }

  private number(audience: string, tankId: string | null, changes: StationChange[], tanks: TankMap): FeedMessage[] {
    const messages: FeedMessage[] = [];
    for (const change of changes) {
      const scoped = tankId === null ? change : scopeChange(change, tankId, tanks);
      if (scoped === null) continue;
      // Written last, so a change that arrives already numbered by the store is renumbered here.
      const payload = Object.assign({}, scoped, { seq: this.next(audience), epoch: this.epoch }) as StationEvent;
      messages.push({ name: scoped.type, payload });
    }
    return messages;
  }

  private next(audience: string): number {
    const seq = (this.counters.get(audience) ?? 0) + 1;
    this.counters.set(audience, seq);
    return seq;
  }

  private clearTimers(): void {
    if (this.telemetryTimer) clearTimeout(this.telemetryTimer);
    if (this.discreteTimer) clearImmediate(this.discreteTimer);
    this.telemetryTimer = null;
    this.discreteTimer = null;
  }
}

function tankOfAudience(audience: string): string | null {
  return audience.startsWith('tank:') ? audience.slice(5) : null;
}
