/**
 * Test harness: a whole LAN station, as headless runs it (the station core on the simulator
 * process over a real pty, the control door, the LAN server), and screens that follow it the way
 * every client must: the shared reducer, a snapshot on a gap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { applyEvent, STATION_EVENT_TYPES, type Replica, type StationEvent } from '../../shared/events';
import type { Tank } from '../../shared/station';
import { createStationControl } from '../../main/control';
import { createLanServer, type LanServer } from '../../main/lan';
import { TokenStore } from '../../main/lan/access';
import { createStationCore, type StationCore } from '../../main/station';
import { startSimProcess, waitFor, type SimProcess } from './sim-process';

export const OPERATOR_TOKEN = 'operator-token-for-tests-0001';
export const VIEWER_TOKEN = 'viewer-token-for-tests-00001';

export interface LanStation {
  url: string;
  core: StationCore;
  sim: SimProcess;
  tokens: TokenStore;
  server: LanServer;
  close(): Promise<void>;
}

export async function startLanStation(tanks: Tank[]): Promise<LanStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-lan-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ tanks }));
  const sim = await startSimProcess();
  const core = createStationCore({ source: { kind: 'serial', path: sim.serialPath, baud: 115200 }, dataDir });
  await core.start();
  await waitFor(() => core.state().link.status === 'ready', 15_000, 'the link to the simulator');
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR_TOKEN, 'tests');
  tokens.preset('viewer', VIEWER_TOKEN, 'tests');
  const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null });
  const url = await server.listen();
  return {
    url,
    core,
    sim,
    tokens,
    server,
    async close() {
      await server.close();
      await core.shutdown();
      await sim.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Snapshot {
  epoch: string;
  seq: number;
  state: Replica['state'];
}

/** A screen on the LAN that keeps its own copy of the state from what it receives. */
export class TestScreen {
  readonly socket: Socket;
  replica: Replica | null = null;
  /** Every event received, in order, with the snapshot seqs marked. */
  readonly received: Array<{ name: string; payload: StationEvent | Snapshot }> = [];
  resyncs = 0;
  /** Reconnections where Socket.IO replayed what was missed instead of a new initial_state. */
  recoveries = 0;
  private awaitingSnapshot = false;

  constructor(url: string, token: string | undefined, name: string, options: { reconnection?: boolean } = {}) {
    this.socket = io(url, {
      auth: token === undefined ? { name } : { token, name },
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnection ?? false,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
    });
    const start = (name: string) => (snapshot: Snapshot) => {
      this.received.push({ name, payload: snapshot });
      this.replica = { state: snapshot.state, seq: snapshot.seq, epoch: snapshot.epoch };
      this.awaitingSnapshot = false;
    };
    this.socket.on('connect', () => {
      if (this.socket.recovered) this.recoveries++;
    });
    this.socket.on('initial_state', start('initial_state'));
    this.socket.on('status_update', start('status_update'));
    for (const type of STATION_EVENT_TYPES) {
      this.socket.on(type, (event: StationEvent) => {
        this.received.push({ name: type, payload: event });
        if (!this.replica || this.awaitingSnapshot) return;
        const next = applyEvent(this.replica, event);
        if (next === 'resync') {
          this.resyncs++;
          this.awaitingSnapshot = true;
          this.socket.emit('resync');
        } else {
          this.replica = next;
        }
      });
    }
  }

  /** Resolves once connected and holding a state, or rejects with the refusal. */
  ready(timeoutMs = 10_000): Promise<this> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the screen did not get its initial state in time')), timeoutMs);
      const check = () => {
        if (this.replica) {
          clearTimeout(timer);
          this.socket.off('connect_error', refused);
          resolve(this);
        } else {
          setTimeout(check, 10);
        }
      };
      const refused = (err: Error & { data?: unknown }) => {
        clearTimeout(timer);
        reject(err);
      };
      this.socket.once('connect_error', refused);
      check();
    });
  }

  /** Sends a command and resolves with its ack. */
  command(command: Record<string, unknown>): Promise<unknown> {
    return this.socket.timeout(10_000).emitWithAck('command', command);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The refusal a screen got instead of a connection. */
export function connectError(screen: TestScreen, timeoutMs = 10_000): Promise<Error & { data?: { code?: string; retryAfterMs?: number } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connect_error in time')), timeoutMs);
    screen.socket.once('connect_error', (err) => {
      clearTimeout(timer);
      resolve(err as Error & { data?: { code?: string } });
    });
  });
}

/**
 * A station core served on loopback, with an operator's phone and a hall screen following it.
 * Everything it opens is handed to `cleanups`, to be closed after the test.
 */
export async function operatorAndViewer(core: StationCore, cleanups: Array<() => Promise<void> | void>): Promise<{ operator: TestScreen; viewer: TestScreen }> {
  const tokens = await TokenStore.open(null);
  tokens.preset('operator', OPERATOR_TOKEN, 'tests');
  tokens.preset('viewer', VIEWER_TOKEN, 'tests');
  const server = createLanServer({ core, control: createStationControl(core), tokens, host: '127.0.0.1', port: 0, webRoot: null });
  const url = await server.listen();
  cleanups.push(() => server.close());
  const operator = await new TestScreen(url, OPERATOR_TOKEN, 'Ana’s phone').ready();
  const viewer = await new TestScreen(url, VIEWER_TOKEN, 'Hall screen').ready();
  cleanups.push(
    () => operator.close(),
    () => viewer.close(),
  );
  return { operator, viewer };
}
