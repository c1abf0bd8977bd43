/**
 * Screens that watch the station through the soak: real Socket.IO clients on the LAN API, each
 * keeping its own copy of the state from `initial_state` and the events, as a phone does. They
 * reconnect by themselves when Tendril is killed and comes back. Every `state_hash` the station
 * sends is a checkpoint: a copy that has applied every event up to its number must hash to it.
 */
import { io, type Socket } from 'socket.io-client';
import { applyEvent, STATION_EVENT_TYPES, type Replica, type StationEvent, type StationSnapshot } from '../src/shared/events';
import { stateHash } from '../src/shared/state-hash';
import { FINISHED_JOB_STATES } from '../src/shared/station';

interface HashNote {
  epoch: string;
  seq: number;
  stateHash: string;
}

export class Screen {
  private readonly socket: Socket;
  private replica: Replica | null = null;
  private waiting = true;
  checks = 0;
  /** Checkpoints where this copy hashed differently from the station's. */
  readonly mismatches: string[] = [];

  constructor(
    url: string,
    token: string,
    readonly name: string,
  ) {
    this.socket = io(url, { auth: { token, name }, transports: ['websocket'], forceNew: true, reconnectionDelayMax: 500 });
    const snapshot = (snap: StationSnapshot & { stateHash: string }): void => {
      this.replica = { state: snap.state, seq: snap.seq, epoch: snap.epoch };
      this.waiting = false;
      this.check(snap, 'a snapshot');
    };
    this.socket.on('initial_state', snapshot);
    this.socket.on('status_update', snapshot);
    this.socket.on('state_hash', (note: HashNote) => {
      if (!this.waiting && this.replica && note.epoch === this.replica.epoch && note.seq === this.replica.seq) this.check(note, 'state_hash');
    });
    for (const type of STATION_EVENT_TYPES) this.socket.on(type, (event: StationEvent) => this.event(event));
    this.socket.on('disconnect', () => {
      this.waiting = true;
    });
  }

  get connected(): boolean {
    return this.socket.connected && !this.waiting;
  }

  /** The hash of this screen's copy, and where it stands; null while it waits for a snapshot. */
  position(): { epoch: string; seq: number; hash: string } | null {
    if (this.waiting || !this.replica) return null;
    return { epoch: this.replica.epoch, seq: this.replica.seq, hash: stateHash(this.replica.state) };
  }

  /** The controller link as this screen shows it; null while it waits for a snapshot. */
  linkStatus(): string | null {
    return this.waiting || !this.replica ? null : this.replica.state.link.status;
  }

  /** The jobs this screen shows as not finished yet: queued, running or paused. */
  unfinishedJobs(): Array<{ id: number; state: string }> {
    if (this.waiting || !this.replica) return [];
    return this.replica.state.jobs.filter((job) => !FINISHED_JOB_STATES.includes(job.state)).map((job) => ({ id: job.id, state: job.state }));
  }

  close(): void {
    this.socket.disconnect();
  }

  private event(event: StationEvent): void {
    if (this.waiting || !this.replica) return;
    const next = applyEvent(this.replica, event);
    if (next === 'resync') return this.resync();
    this.replica = next;
  }

  private check(note: HashNote, what: string): void {
    if (!this.replica) return;
    this.checks++;
    const mine = stateHash(this.replica.state);
    if (mine !== note.stateHash) {
      this.mismatches.push(`${this.name}: its copy at ${note.epoch}#${note.seq} hashed ${mine}, the station's ${what} said ${note.stateHash}`);
      this.resync();
    }
  }

  private resync(): void {
    this.waiting = true;
    this.socket.emit('resync');
  }
}
