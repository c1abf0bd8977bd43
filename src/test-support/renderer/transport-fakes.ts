/**
 * Stand-ins for tests: a Socket.IO client socket the test plays the server for, and a fallback
 * transport the test drives by hand.
 */
import type { Command, CommandAck } from '../../shared/commands';
import type { StationEvent, StationSnapshot } from '../../shared/events';
import { initialStationState, type StationState } from '../../shared/station';
import type { LiveSocket, LiveSocketOptions } from '../../renderer/src/transport/socket';
import { CommandNotDelivered, type ConnectionStatus, type StationTransport, type StationUpdate } from '../../renderer/src/transport/types';

type Listener = (...args: never[]) => void;

export class FakeSocket implements LiveSocket {
  connected = false;
  recovered = false;
  connectCalls = 0;
  readonly sent: Array<{ event: string; args: unknown[] }> = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly options: LiveSocketOptions) {}

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.sent.push({ event, args });
    return this;
  }

  connect(): this {
    this.connectCalls += 1;
    return this;
  }

  disconnect(): this {
    if (this.connected) this.drop('io client disconnect');
    return this;
  }

  /** What the server sent, delivered to the client's handlers. */
  fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...args: unknown[]) => void)(...args);
  }

  /** The server accepts a fresh connection and sends its snapshot. */
  accept(snapshot: StationSnapshot, role: 'operator' | 'viewer' = 'operator'): void {
    this.connected = true;
    this.recovered = false;
    this.fire('connect');
    this.fire('initial_state', { ...snapshot, you: { id: 'sock-1', name: 'Android phone, Chrome', role } });
  }

  drop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  refuse(message = 'xhr poll error', data?: unknown): void {
    this.fire('connect_error', Object.assign(new Error(message), data === undefined ? {} : { data }));
  }

  /** Everything sent under one event name, e.g. the commands. */
  sentAs(event: string): unknown[][] {
    return this.sent.filter((message) => message.event === event).map((message) => message.args);
  }
}

/** A connect function that hands out one FakeSocket and keeps it for the test. */
export function fakeConnect(): { connect: (origin: string, options: LiveSocketOptions) => FakeSocket; socket: () => FakeSocket } {
  let socket: FakeSocket | null = null;
  return {
    connect: (_origin, options) => (socket = new FakeSocket(options)),
    socket: () => {
      if (!socket) throw new Error('the transport has not connected yet');
      return socket;
    },
  };
}

export class FakeFallback implements StationTransport {
  readonly mode = 'polling' as const;
  running = false;
  reconnects = 0;
  onState: ((update: StationUpdate) => void) | null = null;
  onStatus: ((status: ConnectionStatus) => void) | null = null;

  start(onState: (update: StationUpdate) => void, onStatus: (status: ConnectionStatus) => void): void {
    this.running = true;
    this.onState = onState;
    this.onStatus = onStatus;
    onStatus({ state: 'connecting', mode: 'polling', detail: null });
  }

  stop(): void {
    this.running = false;
  }

  /** Commands posted while polling, for the test to answer or lose. */
  readonly commands: Array<{ command: Command; answer: (ack: CommandAck) => void; lose: () => void }> = [];

  command(command: Command): Promise<CommandAck> {
    return new Promise((resolve, reject) => {
      this.commands.push({ command, answer: resolve, lose: () => reject(new CommandNotDelivered('the request failed')) });
    });
  }

  reconnect(): void {
    this.reconnects += 1;
  }

  /** A poll failed: the fallback is not connected until the next one gets through. */
  fail(): void {
    this.onStatus?.({ state: 'reconnecting', mode: 'polling', detail: 'the station server cannot be reached' });
  }

  /** A poll answered with this state. */
  answer(state: StationState): void {
    this.onStatus?.({ state: 'connected', mode: 'polling', detail: null });
    this.onState?.({ state, clockOffsetMs: 0 });
  }
}

export function snapshot(epoch: string, seq: number, change?: (state: StationState) => void): StationSnapshot {
  const state = initialStationState(true, 'simulated');
  change?.(state);
  return { epoch, seq, state };
}

export function relayEvent(epoch: string, seq: number, relayId: string, on = true): StationEvent {
  return { type: 'relay_update', relayId, on, why: 'cmd', seq, epoch };
}
